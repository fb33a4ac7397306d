#include <doctest/doctest.h>

#include "lang/expand.h"

namespace {
std::string ex(std::string_view s) {
  lang::EvalContext ctx;
  std::string out;
  lang::Status st = lang::expand_string(s, ctx, out);
  if (!st.is_ok()) return "Failed: " + st.message();
  return out;
}
}  // namespace

TEST_SUITE("lang.conditions.exists") {
  TEST_CASE("stat on the path as given") {
    CHECK(ex("${if exists{/tmp}{y}{n}}") == "y");
    CHECK(ex("${if exists{/etc/passwd}{y}{n}}") == "y");
    CHECK(ex("${if exists{/no/such/file}{y}{n}}") == "n");
    CHECK(ex("${if exists{ /tmp}{y}{n}}") == "n");
    CHECK(ex("${if exists{}{y}{n}}") == "n");
    CHECK(ex("${if !exists{/no/such}{absent}{present}}") == "absent");
    CHECK(ex("${if exists}") == "Failed: missing { after \"exists\"");
  }
}
