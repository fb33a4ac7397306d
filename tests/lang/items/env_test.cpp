#include <doctest/doctest.h>

#include <cstdlib>

#include "lang/expand.h"

namespace {
std::string ex(std::string_view s) {
  lang::EvalContext ctx;
  std::string out;
  lang::Status st = lang::expand_string(s, ctx, out);
  if (st.is_fail()) return "Forced: " + st.message();
  if (!st.is_ok()) return "Failed: " + st.message();
  return out;
}
}  // namespace

TEST_SUITE("lang.items.env") {
  TEST_CASE("environment lookups") {
    setenv("FACTEUR_ENV_TEST", "v a l", 1);
    unsetenv("FACTEUR_NO_SUCH");
    CHECK(ex("${env{FACTEUR_ENV_TEST}}") == "v a l");
    CHECK(ex("${env{ FACTEUR_ENV_TEST }{<$value>}{no}}") == "<v a l>");
    CHECK(ex("[${env{FACTEUR_NO_SUCH}}]") == "[]");
    CHECK(ex("${env{FACTEUR_NO_SUCH}{$value}{default}}") == "default");
    CHECK(ex("${env{FACTEUR_NO_SUCH}{x}fail}") == "Forced: \"env\" failed and \"fail\" requested");
    CHECK(ex("${env}") == "Failed: Not enough arguments for 'env' (min is 1)");
  }
}
