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

TEST_SUITE("lang.conditions.delivery_state") {
  TEST_CASE("false outside a delivery") {
    CHECK(ex("${if first_delivery{y}{n}}") == "n");
    CHECK(ex("${if queue_running {y}{n}}") == "n");
    CHECK(ex("${if !first_delivery{not first}{first}}") == "not first");
    CHECK(ex("${if or{{first_delivery}{queue_running}}{y}{n}}") == "n");
  }
}
