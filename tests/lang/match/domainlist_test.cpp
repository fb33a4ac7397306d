#include "lang/match/domainlist.h"

#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

#include "tests/lang/match/list_helper.h"

namespace {
// "M:value", "N" or "D:error".
std::string run(std::string_view list, std::string_view domain) {
  testlang::be::Fixture f;
  return testlang::describe(lang::match_domainlist(f.ctx, list, domain));
}
}  // namespace

TEST_SUITE("lang.match.domainlist") {
  TEST_CASE("items and values") {
    testlang::Case cases[] = {
        {"a.c:x.B", "M:x.B"},
        {"@", "N"},
        {"*.b", "M:*.b"},
        {"*X.b", "M:*X.b"},
        {"^x\\.", "M:^x\\."},
        {"^(?-i)X", "N"},
        {"@mx_any", "N"},  // no DNS yet
        {"@[]", "N"},
        {"nosuch;x", "D:unknown lookup type \"nosuch\""},
        {"+local_domains", "N"},
    };
    for (auto& c : cases) CHECK_MESSAGE(run(c.in, "x.b") == c.want, "list: ", c.in);
    CHECK(run("@", "MAIL.example.com") == "M:mail.example.com");
    CHECK(run("+local_domains", "a.example.net") == "M:*.example.net");
    CHECK(run("@[]", "[127.0.0.1]") == "M:@[]");
    CHECK(run("@[]", "[192.0.2.1]") == "N");
    CHECK(run("@[]", "127.0.0.1") == "N");
  }

  TEST_CASE("local literals") {
    CHECK(lang::domain_is_local_literal("[127.0.0.1]"));
    CHECK_FALSE(lang::domain_is_local_literal("[IPv6:::1]"));
    CHECK_FALSE(lang::domain_is_local_literal("[x]"));
    CHECK_FALSE(lang::domain_is_local_literal("["));
  }
}
