#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

// Expected values from the reference exim4 (4.96).
TEST_SUITE("lang.operators.rxquote") {
  TEST_CASE("rxquote") {
    CHECK(ex("${rxquote:a.b}") == "a\\.b");
    CHECK(ex("${rxquote:aZ09_,-Q}") == "aZ09\\_\\,\\-Q");
    CHECK(ex("${rxquote:\\x80 }") == "\\\x80\\ ");
    CHECK(ex("${rxquote:}").empty());
  }
}
