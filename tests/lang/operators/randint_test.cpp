#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

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
