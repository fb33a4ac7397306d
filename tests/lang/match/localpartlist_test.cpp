#include "lang/match/localpartlist.h"

#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

#include "tests/lang/match/list_helper.h"

namespace {
std::string run(std::string_view list, std::string_view lp, bool caseless = true) {
  testlang::be::Fixture f;
  lang::ListMatchResult r = lang::match_localpartlist(f.ctx, list, lp, caseless);
  return testlang::describe(r, f.ctx.captures.empty() ? "" : "/" + f.ctx.captures[0]);
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
