#include <doctest/doctest.h>

#include "lang/operators/escape.h"
#include "tests/lang/expand_helper.h"

using testlang::Case;
using testlang::ex;

// Expected values from the reference exim4 (4.96).
TEST_SUITE("lang.operators.escape") {
  TEST_CASE("escape, escape8bit, hexquote") {
    const Case cases[] = {
        {"${escape:a\\tb\\nc}", "a\tb\\nc"},
        {"${escape:\\b\\v\\f\\r\\x7f\\x80}", "\\b\\v\\f\\r\\177\\200"},
        {"${escape:back\\\\slash}", "back\\slash"},
        {"${escape8bit:\\x01\\ttab~\\x7f\\xc3\\\\}", "\x01\ttab~\\177\\303\\134"},
        {"${hexquote:a b\\t!~\\x7f\\x80\\\\}", "a\\x20b\\x09!~\\x7f\\x80\\"},
        {"${hexquote:}", ""},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("escape_printing") {
    CHECK(lang::escape_printing("\xff.de") == "\\377.de");
    CHECK(lang::escape_printing(std::string_view("a\0b", 3)) == "a\\000b");
  }
}
