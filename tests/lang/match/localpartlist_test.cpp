#include "lang/match/localpartlist.h"

#include <doctest/doctest.h>

#include "tests/lang/list_fixture.h"

namespace {
std::string run(std::string_view list, std::string_view lp, bool caseless = true) {
  static const testfix::Lists lists;
  lang::EvalContext ctx;
  ctx.lists = &lists;
  lang::ListMatchResult r = lang::match_localpartlist(ctx, list, lp, caseless);
  switch (r.outcome) {
    case lang::ListMatch::Match:
      return "M:" + r.value + (ctx.captures.empty() ? "" : "/" + ctx.captures[0]);
    case lang::ListMatch::NoMatch:
      return "N";
    case lang::ListMatch::Defer:
      return "D:" + r.error;
  }
  return "?";
}
}  // namespace

TEST_SUITE("lang.match.localpartlist") {
  TEST_CASE("caseless by default, +caseful after") {
    CHECK(run("jack:jill:jo", "Jo") == "M:jo/jo");
    CHECK(run("jack:jill:jo", "Jo", false) == "N");
    CHECK(run("+caseful:jo", "Jo") == "N");
    CHECK(run("+caseful:Jo", "Jo") == "M:Jo/Jo");
    CHECK(run("*OT", "Root") == "M:*OT/root");
    CHECK(run("ro*", "Root") == "N");  // only a leading star is special
    CHECK(run("^ro(.*)", "Root") == "M:^ro(.*)/Root");
    CHECK(run("+caseful:^ro", "Root") == "N");
    CHECK(run("@", "@") == "M:@/@");  // no host specials in local-part lists
    CHECK(run("+admin_parts", "ABUSE") == "M:abuse/abuse");
    CHECK(run("!abuse:*", "abuse") == "N");
    CHECK(run("+local_domains", "x") == "D:");
  }
}
