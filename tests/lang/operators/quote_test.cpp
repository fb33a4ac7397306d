#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"

using testlang::ex;

TEST_SUITE("lang.operators.quote") {
  TEST_CASE("plain and lookup quoting") {
    struct {
      const char *in, *want;
    } cases[] = {
        {"${quote:aZ09_.-}", "aZ09_.-"},
        {"${quote:}", "\"\""},
        {"${quote:say \"hi\"\\\\}", "\"say \\\"hi\\\"\\\\\""},
        {"${quote:a\\nb\\rc\\td}", "\"a\\nb\\rc\td\""},
        {"${quote_sqlite:it's}", "it''s"},
        {"${quote_lsearch:a b}", "a b"},
        {"${quote_ldap_dn:a,b}", "a%5C%2Cb"},
        {"${quote_nosuch:x}", "Failed: unknown lookup type \"nosuch\""},
        {"${quote_sqlite_x:x}", "Failed: \"x\" unrecognized after \"${quote_sqlite\""},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
