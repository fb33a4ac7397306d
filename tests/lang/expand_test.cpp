#include "lang/expand.h"

#include <doctest/doctest.h>

#include <string>

TEST_SUITE("lang.expand") {
  TEST_CASE("expand_string: text that is the output buffer itself") {
    lang::EvalContext ctx;
    std::string s = "abc${uc:def}ghi";
    REQUIRE(lang::expand_string(s, ctx, s).is_ok());
    CHECK(s == "abcDEFghi");
    std::string t = "xx${length_2:abcdef}yy";
    REQUIRE(lang::expand_string(std::string_view(t).substr(2), ctx, t).is_ok());
    CHECK(t == "abyy");
  }
  TEST_CASE("Program keeps its own copy of the text") {
    lang::Program p;
    {
      std::string text = "plain text, then \\t escape and \\N\\t\\N verbatim ${uc:x}";
      REQUIRE(lang::Program::compile(text, p).is_ok());
      text.assign(text.size(), '#');
    }
    lang::EvalContext ctx;
    std::string out;
    REQUIRE(p.eval(ctx, out).is_ok());
    CHECK(out == "plain text, then \t escape and \\t verbatim X");
  }
  TEST_CASE("literal programs") {
    lang::Program p;
    CHECK(p.is_literal());
    CHECK(p.text().empty());
    REQUIRE(lang::Program::compile("a\\x41b", p).is_ok());
    CHECK(p.is_literal());
    REQUIRE(lang::Program::compile("a$primary_hostname", p).is_ok());
    CHECK_FALSE(p.is_literal());
  }
}
