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

TEST_SUITE("lang.conditions.auth_external") {
  TEST_CASE("not compiled in") {
    CHECK(ex("${if radius{x}{y}{n}}") == "Failed: support for \"radius\" not compiled");
    CHECK(ex("${if pam{a:b}}") == "Failed: support for \"pam\" not compiled");
    CHECK(ex("${if saslauthd{{u}{p}}}") == "Failed: support for \"saslauthd\" not compiled");
    CHECK(ex("${if eq{1}{2}{${if pwcheck{x}}}{no}}") == "no");
    CHECK(ex("${if ldapauth}") == "Failed: missing { after \"ldapauth\"");
    CHECK(ex("${if saslauthd{{x}}}") ==
          "Failed: too few arguments or bracketing error for saslauthd");
  }
}
