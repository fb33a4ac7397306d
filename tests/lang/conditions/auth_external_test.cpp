#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.conditions.auth_external") {
  TEST_CASE("not compiled in") {
    CHECK(ex("${if radius{x}{y}{n}}") == "Failed: support for \"radius\" not compiled");
    CHECK(ex("${if pam{a:b}}") == "Failed: support for \"pam\" not compiled");
    CHECK(ex("${if eq{1}{2}{${if pwcheck{x}}}{no}}") == "no");
    CHECK(ex("${if ldapauth}") == "Failed: missing { after \"ldapauth\"");
  }
}
