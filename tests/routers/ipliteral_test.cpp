// Tests for routers/ipliteral (spec chapter 18): domain literals to hosts, ignore_target_hosts,
// the local host and `self`.
#include <doctest/doctest.h>

#include "tests/engine/route_helper.h"

using routers::RouterResult;
using testroute::conf;
using testroute::Routing;

TEST_SUITE("routers.ipliteral") {
  TEST_CASE("literals are routed to their address; anything else declines") {
    Routing r("allow_domain_literals\n" +
              conf("lit:\n driver = ipliteral\n ignore_target_hosts = 198.51.100.0/24\n"
                   " transport = remote\nrest:\n driver = accept\n transport = local\n"));
    CHECK(r.bt({"x@[192.0.2.1]"}).second ==
          "x@[192.0.2.1]\n  router = lit, transport = remote\n  host [192.0.2.1] [192.0.2.1]\n");
    auto f = r.route("x@[IPv6:2001:db8::1]");
    REQUIRE(f.lists.remote.size() == 1);
    CHECK(f.lists.remote[0]->hosts[0].address == "2001:db8::1");
    CHECK(r.route("x@[198.51.100.5]").lists.local[0]->router_name == "rest");
    CHECK(r.route("x@[not.an.ip]").lists.local[0]->router_name == "rest");
    CHECK(r.route("x@example.org").lists.local[0]->router_name == "rest");
  }

  TEST_CASE("this host's address: `self` decides") {
    Routing r("allow_domain_literals\n" +
              conf("lit:\n driver = ipliteral\n self = fail\n transport = remote\n"));
    auto f = r.route("x@[127.0.0.1]");
    CHECK(f.top == RouterResult::Fail);
    CHECK(f.address->message == "remote host address is the local host");
  }
}
