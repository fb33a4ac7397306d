#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::Case;
using testlang::ex;

// Expected values from the reference exim4 (4.96).
TEST_SUITE("lang.operators.utf8") {
  TEST_CASE("utf8clean") {
    const Case cases[] = {
        {"${utf8clean:caf\\xc3\\xa9}", "caf\xc3\xa9"},
        {"${utf8clean:a\\xffb}", "a?b"},
        {"${utf8clean:x\\xc3}", "x?"},
        {"${utf8clean:\\xc0\\x80}", "??"},
        {"${utf8clean:\\xed\\xa0\\x80}", "?"},
        {"${utf8clean:\\xe2\\x82x}", "?x"},
        {"${utf8clean:\\xf4\\x90\\x80\\x80}", "?"},
        {"${utf8clean:\\xf8\\x88\\x80\\x80\\x80}", "?????"},
        {"${utf8clean:\\xc3\\xc3\\xa9}", "??"},
        {"${utf8clean:\\xe0\\x80\\x80}", "\xe0\x80\x80"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("from_utf8") {
    const Case cases[] = {
        {"${from_utf8:caf\\xc3\\xa9}", "caf\xe9"},
        {"${from_utf8:\\xe2\\x82\\xac}", "_"},
        {"${from_utf8:\\x80ab}",
         "\x80"
         "ab"},
        {"${from_utf8:\\xc3}", "\xc0"},
        {"${from_utf8:\\xc3a}", "\xe1"},
        {"${from_utf8:\\xff}", "_"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
