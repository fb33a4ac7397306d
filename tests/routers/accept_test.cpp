// Tests for routers/accept: queueing for the router's transport, local and remote lists,
// transport errors, uid/gid/home for local deliveries (spec chapters 16 and 15).
#include <doctest/doctest.h>

#include "tests/engine/route_helper.h"

using routers::RouterResult;
using testroute::conf;
using testroute::Routing;

TEST_SUITE("routers.accept") {
  TEST_CASE("local and remote transports, transport expansion and errors") {
    Routing r(conf(R"(
expanded:
  driver = accept
  domains = exp.example
  transport = ${if eq{$local_part}{far}{remote}{${if eq{$local_part}{bad}{nosuch}{local}}}}
verify:
  driver = accept
  domains = v.example
  verify_only
)"));
    auto f = r.route("near@exp.example");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->transport == "local");
    CHECK(f.lists.local[0]->local_transport);
    f = r.route("far@exp.example");
    REQUIRE(f.lists.remote.size() == 1);
    CHECK(f.lists.remote[0]->transport == "remote");
    f = r.route("bad@exp.example");
    CHECK(f.top == RouterResult::Defer);
    CHECK(f.address->message == "transport \"nosuch\" not found in expanded router");
    CHECK(r.bt({"x@v.example"}) ==
          std::pair<int, std::string>{2, "x@v.example is undeliverable: Unrouteable address\n"});
    CHECK(r.bv({"x@v.example"}) == std::pair<int, std::string>{0, "x@v.example verified\n"});
  }

  TEST_CASE("-bt output: router and transport, in Exim's order (local first, newest first)") {
    Routing r(
        conf("a:\n driver = accept\n domains = example.org\n transport = local\n"
             "b:\n driver = accept\n transport = remote\n"));
    CHECK(r.bt({"x@example.org, y@remote.example", "z@example.org"}).second ==
          "x@example.org\n  router = a, transport = local\n"
          "y@remote.example\n  router = b, transport = remote\n"
          "z@example.org\n  router = a, transport = local\n");
  }

  TEST_CASE("user and group give the delivery's ids; check_local_user its home") {
    Routing r(conf(R"(
byname:
  driver = accept
  local_parts = u1
  user = root
  group = 0
  transport = local
numeric:
  driver = accept
  local_parts = u2
  user = 12345
  transport = local
missing:
  driver = accept
  local_parts = u3
  user = no-such-user-x
  transport = local
home:
  driver = accept
  local_parts = root
  check_local_user
  transport_home_directory = /h/$local_part
  transport = local
)"));
    auto f = r.route("u1@x.example");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->ids.uid == 0u);
    CHECK(f.lists.local[0]->ids.gid == 0u);
    f = r.route("u2@x.example");
    CHECK(f.lists.local[0]->ids.uid == 12345u);
    CHECK(!f.lists.local[0]->ids.gid);
    f = r.route("u3@x.example");
    CHECK(f.top == RouterResult::Defer);
    CHECK(f.address->message ==
          "failed to find user \"no-such-user-x\" from expanded string "
          "\"no-such-user-x\" for the missing router");
    f = r.route("root@x.example");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->ids.home_dir == "/h/$local_part");  // expanded at transport time
    CHECK(!f.lists.local[0]->ids.home_expanded);
  }
}
