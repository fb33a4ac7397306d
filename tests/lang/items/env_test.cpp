#include <doctest/doctest.h>

#include <cstdlib>

#include "tests/lang/expand_helper.h"

using testlang::ex_forced;

TEST_SUITE("lang.items.env") {
  TEST_CASE("environment lookups") {
    setenv("FACTEUR_ENV_TEST", "v a l", 1);
    unsetenv("FACTEUR_NO_SUCH");
    CHECK(ex_forced("${env{FACTEUR_ENV_TEST}}") == "v a l");
    CHECK(ex_forced("${env{ FACTEUR_ENV_TEST }{<$value>}{no}}") == "<v a l>");
    CHECK(ex_forced("[${env{FACTEUR_NO_SUCH}}]") == "[]");
    CHECK(ex_forced("${env{FACTEUR_NO_SUCH}{$value}{default}}") == "default");
    CHECK(ex_forced("${env{FACTEUR_NO_SUCH}{x}fail}") ==
          "Forced: \"env\" failed and \"fail\" requested");
    CHECK(ex_forced("${env}") == "Failed: Not enough arguments for 'env' (min is 1)");
  }
}
