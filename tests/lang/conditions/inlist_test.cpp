#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::be::ex;

TEST_SUITE("lang.conditions.inlist") {
  TEST_CASE("inlist and inlisti") {
    testlang::Case cases[] = {
        {"${if inlist{b}{a:b:c}{y}{n}}", "y"},
        {"${if inlist{B}{a:b:c}{y}{n}}", "n"},
        {"${if inlisti{B}{a:b:c}{y}{n}}", "y"},
        {"${if inlisti{\xc3\x84}{\xc3\xa4}{y}{n}}", "n"},  // ASCII case only
        {"${if inlist{a:b}{a::b:c}{y}{n}}", "y"},
        {"${if inlist{ b}{a: b :c}{y}{n}}", "n"},
        {"${if inlist{}{a::c}{y}{n}}", "n"},
        {"${if inlist{x}{}{y}{n}}", "n"},
        {"${if inlist{abc}{a*}{y}{n}}", "n"},
        {"${if inlisti{B}{a:b}{[$value]}}[$value]", "[b][]"},
        {"${if inlist{a}}", "Failed: missing 2nd string in {} after \"inlist\""},
        {"${if inlist}", "Failed: missing { after \"inlist\""},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
