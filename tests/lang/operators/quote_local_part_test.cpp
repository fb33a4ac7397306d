#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::Case;
using testlang::ex;

// Expected values from the reference exim4 (4.96).
TEST_SUITE("lang.operators.quote_local_part") {
  TEST_CASE("quote_local_part") {
    const Case cases[] = {
        {"${quote_local_part:first.last}", "first.last"},
        {"${quote_local_part:double..dot}", "double..dot"},
        {"${quote_local_part:a!b#c\\$d%e&f}", "a!b#c$d%e&f"},
        {"${quote_local_part:.leading}", "\".leading\""},
        {"${quote_local_part:trailing.}", "\"trailing.\""},
        {"${quote_local_part:a(b)}", "\"a(b)\""},
        {"${quote_local_part:a\\nb}", "\"a\\nb\""},
        {"${quote_local_part:}", "\"\""},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
