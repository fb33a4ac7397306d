#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.items.sg") {
  TEST_CASE("global substitution") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${sg{abcdefabcdef}{abc}{xyz}}", "xyzdefxyzdef"},
        {"${sg{abcdefabcdef}{(..)[^c]}{>$1<}}", "a><><><ef"},
        {"${sg{abcdefabcdef}{(..)[^c]}{>\\$1<}}", "a>bc<>ef<>bc<ef"},
        {"${sg{abcdef}{^(...)(...)\\$}{\\$2\\$1}}", "defabc"},
        {"${sg{abbab}{a*}{+}}", "++b+b++b+"},
        {"${sg{}{^}{start}}", "start"},
        {"${sg{hello}{x}{y}}", "hello"},
        {"${sg{aaa}{a}{\\$0\\$0}}", "aaaaaa"},
        {"${sg{x}{(x)}{[\\$2]}}", "[]"},
        {"${sg{abc}{b}{\\${uc:x\\}}}", "aXc"},
        {"${sg{Mixed}{(?i)mixed}{lower}}", "lower"},
        {"${sg{abc}{(}{x}}",
         "Failed: regular expression error in \"(\": missing closing parenthesis at offset 1"},
        {"${sg{abc}{b}}", "Failed: Not enough arguments for 'sg' (min is 3)"},
        {"${sg{abc}{b}{x}{y}}", "Failed: Too many arguments for 'sg' (max is 3)"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in, " got: ", ex(c.in));
  }
  TEST_CASE("run-time pattern and captures restored") {
    lang::EvalContext ctx;
    ctx.acl_vars["acl_m_re"] = "(b+)";
    std::string out;
    REQUIRE(lang::expand_string("${sg{abbc}{$acl_m_re}{<\\$1>}}", ctx, out).is_ok());
    CHECK(out == "a<bb>c");
    CHECK(ctx.captures.empty());
  }
}
