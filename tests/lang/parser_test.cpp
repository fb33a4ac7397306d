#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.parser") {
  TEST_CASE("literals and escapes") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"plain", "plain"},
        {"a}b", "a}b"},
        {"{a}", "{a}"},
        {"\\x41\\101\\q", "AAq"},
        {"\\N$x\\Nz", "$xz"},
        {"\\t", "\t"},
        {"a\\", "Failed: \\ at end of string"},
        {"$", "Failed: $ not followed by letter, digit, or {"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("operators and items") {
    CHECK(ex("${lc:ABC}") == "abc");
    CHECK(ex("${uc:${lc:ABC}d}") == "ABCD");
    CHECK(ex("${lc:abc") == "Failed: missing } at end of string");
    CHECK(ex("${nosuchop:abc}") == "Failed: unknown expansion operator \"nosuchop\"");
    CHECK(ex("${lc abc}") ==
          "Failed: \"${lc\" is not a known operator (or a } is missing in a variable reference)");
    CHECK(ex("${}") == "Failed: letter or digit expected after ${");
  }
  TEST_CASE("if and conditions") {
    CHECK(ex("${if eq{a}{a}{y}{n}}") == "y");
    CHECK(ex("${if eq{a}{b}{y}{n}}") == "n");
    CHECK(ex(">${if eq{1}{2}}<") == "><");
    CHECK(ex("${if eq {a}{a}}") == "true");
    CHECK(ex("${if !eq{a}{b}{t}{f}}") == "t");
    CHECK(ex("${if >{10}{9}{t}{f}}") == "t");
    CHECK(ex("${if ={1k}{1024}{t}{f}}") == "t");
    CHECK(ex("${if and{{eq{a}{a}}{eq{b}{b}}}{y}{n}}") == "y");
    CHECK(ex("${if or{{eq{a}{b}}{eq{b}{c}}}{y}{n}}") == "n");
    CHECK(ex("${if eq{a}{b}{x}fail}") == "Failed: \"if\" failed and \"fail\" requested");
    CHECK(ex("${if >{a}{1}{y}{n}}") == "Failed: integer expected but \"a\" found");
  }
  TEST_CASE("item names win over variables; operator argument read first") {
    CHECK(ex("${if}") == "Failed: condition name expected, but found \"}\"");
    CHECK(ex("${nosuchop:abc") == "Failed: missing } at end of string");
    CHECK(ex("${nosuchop:${lc:x}") == "Failed: missing } at end of string");
  }
  TEST_CASE("deep nesting is an error, not a crash") {
    std::string s;
    for (int i = 0; i < 5000; ++i) s += "${lc:";
    CHECK(ex(s).rfind("Failed:", 0) == 0);
  }
}
