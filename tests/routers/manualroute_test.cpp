// Tests for routers/manualroute (spec chapter 20): rules, host lists and their options, host
// lookups through a fake resolver, host_find_failed, per-rule transports, -bt output.
#include <doctest/doctest.h>

#include <set>

#include "tests/engine/route_helper.h"

using routers::RouterResult;
using testroute::conf;
using testroute::FakeResolver;
using testroute::hosts_of;
using testroute::ResolverScope;
using testroute::Routing;

TEST_SUITE("routers.manualroute") {
  TEST_CASE("route_list: first matching rule; wildcards, regex captures, lookups' $value") {
    Routing r(conf(R"(
hubs:
  driver = manualroute
  route_list = hub.example 192.0.2.101 ; *.hub.example 192.0.2.102:192.0.2.103 ; \
               ^(\w+)\.num\.example 198.51.100.$1 ; !+local_domains 203.0.113.9
  transport = remote
)"));
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"a@hub.example", "192.0.2.101=192.0.2.101"},
        {"a@deep.sub.hub.example", "192.0.2.102=192.0.2.102 192.0.2.103=192.0.2.103"},
        {"a@7.num.example", "198.51.100.7=198.51.100.7"},
        {"a@other.example", "203.0.113.9=203.0.113.9"},
    };
    for (const auto& c : cases) {
      auto f = r.route(c.in);
      REQUIRE_MESSAGE(f.lists.remote.size() == 1, c.in);
      CHECK(hosts_of(*f.lists.remote[0]) == c.want);
    }
    CHECK(r.route("a@example.org").top == RouterResult::Fail);  // no rule: declines
  }

  TEST_CASE("route_data, ports, options, per-rule transport, local transports get $host") {
    Routing r(conf(R"(
data:
  driver = manualroute
  domains = data.example
  route_data = ${if eq{$local_part}{none}{}{"</ 192.0.2.7:2525 / [2001:db8::1]:26" no_randomize}}
  transport = remote
rules:
  driver = manualroute
  route_list = local.example "h1.example:h2.example" local ; bad.example 192.0.2.1 bogus
  transport = remote
)"));
    auto f = r.route("x@data.example");
    REQUIRE(f.lists.remote.size() == 1);
    CHECK(hosts_of(*f.lists.remote[0]) == "192.0.2.7=192.0.2.7:2525 2001:db8::1=2001:db8::1:26");
    CHECK(r.route("none@data.example").top == RouterResult::Fail);
    CHECK(r.bt({"x@local.example"}).second ==
          "x@local.example\n  router = rules, transport = local\n"
          "  host h1.example:h2.example          \n");
    f = r.route("x@bad.example");
    CHECK(f.top == RouterResult::Defer);
    CHECK(f.address->message ==
          "error in router: unknown routing option or transport name \"bogus\"");
  }

  TEST_CASE("host names: DNS then the C library by default, byname, bydns, /MX") {
    FakeResolver res;
    res.dns["dns.example"] = {"192.0.2.10", "2001:db8::10"};
    res.names["hosts.example"] = {"192.0.2.11"};
    res.mx["mx.example"] = {{10, "a.mx.example"}, {20, "b.mx.example"}};
    res.dns["a.mx.example"] = {"192.0.2.21"};
    res.dns["b.mx.example"] = {"192.0.2.22"};
    ResolverScope scope(&res);
    Routing r(conf(R"(
mr:
  driver = manualroute
  route_list = default.example dns.example:hosts.example ; \
               byname.example dns.example byname ; \
               bydns.example hosts.example bydns ; \
               v4.example dns.example ipv4_prefer ; \
               mx.example mx.example/mx
  transport = remote
)"));
    auto f = r.route("x@default.example");
    CHECK(hosts_of(*f.lists.remote[0]) ==
          "dns.example=192.0.2.10 dns.example=2001:db8::10 hosts.example=192.0.2.11");
    f = r.route("x@byname.example");
    CHECK(f.top == RouterResult::Defer);  // not in /etc/hosts: host_find_failed = freeze
    CHECK(f.address->message == "lookup of host \"dns.example\" failed in mr router");
    CHECK(r.route("x@bydns.example").top == RouterResult::Defer);
    CHECK(r.bt({"x@mx.example"}).second ==
          "x@mx.example\n  router = mr, transport = remote\n"
          "  host a.mx.example [192.0.2.21] MX=10\n  host b.mx.example [192.0.2.22] MX=20\n");
  }

  TEST_CASE("host_find_failed, host_all_ignored, pass_on_timeout, ignore_target_hosts") {
    FakeResolver res;
    res.dns["up.example"] = {"192.0.2.30"};
    res.again = {"slow.example"};
    ResolverScope scope(&res);
    Routing r(conf(R"(
ignore:
  driver = manualroute
  domains = ignore.example
  route_list = * down.example:up.example
  host_find_failed = ignore
  transport = remote
all_ignored:
  driver = manualroute
  domains = all.example
  route_list = * down.example
  host_find_failed = ignore
  host_all_ignored = fail
  transport = remote
pass:
  driver = manualroute
  domains = pass.example
  route_list = * down.example
  host_find_failed = pass
  no_more
  transport = remote
slow:
  driver = manualroute
  domains = slow.example
  route_list = * slow.example
  pass_on_timeout
  transport = remote
targets:
  driver = manualroute
  domains = targets.example
  route_list = * 192.0.2.40:192.0.2.41
  ignore_target_hosts = 192.0.2.40
  transport = remote
fallback:
  driver = accept
  transport = local
)"));
    auto f = r.route("x@ignore.example");
    CHECK(hosts_of(*f.lists.remote[0]) == "up.example=192.0.2.30");
    f = r.route("x@all.example");
    CHECK(f.top == RouterResult::Fail);
    CHECK(f.address->message ==
          "lookup failed for all hosts in all_ignored router: "
          "host_find_failed=ignore host_all_ignored=fail");
    CHECK(r.route("x@pass.example").lists.local[0]->router_name == "fallback");
    CHECK(r.route("x@slow.example").lists.local[0]->router_name == "fallback");
    f = r.route("x@targets.example");
    CHECK(hosts_of(*f.lists.remote[0]) == "192.0.2.41=192.0.2.41");
  }

  TEST_CASE("hosts_randomize keeps the groups that \"+\" separates") {
    Routing r(
        conf("mr:\n driver = manualroute\n hosts_randomize\n"
             " route_list = * 192.0.2.1:192.0.2.3:192.0.2.4:+:198.51.100.1:198.51.100.9\n"
             " transport = remote\n"));
    std::set<std::string> firsts;
    for (int i = 0; i < 40; ++i) {
      auto f = r.route("x@y.example");
      const auto& hosts = f.lists.remote[0]->hosts;
      REQUIRE(hosts.size() == 5);
      for (int k = 0; k < 3; ++k) CHECK(hosts[k].address.rfind("192.0.2.", 0) == 0);
      firsts.insert(hosts[0].address);
    }
    CHECK(firsts.size() > 1);
  }
}
