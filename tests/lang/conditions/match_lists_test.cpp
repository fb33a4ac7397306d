#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::be::ex;

TEST_SUITE("lang.conditions.match_lists") {
  TEST_CASE("match_domain") {
    testlang::Case cases[] = {
        {"${if match_domain{a.b.c}{x.y.z:a.b.c}{y}{n}}", "y"},
        {"${if match_domain{foo.example.net}{+local_domains}{y}{n}}", "y"},
        {"${if match_domain{mail.example.com}{+local_domains}{[$value]}}", "[mail.example.com]"},
        {"${if match_domain{other.example}{+nested_domains}{y}{n}}", "y"},
        {"${if match_domain{abc123.example.com}{+regex_domains}{y}{n}}", "y"},
        {"${if match_domain{xxxabc}{^\\Nxxx(.*)\\N}{[$1]}{n}}", "[abc]"},
        {"${if match_domain{X.A.b}{*.b}{[$0][$1][$value]}}", "[x.a.b][x.a][*.b]"},
        {"${if match_domain{a.b}{^a\\\\.b$}{[$value]}{n}}", "[^a\\.b$]"},  // '$' not expanded
        {"${if match_domain{zz}{zz}{}}[$value]", "[]"},
        {"${if match_domain{abc}{^a(b)}{[$0][$1]}}", "[abc][b]"},  // $0 is the whole subject
        {"${if match_domain{B.C}{x:b.c}{[$0]}}", "[b.c]"},
        {"${if match_domain{x}{+failing:x}{y}{n}}", "y"},  // forced failure: not in that list
        {"${if match_domain{x}{+no_such_list}{y}{n}}",
         "Failed: unable to complete match against \"+no_such_list\": NULL"},
        {"${if match_domain{x}{+admin_parts}{y}{n}}",
         "Failed: unable to complete match against \"+admin_parts\": NULL"},
        {"${if match_domain{x}{+loop}{y}{n}}",
         "Failed: unable to complete match against \"+loop\": NULL"},
        {"${if match_domain{x}{^(}{y}{n}}",
         "Failed: unable to complete match against \"^(\": regular expression error: missing "
         "closing parenthesis at offset 2 while compiling ^("},
        {"${if match_domain{a}}", "Failed: missing 2nd string in {} after \"match_domain\""},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("match_address and match_local_part") {
    testlang::Case cases[] = {
        {"${if match_address{x@y.z}{p@q:*@y.z}{y}{n}}", "y"},
        {"${if match_address{Spammer@BAD.example}{+blocked_senders}{y}{n}}", "y"},
        {"${if match_address{bulk-42@news.example}{+blocked_senders}{y}{n}}", "y"},
        {"${if match_address{user@example.com}{user@+local_domains}{y}{n}}", "y"},
        {"${if match_address{User@example.com}{+caseful:user@example.com}{y}{n}}", "n"},
        {"${if match_address{user@EXAMPLE.com}{+caseful:user@example.com}{y}{n}}", "y"},
        {"${if match_local_part{Postmaster}{+admin_parts}{y}{n}}", "y"},
        {"${if match_local_part{Postmaster}{+caseful:postmaster}{y}{n}}", "n"},
        {"${if match_local_part{abuse}{!abuse:*}{y}{n}}", "n"},
        {"${if match_local_part{AB}{*B}{[$0][$1][$value]}}", "[ab][a][*B]"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
