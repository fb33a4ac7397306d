#include <doctest/doctest.h>

#include "lang/expand.h"

namespace {
std::string ex(std::string_view s) {
  lang::EvalContext ctx;
  std::string out;
  lang::Status st = lang::expand_string(s, ctx, out);
  return st.is_ok() ? out : "Failed: " + st.message();
}
}  // namespace

TEST_SUITE("lang.operators.randint") {
  TEST_CASE("range") {
    CHECK(ex("${randint:1}") == "0");
    CHECK(ex("${randint:0}") == "0");
    CHECK(ex("${randint: }") == "0");
    for (int i = 0; i < 50; ++i) {
      long v = std::stol(ex("${randint:3}"));
      CHECK((v >= 0 && v < 3));
    }
  }
  TEST_CASE("errors") {
    CHECK(ex("${randint:abc}") == "Failed: integer expected but \"abc\" found");
    CHECK(ex("${randint:}") == "Failed: integer expected but \"\" found");
    CHECK(ex("${randint:-5}") == "Failed: non-negative integer expected but \"-5\" found");
    CHECK(ex("${randint:3x}") == "Failed: invalid integer \"3x\"");
  }
}
