#include <doctest/doctest.h>

#include "lang/context.h"
#include "lang/dns.h"
#include "lang/match/domainlist.h"
#include "lang/match/hostlist.h"
#include "tests/lang/expand_helper.h"
#include "tests/lib/dns_server.h"

namespace {

// Host lists and @mx_* against the test DNS server (tests/dns/zones/).
struct Dns {
  Dns() {
    REQUIRE_FALSE(testdns::servers().empty());
    dns.resolver = util::dns::Resolver(testdns::settings());
    dns.hosts_file = "/nonexistent";
    ctx.dns = &dns;
    ctx.vars = &vars;
  }
  // "y", "n" or "E:<detail>".
  std::string match(std::string_view list, const std::string& addr) {
    lang::HostInfo host{addr, "", {}, nullptr};
    lang::HostMatch m;
    lang::Status st = lang::match_hostlist(ctx, list, host, lang::HostListMode::Acl, m);
    if (!st.is_ok()) return "E:" + m.detail;
    return m.matched ? "y" : "n";
  }
  lang::DnsSettings dns;
  testlang::VarTable vars{{{"primary_hostname", "host1.example.test"}}};
  lang::EvalContext ctx;
};

}  // namespace

TEST_SUITE("lang.match.hostlist_dns") {
  TEST_CASE("names, wildcards, regexes and lookups by name") {
    Dns d;
    struct {
      const char *list, *host, *want;
    } cases[] = {
        {"host1.example.test", "192.0.2.2", "y"},  // forward lookup, second address
        {"host1.example.test", "192.0.2.3", "n"},
        {"<; host1.example.test", "2001:db8::1", "y"},     // AAAA
        {"@", "192.0.2.1", "y"},                           // the primary host name
        {"*.example.test", "192.0.2.10", "y"},             // PTR mx1, confirmed
        {"*.example.test", "192.0.2.21", "n"},             // PTR liar, not confirmed: unknown
        {"*.example.test:192.0.2.21", "192.0.2.21", "n"},  // unknown ends the list
        {"+ignore_unknown:*.example.test:192.0.2.21", "192.0.2.21", "y"},
        {"+include_unknown:*.other", "192.0.2.21", "y"},
        {"^mx\\d\\.example\\.test$", "192.0.2.10", "y"},
        {"client2.example.test", "192.0.2.22", "y"},
        {"*client2.example.test", "192.0.2.22", "y"},  // an alias (second PTR)
        {"nowhere.example.test:*", "192.0.2.1", "n"},  // no address: unknown
        {"+ignore_unknown:nowhere.example.test:*", "192.0.2.1", "y"},
        {"x.unserved.invalid", "192.0.2.1", "E:DNS lookup of \"x.unserved.invalid\" deferred"},
        {"+ignore_defer:x.unserved.invalid:192.0.2.1", "192.0.2.1", "y"},
        {"+include_defer:x.unserved.invalid", "192.0.2.77", "y"},
        {"+include_defer:!x.unserved.invalid", "192.0.2.77", "y"},
    };
    for (const auto& c : cases) {
      CHECK_MESSAGE(d.match(c.list, c.host) == c.want, c.list, " ", c.host);
    }
  }

  TEST_CASE("@mx_any, @mx_primary, @mx_secondary") {
    Dns d;
    struct {
      const char *domain, *list, *want;
    } cases[] = {
        {"local.example.test", "@mx_any", "y"},
        {"local.example.test", "@mx_primary", "y"},
        {"local.example.test", "@mx_secondary", "n"},
        {"secondary.example.test", "@mx_any", "y"},
        {"secondary.example.test", "@mx_primary", "n"},
        {"SECONDARY.example.test", "@mx_secondary", "y"},
        {"secondary.example.test", "@mx_any/ignore=127.0.0.0/8", "n"},
        {"example.test", "@mx_any", "n"},
        {"nomx.example.test", "@mx_any", "n"},
        {"@mx_other", "@mx_other", "y"},  // not special: an ordinary item
        {"x.unserved.invalid", "@mx_any", "D"},
    };
    for (const auto& c : cases) {
      lang::ListMatchResult r = lang::match_domainlist(d.ctx, c.list, c.domain);
      std::string got = r.outcome == lang::ListMatch::Match     ? "y"
                        : r.outcome == lang::ListMatch::NoMatch ? "n"
                                                                : "D";
      CHECK_MESSAGE(got == c.want, c.domain, " ", c.list);
    }
  }

  TEST_CASE("dns_query: check names pattern and again_means_nonexist") {
    Dns d;
    using util::dns::Outcome;
    CHECK(lang::dns_query(d.ctx, "bad_.example.test", util::dns::kA).outcome == Outcome::NxDomain);
    CHECK(lang::dns_query(d.ctx, "_smtp._tcp.example.test", util::dns::kSRV).outcome ==
          Outcome::Found);
    CHECK(lang::dns_query(d.ctx, "x.unserved.invalid", util::dns::kA).outcome == Outcome::TempFail);
    d.dns.again_means_nonexist = "*.invalid";
    CHECK(lang::dns_query(d.ctx, "x.unserved.invalid", util::dns::kA).outcome == Outcome::NxDomain);
    d.dns.check_names_pattern = "";
    CHECK(lang::dns_query(d.ctx, "bad_.example.test", util::dns::kA).outcome == Outcome::NxDomain);
  }
}
