#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

// Expected values from the reference exim4 -be.
TEST_SUITE("lang.items.substr_length") {
  TEST_CASE("item forms") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${length{4}{abcdefgh}}", "abcd"},
        {"${length{ 2}{abcdef}}", "ab"},
        {"${length{}{abc}}", ""},
        {"${substr{-8}{4}{abcdef}}", "ab"},
        {"${substr {1} {abc}}", "bc"},
        {"${substr{99999999999999999999}{abc}}", "ab"},  // Exim's int wrap-around
        {"${hash{4}{62}{monty python}}", "fbWx"},
        {"${nhash{8}{63}{monty python}}", "0/61"},
        {"${length{ 2 }{abcdef}}",
         "Failed: \" 2 \" is not a positive number (in \"length\" expansion)"},
        {"${substr{x}{abc}}", "Failed: \"x\" is not a number (in \"substr\" expansion)"},
        {"${substr{-3}{-2}{abcd}}",
         "Failed: \"-2\" is not a positive number (in \"substr\" expansion)"},
        {"${hash{nonnumber}{abcd}}",
         "Failed: \"nonnumber\" is not a number (in \"hash\" expansion)"},
        {"${hash{3}{100}{abcd}}", "Failed: hash count \"100\" too big"},
        {"${hash{one}}", "Failed: Not enough arguments for 'hash' (min is 2)"},
        {"${hash{3}{2}{4}{abcd}}", "Failed: Too many arguments for 'hash' (max is 3)"},
        {"${length{1}{2}{3}}", "Failed: Too many arguments for 'length' (max is 2)"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("nhash by zero is an error, not a crash") {
    CHECK(ex("${nhash{0}{abc}}").rfind("Failed:", 0) == 0);
    CHECK(ex("${nhash{3}{0}{abc}}").rfind("Failed:", 0) == 0);
    CHECK(ex("${hash{2}{0}{abc}}").rfind("Failed:", 0) == 0);
  }
}
