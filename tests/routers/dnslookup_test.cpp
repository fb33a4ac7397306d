// Tests for routers/dnslookup and routers/host_dns (spec chapter 17) through a fake resolver
// and a deterministic random source: preference order and its shuffling, SRV weights,
// mx_fail_domains and srv_fail_domains, allow_mx_to_ip, ipv4_prefer, check_srv expansion,
// widening with and without rewrite_headers, same_domain_copy_routing. The same router
// against the real test DNS, checked against Exim 4.96, is tests/dns/dnslookup.cases.
#include <doctest/doctest.h>

#include "routers/host_dns.h"
#include "tests/engine/route_helper.h"

using routers::RouterResult;
using testroute::conf;
using testroute::FakeResolver;
using testroute::ResolverScope;
using testroute::Routing;

namespace {

std::string hosts_of(const engine::Address& a) {
  return testroute::hosts_of(a, true);
}

// Random sources: always 0 (everything keeps the DNS order), and one counting down (each
// later item sorts before the earlier ones: equal items come out reversed).
std::uint32_t zero(std::uint32_t) {
  return 0;
}
std::uint32_t g_next = 0;
std::uint32_t countdown(std::uint32_t bound) {
  return (bound - 1) - (g_next++ % bound);
}

struct RandomScope {
  explicit RandomScope(routers::HostRandom r) {
    g_next = 0;
    routers::set_host_random(r);
  }
  ~RandomScope() { routers::set_host_random(nullptr); }
};

util::dns::Record srv(std::uint32_t priority, std::uint32_t weight, std::uint32_t port,
                      std::string target) {
  util::dns::Record r;
  r.type = util::dns::kSRV;
  r.host = std::move(target);
  r.num[0] = priority;
  r.num[1] = weight;
  r.num[2] = port;
  return r;
}

const char* kRouters = R"(
dl:
  driver = dnslookup
  transport = remote
  mx_fail_domains = mxfail.example
  srv_fail_domains = srvfail.example
  check_srv = ${if eq{$local_part}{srv}{smtp}fail}
  ipv4_prefer = ${if eq{$local_part}{v4}{yes}{no}}
  widen_domains = example
  same_domain_copy_routing
  no_more
)";

}  // namespace

