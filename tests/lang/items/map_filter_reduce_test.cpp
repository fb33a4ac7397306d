#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::be::ex;

TEST_SUITE("lang.items.map_filter_reduce") {
  TEST_CASE("map") {
    testlang::Case cases[] = {
        {"${map{a:b:c}{[$item]}}", "[a]:[b]:[c]"},
        {"${map{<- x-y-z}{($item)}}", "(x)-(y)-(z)"},
        {"[${map{}{$item}}]", "[]"},
        {"${map{a:b:c}{:$item:}}", "::a::: ::b::: ::c::"},
        {"${map{:b:c}{[$item]}}", "[]:[b]:[c]"},
        {"${map{a:b:c}{}}", ": : "},
        {"${map{<\\n a\\n\\nb}{'$item'}}", "'a'\n''\n'b'"},
        {"${map{a:b}{${map{<, x,y}{$item}}}}", "x,y:x,y"},
        {"${map{a:b}{$item}} after=[$item]", "a:b after=[]"},
        {"${map{a:b}{${if eq{$item}{b}{x}fail}}}",
         "Failed: \"if\" failed and \"fail\" requested inside \"map\" item"},
        {"${map{a:b}}", "Failed: missing '{' for last arg of map"},
        {"${map}", "Failed: missing '{' for first arg of map"},
        {"${map{a}{x}{b}}", "Failed: missing } at end of \"map\""},
        {"${map{a}{${nosuch:x}}}",
         "Failed: unknown expansion operator \"nosuch\" inside \"map\" item"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("filter") {
    testlang::Case cases[] = {
        {"${filter{a:b:c}{!eq{$item}{b}}}", "a:c"},
        {"${filter{<' a'b'c}{!eq{$item}{b}}}", "a'c"},
        {"[${filter{}{eq{1}{1}}}]", "[]"},
        {"${filter{a: :b}{eq{1}{1}}}", "a: :b"},
        {"${filter{a: :b}{!eq{$item}{a}}}", ":b"},
        {"${filter{a::b:c}{eq{$item}{a:b}}}", "a::b"},
        {"${filter{a@x:b@example.com}{match_domain{${domain:$item}}{+local_domains}}}",
         "b@example.com"},
        {"${filter{a:b}{eq{$item}}}",
         "Failed: missing 2nd string in {} after \"eq\" inside \"filter\" item"},
        {"${filter{a}{eq{1}{1}x}}",
         "Failed: missing } at end of condition or expression inside \"filter\"; could be an "
         "unquoted } in the content"},
        {"${filter{a}{>{$item}{1}}}",
         "Failed: integer expected but \"a\" found inside \"filter\" condition"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("reduce") {
    testlang::Case cases[] = {
        {"[${reduce{}{+}{$value$item}}]", "[+]"},
        {"${reduce{a:b:c}{+}{$value$item}}", "+abc"},
        {"${reduce{a:b:c}{}{$item$value}}", "cba"},
        {"${reduce {3:0:9:4:6}{0}{${if >{$item}{$value}{$item}{$value}}}}", "9"},
        {"${reduce{a:b}{v}{$value}} value after=[$value]", "v value after=[]"},
        {"${reduce{a:b}{x}}", "Failed: missing '{' for last arg of reduce"},
        {"${reduce{a:b}}", "Failed: missing '{' for second arg of reduce"},
        {"${reduce{a:b}{x}{${if eq{$item}{b}{x}fail}}}",
         "Failed: \"if\" failed and \"fail\" requested inside \"reduce\" item"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
