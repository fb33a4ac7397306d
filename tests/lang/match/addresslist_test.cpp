#include "lang/match/addresslist.h"

#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

#include "tests/lang/match/list_helper.h"

namespace {
std::string run(std::string_view list, std::string_view address) {
  testlang::be::Fixture f;
  lang::ListMatchResult r = lang::match_addresslist(f.ctx, list, address);
  return testlang::describe(r, f.ctx.captures.empty() ? "" : "/$0");
}
}  // namespace

TEST_SUITE("lang.match.addresslist") {
  TEST_CASE("patterns") {
    struct {
      const char* list;
      const char* address;
      const char* want;
    } cases[] = {
        {"p@q:*@y.z", "x@y.z", "M:*@y.z"},
        {"x@*.z", "x@y.z", "M:x@*.z"},
        {"@example.com", "user@example.com", "N"},
        {"*@*.example.com", "user@sub.example.com", "M:*@*.@*.example.com"},  // Exim's value
        {"Root@example.com", "root@EXAMPLE.com", "M:Root@example.com"},
        {"*t@example.com", "Root@example.com", "M:*t@e@example.com"},
        {"example.com", "Root@example.com", "M:@example.com"},
        {"*.com", "Root@example.com", "M:@*.com"},
        {"^ro", "Root@example.com", "M:"},  // a whole-address regex sets no $0
        {"+caseful:^ro", "Root@example.com", "N"},
        {"+caseful:Root@EXAMPLE.com", "Root@example.com", "N"},
        {"+caseful:*.COM", "Root@example.com", "N"},
        {"+caseful:Root@+local_domains", "Root@example.com", "M:Root@example.com"},
        {"Root@EXAMPLE.com", "Root@example.com", "M:Root@EXAMPLE.com"},
        {"+caseful:Root@example.com", "Root@EXAMPLE.com", "M:Root@example.com"},
        {"user@+local_domains", "user@example.com", "M:user@example.com"},
        {"+blocked_senders", "anyone@junk.example", "M:*@junk@junk.example"},
        {":", "", "M:"},
        {"*", "", "N"},
        {"abc", "abc", "N"},  // a subject without '@' matches nothing
        {"^abc", "abc", "N"},
        {"a@", "a@", "N"},
        {"x@y@z", "x@y@z", "M:x@y@z"},
        {"x@+no_such_list", "x@y", "D:"},
        {"a@b.c : ^a", "a@x.b.c", "M:a@"},  // Exim keeps the failed item's value
        {"b@b.c : ^a", "a@x.b.c", "M:"},
        {"a;b@c", "a@x", "D:unknown lookup type \"a\""},
    };
    for (auto& c : cases) {
      CHECK_MESSAGE(run(c.list, c.address) == c.want, "list: ", c.list, " address: ", c.address);
    }
  }
}
