#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::Case;
using testlang::ex_forced;

namespace {
void run(const Case* b, const Case* e) {
  for (; b != e; ++b)
    CHECK_MESSAGE(ex_forced(b->in) == b->want, "input: ", b->in, " got: ", ex_forced(b->in));
}
}  // namespace

TEST_SUITE("lang.items.extract") {
  TEST_CASE("named fields") {
    const Case cases[] = {
        {"${extract{B}{A=1 B=2 C=3}}", "2"},
        {"${extract{ b }{A=1 B=2 C=3}{<$value>}{none}}", "<2>"},
        {"<${extract{D}{A=1 B=2}}>", "<>"},
        {"${extract{Z}{A=1}{y}{no Z}}", "no Z"},
        {"${extract{a-b}{X = \"one two\" a-b \"three four\"}}", "three four"},
        {"${extract{k}{k=\"a\\\\tb\"}}", "a\tb"},
        {"${extract{k}{k==x}}", "=x"},
        {"${extract{k}{kk=1 k=2}}", "2"},
        {"${extract{a}{a=b\"c d\"}}", "b\"c"},
        {"${extract{+1}{+1=x}}", "x"},
        {"${extract{a}{a}{Y<$value>}{N}}", "Y<>"},
        {"${extract{Z}{A=1}{$value}fail}", "Forced: \"extract\" failed and \"fail\" requested"},
        {"${extract{}{X=3}}", "Failed: first argument of \"extract\" must not be empty"},
        {"${extract{a}}", "Failed: missing '{' for arg 2 of extract"},
        {"${extract}", "Failed: missing '{' for arg 1 of extract"},
    };
    run(std::begin(cases), std::end(cases));
  }
  TEST_CASE("numbered fields") {
    const Case cases[] = {
        {"${extract{2}{:}{1:2:3}}", "2"},
        {"${extract{0}{:}{a:b}}", "a:b"},
        {"${extract{-1}{:}{a:b:c}}", "c"},
        {"${extract{-4}{:}{a:b:c}{$value}{FAIL}}", "FAIL"},
        {"${extract{-3}{:,}{a,,b::c}}", "b"},
        {"${extract{3}{ }{a  b c}}", "b"},
        {"${extract{1}{:}{}{Y}{N}}", "Y"},
        {"${extract{2}{}{abc}{Y}{N}}", "N"},
        {"${extract{99999999999999999999}{:}{a}{Y}{N}}", "N"},
        {"${extract{1}{:}}", "Failed: missing '{' for arg 3 of extract"},
        {"${extract{-}{a}}", "Failed: missing '{' for arg 3 of extract"},
        {"${extract{1}{:}{a:b}{$value}{x}{extra}}",
         "Failed: curly-bracket problem in conditional yes/no parsing: did not close with '}'\n"
         " remaining string is '{extra}}'"},
    };
    run(std::begin(cases), std::end(cases));
  }
  TEST_CASE("key known only at run time") {
    lang::EvalContext ctx;
    ctx.acl_vars["acl_m_k"] = "2";
    ctx.acl_vars["acl_m_n"] = "b";
    std::string out;
    REQUIRE(lang::expand_string("${extract{$acl_m_k}{:}{a:b}{<$value>}}", ctx, out).is_ok());
    CHECK(out == "<b>");
    REQUIRE(lang::expand_string("${extract{$acl_m_n}{a=1 b=2}{<$value>}{no}}", ctx, out).is_ok());
    CHECK(out == "<2>");
  }
  TEST_CASE("json") {
    const Case cases[] = {
        {"${extract json{W}{\\{\"U\": \"x\", \"W\": 100\\}}}", "100"},
        {"${extract json{U}{\\{\"U\": \"x\"\\}}}", "\"x\""},
        {"${extract jsons{U}{\\{\"U\": \"x y\"\\}}}", "x y"},
        {"${extract json {2} {[116, 943, 234]} }", "943"},
        {"<${extract jsons{5} {[\"a\", \"b\"]} }>", "<>"},
        {"${extract json{a}{\\{\"a\": [1, 2]\\}}{found $value}{missing}}", "found [1, 2]"},
        {"${extract json{b}{\\{ \"a\" :1,  \"b\"  :  2  \\}}}", "2  "},
        {"${extract json{2}{[1,2] x}}", "2"},
        {"<${extract json{3}{[1,\"a,]b\",3]}}>", "<>"},
        {"${extract json{a}{xx}}", "Failed: missing '{' wrapping object for extract json"},
        {"${extract json{1}{\\{\"a\":1\\}}}",
         "Failed: missing '[' wrapping array for extract json"},
        {"${extract json{0}{[1]}}",
         "Failed: first argument of \"extract\" must be greater than zero"},
        {"${extract json{b}{\\{ a :1\\}}}",
         "Failed: missing '\"' wrapping string key for extract json"},
        {"${extract json{b}{\\{\"b\" 3\\}}}",
         "Failed: missing object value-separator for extract json"},
        {"${extract jsons{a}{\\{\"a\":1\\}}}",
         "Failed: missing '\"' wrapping string result for extract jsons"},
    };
    run(std::begin(cases), std::end(cases));
  }
}
