#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::be::ex;

TEST_SUITE("lang.items.listextract") {
  TEST_CASE("fields and branches") {
    testlang::Case cases[] = {
        {"${listextract{ 2}{a:b:c:d}}", "b"},
        {"${listextract{-2}{<,a,b,c,d}{X${value}X}}", "XcX"},
        {"[${listextract{ 5}{a:b:c:d}}]", "[]"},
        {"${listextract{-5}{a:b:c:d}{$value}{none}}", "none"},
        {"${listextract{1}{a::b:c}}", "a:b"},
        {"${listextract{0}{a:b}{$value}{zero}}", "zero"},
        {"${listextract{1 }{a}}", "a"},
        {"${listextract{-}{a}}", ""},
        {"${listextract{99999999999999999999}{a}}", ""},
        {"${listextract{1}{a:b}{[$value]}}[$value]", "[a][]"},
        {"${listextract{5}{a}{}fail}", "Failed: \"listextract\" failed and \"fail\" requested"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("errors") {
    testlang::Case cases[] = {
        {"${listextract{x}{a:b}}", "Failed: first argument of \"listextract\" must be numeric"},
        {"${listextract{ +1}{a}}", "Failed: first argument of \"listextract\" must be numeric"},
        {"${listextract{ }{a}}", "Failed: first argument of \"listextract\" must not be empty"},
        {"${listextract}", "Failed: missing '{' for arg 1 of listextract"},
        {"${listextract{1}}", "Failed: missing '{' for arg 2 of listextract"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
