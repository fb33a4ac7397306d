#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::be::ex;

TEST_SUITE("lang.conditions.forall") {
  TEST_CASE("lists") {
    testlang::Case cases[] = {
        {"${if forany{a:b:c}{eq{$item}{a}}{y}{n}}", "y"},
        {"${if forany{a:b:c}{eq{$item}{z}}{y}{n}}", "n"},
        {"${if forall{a:b:c}{!eq{$item}{z}}{y}{n}}", "y"},
        {"${if forall{a:b:z}{!eq{$item}{z}}{y}{n}}", "n"},
        {"${if forany{}{eq{$item}{a}}{y}{n}}", "n"},
        {"${if forall{}{eq{1}{1}}{y}{n}}", "n"},  // an empty list is not "all"
        {"${if forany{a:b}{forall{x:y}{!eq{$item}{a}}}{y}{n}}", "y"},
        {"${if forany{a:b}{eq{$item}{b}}{[$item]}}", "[]"},
        {"${if forany{a:b}}", "Failed: missing { after \"forany\""},
        {"${if forany{a}{nosuch}}",
         "Failed: unknown condition \"nosuch\" inside \"forany\" condition"},
        {"${if forany{a}{eq{1}{1}", "Failed: missing } at end of condition inside \"forany\""},
        {"${if forall{a}{>{$item}{1}}}",
         "Failed: integer expected but \"a\" found inside \"forall\" condition"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("json arrays") {
    testlang::Case cases[] = {
        {"${if forany_json{[1, 2, 3]}{={$item}{2}}{y}{n}}", "y"},
        {"${if forall_json{[1, 2, 3]}{<{$item}{5}}{y}{n}}", "y"},
        {"${if forany_jsons{[\"A\", \"B\"]}{eq{$item}{B}}{y}{n}}", "y"},
        {"${if forany_json{[\"A\", \"B\"]}{eq{$item}{\"B\"}}{y}{n}}", "y"},
        {"${if forany_json{[1, [2, 3], \\{\"a\":1\\}]}{eq{$item}{[2, 3]}}{y}{n}}", "y"},
        {"${if forany_json{[1 ,2]}{eq{$item}{1 }}{y}{n}}", "y"},  // trailing space kept
        {"${if forany_json{[1,,2]}{eq{$item}{2}}{y}{n}}", "n"},   // an empty element ends
        {"${if forany_json{[]}{eq{$item}{}}{y}{n}}", "n"},
        {"${if forany_jsons{[\"a\\\\\"b\"]}{eq{$item}{a\\\\\"b}}{y}{n}}", "y"},
        {"${if forany_jsons{[1]}{eq{$item}{1}}}",
         "Failed: missing '\"' wrapping string result for extract jsons"},
        {"${if forany_json{x}{eq{$item}{1}}}", "Failed: JSON array expected"},
        {"${if forany_json{[1,}{eq{$item}{1}}}", "Failed: JSON array not terminated"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
