#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::Case;
using testlang::ex;

// Expected values from the reference exim4 (4.96).
TEST_SUITE("lang.items.listquote") {
  TEST_CASE("listquote") {
    const Case cases[] = {
        {"${listquote{:}{ab:cd}}", "ab::cd"},
        {"${listquote{:}{:a:b:}}", "::a::b::"},
        {"<${listquote{:}{}}>", "< >"},
        {"${listquote{ab}{a:b}}", "aa:b"},
        {"${listquote{}{a:b}}", "a:b"},
        {"${listquote {:} {a:b} }", "a::b"},
        {"${listquote{:}}", "Failed: Not enough arguments for 'listquote' (min is 2)"},
        {"${listquote{:}{a}{b}}", "Failed: Too many arguments for 'listquote' (max is 2)"},
        {"${listquote{a}{b}x}", "Failed: missing '}' after 'listquote'"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
