#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

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
