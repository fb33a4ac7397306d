#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.conditions.delivery_state") {
  TEST_CASE("false outside a delivery") {
    CHECK(ex("${if first_delivery{y}{n}}") == "n");
    CHECK(ex("${if queue_running {y}{n}}") == "n");
    CHECK(ex("${if !first_delivery{not first}{first}}") == "not first");
    CHECK(ex("${if or{{first_delivery}{queue_running}}{y}{n}}") == "n");
  }
}
