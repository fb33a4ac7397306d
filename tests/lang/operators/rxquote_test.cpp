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

// Expected values from the reference exim4 (4.96).
TEST_SUITE("lang.operators.rxquote") {
  TEST_CASE("rxquote") {
    CHECK(ex("${rxquote:a.b}") == "a\\.b");
    CHECK(ex("${rxquote:aZ09_,-Q}") == "aZ09\\_\\,\\-Q");
    CHECK(ex("${rxquote:\\x80 }") == "\\\x80\\ ");
    CHECK(ex("${rxquote:}").empty());
  }
}
