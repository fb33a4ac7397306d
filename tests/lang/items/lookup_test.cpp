#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"

using testlang::ex;

TEST_SUITE("lang.items.lookup") {
  TEST_CASE("yes/no, $value, syntax errors") {
    testfiles::TempDir d;
    std::string f = d.write("f", "a: b\nb: c\n");
    struct {
      std::string in, want;
    } cases[] = {
        {"${lookup{a}lsearch{" + f + "}}", "b"},
        {"${lookup {a} lsearch {" + f + "} {<$value>} }", "<b>"},
        {"${lookup{x}lsearch{" + f + "}{y}{n:$value}}", "n:"},
        {"${lookup{a}lsearch{" + f + "}{${lookup{x}lsearch{" + f + "}{}{[$value]}}}}", "[b]"},
        {"${lookup{a}lsearch{" + f + "}{${lookup{$value}lsearch{" + f + "}}}}", "c"},
        {"${lookup{a}lsearch{" + f + "}{$value}} [$value]", "b []"},
        {"${lookup{x}lsearch{" + f + "}{$value}fail}",
         "Failed: \"lookup\" failed and \"fail\" requested"},
        {"${lookup{x}lsearch{" + f + "}{$value}failx}",
         "Failed: syntax error in \"lookup\" item - \"fail\" expected"},
        {"${lookup{x}}", "Failed: missing lookup type"},
        {"${lookup{x}lsearch}", "Failed: unknown lookup type \"lsearch}\""},
        {"${lookup{x}lsearch x}", "Failed: missing '{' for lookup file-or-query arg"},
        {"${lookup lsearch{" + f + "}}", "Failed: missing {key} for single-key \"lsearch\" lookup"},
        {"${lookup{x}sqlite{/x select 1}}",
         "Failed: a single key was given for lookup type \"sqlite\", which is not a single-key "
         "lookup type"},
        {"${if eq{1}{1}{ok}{${lookup{x}lsearch{/no/such/file}}}}", "ok"},
        {"${if eq{1}{1}{ok}{${lookup{x}nosuch{/f}}}}", "Failed: unknown lookup type \"nosuch\""},
        {"${lookup{a\tb\n}iplsearch{" + f + "}}",
         "Failed: lookup of \"a\\tb\\n\" gave DEFER: \"a\tb\n\" is not a valid iplsearch key (an "
         "IP address, with optional CIDR mask, is wanted): in a host list, use net-iplsearch as "
         "the search type"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("forbidden lookups") {
    lang::EvalContext ctx;
    ctx.forbid = lang::EvalContext::kForbidLookup;
    CHECK(ex(ctx, "${lookup passwd{root}}") == "Failed: lookup expansions are not permitted");
  }
}
