#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

namespace {
struct Got {
  std::string out;
  int runrc;
};
Got ex(std::string_view s) {
  lang::EvalContext ctx;
  std::string out = testlang::ex_forced(ctx, s);
  return {out, ctx.runrc};
}
}  // namespace

TEST_SUITE("lang.items.run") {
  TEST_CASE("arguments are split before expansion") {
    CHECK(ex("${run{/bin/echo a  b}}").out == "a b\n");
    CHECK(ex("${run{/bin/echo \"x  y\" 'p  q'}}").out == "x  y p  q\n");
    CHECK(ex("${run{/bin/echo ${lc:A}}}").out == "a\n");
    CHECK(ex("${run,preexpand{/bin/echo ${lc:A B}}}").out == "a b\n");
    CHECK(ex("${run{/bin/echo ${lc:A B}}}").out ==
          "Failed: Expansion of \"${lc:A\" from command \"/bin/echo ${lc:A B}\" in ${run} "
          "expansion failed: missing } at end of string");
    CHECK(ex("${run,nosuch{/bin/echo}}").out == "Failed: bad option 'nosuch' for run");
  }
  TEST_CASE("status, value and branches") {
    CHECK(ex("${run{/bin/sh -c 'echo out; echo err >&2'}}").out == "out\nerr\n");
    CHECK(ex("${run{/bin/sh -c 'exit 3'}{ok}{rc=$runrc}}").out == "rc=3");
    CHECK(ex("${run{/bin/echo hi}{ok: $value}}").out == "ok: hi\n");
    CHECK(ex("${run{/bin/sh -c 'exit 2'}{y}fail}").out ==
          "Forced: \"run\" failed and \"fail\" requested");
    Got missing = ex("${run{/no/such/program}{ran}{could not run}}");
    CHECK(missing.out == "could not run");
    CHECK(missing.runrc == 127);
    CHECK(ex("${run{relative-command}}").out.empty());
    CHECK(ex("${run{/bin/sh -c 'kill -9 \\$\\$'}}").out == "Failed: command killed by signal 9");
    CHECK(ex("${if eq{1}{2}{${run{/no/such}}}{skipped}}").out == "skipped");
  }
  TEST_CASE("$value stays set after the item") {
    lang::EvalContext ctx;
    std::string out;
    REQUIRE(lang::expand_string("${run{/bin/echo hi}{x}}[$value]", ctx, out).is_ok());
    CHECK(out == "x[hi\n]");
  }
}