TEST_SUITE("routers.dnslookup") {
  TEST_CASE("MX preference order; equal preferences shuffled through the random source") {
    FakeResolver res;
    res.mx["eq.example"] = {{20, "c.example"}, {10, "a.example"}, {10, "b.example"}};
    res.dns["a.example"] = {"192.0.2.1"};
    res.dns["b.example"] = {"2001:db8::2", "192.0.2.2", "192.0.2.3"};
    res.dns["c.example"] = {"192.0.2.4"};
    ResolverScope scope(&res);
    Routing r(conf(kRouters));
    {
      RandomScope random(zero);
      auto f = r.route("x@eq.example");
      REQUIRE(f.lists.remote.size() == 1);
      CHECK(hosts_of(*f.lists.remote[0]) ==
            "a.example=192.0.2.1/10 b.example=2001:db8::2/10 b.example=192.0.2.2/10 "
            "b.example=192.0.2.3/10 c.example=192.0.2.4/20");
      f = r.route("v4@eq.example");  // ipv4_prefer: IPv4 addresses first
      CHECK(hosts_of(*f.lists.remote[0]) ==
            "a.example=192.0.2.1/10 b.example=192.0.2.2/10 b.example=192.0.2.3/10 "
            "b.example=2001:db8::2/10 c.example=192.0.2.4/20");
    }
    RandomScope random(countdown);
    auto f = r.route("x@eq.example");
    CHECK(hosts_of(*f.lists.remote[0]) ==
          "b.example=2001:db8::2/10 b.example=192.0.2.3/10 b.example=192.0.2.2/10 "
          "a.example=192.0.2.1/10 c.example=192.0.2.4/20");
  }

  TEST_CASE("SRV records: priority, then weight (RFC 2782); ports; failures per domain") {
    FakeResolver res;
    res.srv["_smtp._tcp.srv.example"] = {srv(20, 0, 587, "c.example"), srv(10, 0, 25, "a.example"),
                                         srv(10, 60, 2525, "b.example")};
    res.mx["srv.example"] = {{10, "mx.example"}};
    res.mx["srvfail.example"] = {{10, "mx.example"}};
    res.mx["other.example"] = {{10, "mx.example"}};
    for (const char* h : {"a.example", "b.example", "c.example", "mx.example"})
      res.dns[h] = {"192.0.2.9"};
    res.again_records = {"_smtp._tcp.srvfail.example", "_smtp._tcp.other.example"};
    ResolverScope scope(&res);
    Routing r(conf(kRouters));
    RandomScope random(zero);
    auto f = r.route("srv@srv.example");
    REQUIRE(f.lists.remote.size() == 1);
    CHECK(hosts_of(*f.lists.remote[0]) ==
          "a.example=192.0.2.9/10:25 b.example=192.0.2.9/10:2525 c.example=192.0.2.9/20:587");
    f = r.route("x@srv.example");  // check_srv forced to fail: MX records
    CHECK(hosts_of(*f.lists.remote[0]) == "mx.example=192.0.2.9/10");
    f = r.route("srv@srvfail.example");  // srv_fail_domains: as if there were none
    CHECK(hosts_of(*f.lists.remote[0]) == "mx.example=192.0.2.9/10");
    f = r.route("srv@other.example");
    CHECK(f.top == RouterResult::Defer);
    CHECK(f.address->message == "host lookup did not complete");
  }

  TEST_CASE("mx_fail_domains: a failed MX lookup goes on to the address records") {
    FakeResolver res;
    res.dns["mxfail.example"] = {"192.0.2.5"};
    res.dns["slow.example"] = {"192.0.2.6"};
    res.again_records = {"mxfail.example", "slow.example"};
    ResolverScope scope(&res);
    Routing r(conf(kRouters));
    auto f = r.route("x@mxfail.example");
    REQUIRE(f.lists.remote.size() == 1);
    CHECK(hosts_of(*f.lists.remote[0]) == "mxfail.example=192.0.2.5");
    f = r.route("x@slow.example");
    CHECK(f.top == RouterResult::Defer);
    CHECK(f.address->message == "host lookup did not complete");
  }

  TEST_CASE("MX hosts named by IP address only with allow_mx_to_ip") {
    FakeResolver res;
    res.mx["ip.example"] = {{10, "192.0.2.7"}};
    ResolverScope scope(&res);
    Routing plain(conf(kRouters));
    auto f = plain.route("x@ip.example");
    CHECK(f.top == RouterResult::Fail);
    CHECK(f.address->message ==
          "all relevant MX records point to non-existent hosts or (invalidly) to IP addresses");
    Routing allowed("allow_mx_to_ip\n" + conf(kRouters));
    f = allowed.route("x@ip.example");
    REQUIRE(f.lists.remote.size() == 1);
    CHECK(hosts_of(*f.lists.remote[0]) == "192.0.2.7=192.0.2.7/10");
  }

  TEST_CASE("widening reroutes at the full domain; rewrite_headers asks for header rewriting") {
    FakeResolver res;
    res.dns["short.example"] = {"192.0.2.8"};
    ResolverScope scope(&res);
    Routing r(conf(kRouters));
    auto f = r.route("Who@short");
    CHECK(f.top == RouterResult::Rerouted);
    REQUIRE(f.lists.remote.size() == 1);
    CHECK(f.lists.remote[0]->address == "Who@short.example");
    CHECK(f.lists.remote[0]->parent == f.address);
    using Rewrite = std::pair<std::string, std::string>;
    CHECK(f.lists.header_domain_rewrites == std::vector<Rewrite>{{"short", "short.example"}});
    Routing quiet(conf(std::string(kRouters) + "  no_rewrite_headers\n"));
    f = quiet.route("who@short");
    REQUIRE(f.lists.remote.size() == 1);
    CHECK(f.lists.header_domain_rewrites.empty());
    // A sender being verified is not widened while rewrite_headers is on.
    CHECK(r.verify("who@short", engine::RouteMode::VerifySender).status == RouterResult::Fail);
    CHECK(quiet.verify("who@short", engine::RouteMode::VerifySender).status ==
          RouterResult::Accept);
  }

  TEST_CASE("same_domain_copy_routing gives waiting addresses of the domain the same hosts") {
    FakeResolver res;
    res.mx["list.example"] = {{10, "mx.example"}};
    res.dns["mx.example"] = {"192.0.2.9"};
    ResolverScope scope(&res);
    Routing r(conf(kRouters));
    engine::RouteLists lists;
    auto a = engine::make_address("a@list.example");
    auto b = engine::make_address("b@list.example");
    auto c = engine::make_address("c@other.example");
    lists.pending = {b, c};
    lang::EvalContext& ctx = r.ctx;
    engine::RouteEnv env;
    env.chain = &*r.chain;
    env.ctx = &ctx;
    CHECK(engine::route_address(a, env, lists) == RouterResult::Accept);
    REQUIRE(lists.remote.size() == 2);
    CHECK(lists.remote[0] == b);
    CHECK(hosts_of(*b) == "mx.example=192.0.2.9/10");
    CHECK(b->router_name == "dl");
    CHECK(lists.pending == std::deque<engine::AddressPtr>{c});
    CHECK(res.asked == std::vector<std::string>{"list.example"});
  }
}
