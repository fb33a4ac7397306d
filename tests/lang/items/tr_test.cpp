#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.items.tr") {
  TEST_CASE("byte translation") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${tr{abcdea}{ac}{13}}", "1b3de1"},
        {"${tr{abcdea}{aaa}{xyz}}", "zbcdez"},
        {"${tr{abcdea}{abc}{z}}", "zzzdez"},
        {"${tr{abcdea}{a}{}}", "abcdea"},
        {"${tr{}{a}{b}}", ""},
        {"${tr{Hello}{A-Z}{a-z}}", "Hello"},
        {"${tr{\\xff\\x01}{\\xff}{x}}", "x\x01"},
        {"${tr{abc}{b}}", "Failed: Not enough arguments for 'tr' (min is 3)"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in, " got: ", ex(c.in));
  }
}
