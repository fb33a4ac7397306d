#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.conditions.match") {
  TEST_CASE("matching and captures") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${if match{abcd}{\\N^([ab]+)(\\w+)$\\N}{$2$1}fail}", "cdab"},
        {"${if match{wxyz}{^([ab]+)}{$1}{no match}}", "no match"},
        {"${if match{abcd}{^([ab]+)(\\\\w+)\\$}{$2[${if match{xyz}{(.*)}{$1}fail}]$1}fail}",
         "cd[xyz]ab"},
        {"${if match{ABC}{abc}{y}{n}}", "n"},
        {"${if match{ABC}{(?i)abc}{y}{n}}", "y"},
        {"${if match{foo}{}{y}{n}}", "y"},
        {"${if match{line1\\nline2}{^line2}{y}{n}}", "n"},
        {"${if match{x}{(y)?x}{[$1]}{no}}", "[]"},
        {"[${if match{abc}{b}{$0}}][$0]", "[b][]"},
        {"${if !match{abc}{^z}{no z}{z}}", "no z"},
        {"${if match{abc}{[}{y}{n}}",
         "Failed: regular expression error in \"[\": missing terminating ] for character class at "
         "offset 1"},
        {"${if match{abc}}", "Failed: missing 2nd string in {} after \"match\""},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in, " got: ", ex(c.in));
  }
  TEST_CASE("pattern built at run time") {
    lang::EvalContext ctx;
    ctx.acl_vars["acl_m_re"] = "^(a+)";
    std::string out;
    REQUIRE(lang::expand_string("${if match{aab}{$acl_m_re}{$1}{no}}", ctx, out).is_ok());
    CHECK(out == "aa");
    ctx.acl_vars["acl_m_re"] = "(";
    CHECK(lang::expand_string("${if match{a}{$acl_m_re}{y}{n}}", ctx, out).is_error());
  }
}
