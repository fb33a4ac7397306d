#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.conditions.match_ip") {
  TEST_CASE("match_ip") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${if match_ip{1.2.3.4}{4.5.6.7:1.2.3.4}}", "true"},
        {"${if match_ip{1.2.3.4}{4.5.6.7:1.2.3.6/24}{y}{n}}", "y"},
        {"${if match_ip{}{:4.5.6.7}{y}{n}}", "y"},
        {"${if match_ip{1.2.3.4}{<; 1.2.3.0/24; ::1}{y}{n}}", "y"},
        {"${if !match_ip{1.2.3.4}{1.2.3.5}{y}{n}}", "y"},
        {"${if match_ip{abc}{1.2.3.4}}", "Failed: \"abc\" is not an IP address"},
        {"${if match_ip{1.2.3.4/24}{1.2.3.4}}", "Failed: \"1.2.3.4/24\" is not an IP address"},
        {"${if match_ip{1.2.3.4}{5.5.5.5:+nolist}{y}{n}}",
         "Failed: unable to complete match against \"5.5.5.5:+nolist\": NULL"},
        {"${if match_ip{1.2.3.4}}", "Failed: missing 2nd string in {} after \"match_ip\""},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
