// Tests for authenticators/common: NUL splitting as Exim does it, hiding secrets, and the
// generic condition test (spec 33.1, server_condition).
#include <doctest/doctest.h>

#include "authenticators/common.h"
#include "tests/authenticators/auth_fixture.h"

using authenticators::ServerOutcome;
using Items = std::vector<std::string>;

namespace {

Items split(std::string_view s, bool at_least_one) {
  Items out;
  authenticators::split_at_nuls(s, at_least_one, out);
  return out;
}

}  // namespace

TEST_SUITE("authenticators.common") {
  TEST_CASE("split_at_nuls") {
    using namespace std::string_literals;
    CHECK(split("\0a\0b"s, false) == Items{"", "a", "b"});
    CHECK(split("a\0"s, false) == Items{"a"});
    CHECK(split("a\0\0"s, false) == Items{"a", ""});
    CHECK(split("", false).empty());
    CHECK(split("", true) == Items{""});
  }

  TEST_CASE("hide_secret") {
    CHECK(authenticators::hide_secret("pw pw x", "pw") == "<hidden> <hidden> x");
    CHECK(authenticators::hide_secret("abc", "") == "abc");
    CHECK(authenticators::hide_secret("aaaa", "aa") == "<hidden><hidden>");
  }

  TEST_CASE("check_condition: Exim's words") {
    authtest::Fixture f(R"(
begin authenticators
a:
  driver = plaintext
  server_condition = $acl_c0
b:
  driver = plaintext
  server_condition = ${if eq{1}{2}{yes}fail}
c:
  driver = plaintext
  server_condition = ${lookup{x}lsearch{/nonexistent}}
)");
    struct {
      const char* value;
      ServerOutcome want;
    } cases[] = {{"", ServerOutcome::Fail},   {"0", ServerOutcome::Fail},
                 {"No", ServerOutcome::Fail}, {"FALSE", ServerOutcome::Fail},
                 {"1", ServerOutcome::Ok},    {"yes", ServerOutcome::Ok},
                 {"True", ServerOutcome::Ok}, {"perhaps", ServerOutcome::Defer}};
    for (const auto& c : cases) {
      f.ctx.acl_vars["acl_c0"] = c.value;
      auto r =
          authenticators::check_condition(f.get("a"), "server_condition", f.ctx, ServerOutcome::Ok);
      CHECK_MESSAGE(r.outcome == c.want, c.value);
    }
    CHECK(authenticators::check_condition(f.get("b"), "server_condition", f.ctx, ServerOutcome::Ok)
              .outcome == ServerOutcome::Fail);
    CHECK(authenticators::check_condition(f.get("c"), "server_condition", f.ctx, ServerOutcome::Ok)
              .outcome == ServerOutcome::Defer);
    CHECK(authenticators::check_condition(f.get("a"), "client_condition", f.ctx, ServerOutcome::Ok)
              .outcome == ServerOutcome::Ok);
  }
}
