#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"

using testlang::ex;

TEST_SUITE("lang.lookups.passwd") {
  TEST_CASE("getpwnam") {
    CHECK(ex("${lookup passwd{root}}").substr(0, 6) == "*:0:0:");
    CHECK(ex("${lookup passwd{no-such-user-xyz}{y}{n}}") == "n");
    CHECK(ex("${lookup passwd{}{y}{n}}") == "n");
    CHECK(ex("${lookup{root}passwd{x}}") ==
          "Failed: a single key was given for lookup type \"passwd\", which is not a single-key "
          "lookup type");
    CHECK(ex("${lookup passwd*{root}}") ==
          "Failed: defaults using \"*\" or \"*@\" are not permitted for lookup type \"passwd*\"");
  }
}
