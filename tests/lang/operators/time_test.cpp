#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::Case;
using testlang::ex;

// Expected values from the reference exim4 (4.96), including its 32-bit wrap-around.
TEST_SUITE("lang.operators.time") {
  TEST_CASE("time_eval") {
    const Case cases[] = {
        {"${time_eval:1w2d3h4m5s}", "788645"},
        {"${time_eval:1m1m}", "120"},
        {"${time_eval:01s}", "1"},
        {"${time_eval:4294967296s}", "0"},
        {"${time_eval:5}",
         "Failed: string \"5\" is not an Exim time interval in \"time_eval\" operator"},
        {"${time_eval:}",
         "Failed: string \"\" is not an Exim time interval in \"time_eval\" operator"},
        {"${time_eval: 1d}",
         "Failed: string \" 1d\" is not an Exim time interval in \"time_eval\" operator"},
        {"${time_eval:2147483648s}",
         "Failed: string \"2147483648s\" is not an Exim time interval in \"time_eval\" operator"},
        {"${time_eval:99999999999999999999s}",
         "Failed: string \"99999999999999999999s\" is not an Exim time interval in "
         "\"time_eval\" operator"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("time_interval") {
    const Case cases[] = {
        {"${time_interval:0}", "0s"},
        {"${time_interval:}", "0s"},
        {"${time_interval:694861}", "1w1d1h1m1s"},
        {"${time_interval:604799}", "6d23h59m59s"},
        {"${time_interval:4294967295}", "-1s"},
        {"${time_interval:99999999999999999999}", "2748w42m39s"},
        {"${time_interval:-1}",
         "Failed: string \"-1\" is not a positive number in \"time_interval\" operator"},
        {"${time_interval: 5}",
         "Failed: string \" 5\" is not a positive number in \"time_interval\" operator"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
