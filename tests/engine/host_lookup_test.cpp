// Tests for engine/host_lookup: the resolver's search rules (dnslookup's qualify_single and
// search_parents, the C library's res_search) against the test DNS server, the search
// domains, and "this host".
#include "engine/host_lookup.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>

#include "engine/config/config.h"
#include "lang/context.h"
#include "lang/dns.h"
#include "tests/lib/dns_server.h"

namespace {

// Sets LOCALDOMAIN for the scope, then restores it.
struct LocalDomain {
  explicit LocalDomain(const char* value) {
    if (const char* old = std::getenv("LOCALDOMAIN")) saved = old;
    setenv("LOCALDOMAIN", value, 1);
  }
  ~LocalDomain() {
    if (saved)
      setenv("LOCALDOMAIN", saved->c_str(), 1);
    else
      unsetenv("LOCALDOMAIN");
  }
  std::optional<std::string> saved;
};

struct Dns {
  Dns() {
    REQUIRE_FALSE(testdns::servers().empty());
    dns.resolver = util::dns::Resolver(testdns::settings());
    ctx.dns = &dns;
  }
  // "status name" of a lookup: F(ound), N(o data), X (no domain), A(gain).
  std::string ask(std::string_view name, std::uint16_t type, bool qualify, bool parents) {
    engine::DnsSearch s{qualify, parents};
    engine::DnsRecords r = engine::HostResolver().dns_records(ctx, name, type, s);
    std::string st = r.status == engine::HostStatus::Found   ? "F"
                     : r.status == engine::HostStatus::Again ? "A"
                                                             : (r.no_domain ? "X" : "N");
    return st + " " + r.name;
  }
  lang::DnsSettings dns;
  lang::EvalContext ctx;
};

}  // namespace

TEST_SUITE("engine.host_lookup") {
  TEST_CASE("search rules: qualify_single, search_parents, absolute names") {
    Dns d;
    LocalDomain ld("nowhere.alt example.test");
    using util::dns::kA;
    using util::dns::kMX;
    struct {
      const char* name;
      std::uint16_t type;
      bool qualify, parents;
      const char* want;
    } cases[] = {
        // A single label: the search domains first (nowhere.alt does not exist), then as is
        // (refused by the test server: a temporary failure), "no data" winning over it.
        {"mx1", kA, true, false, "F mx1.example.test"},
        {"nomx", kMX, true, false, "N nomx.example.test"},
        {"nomx", kMX, false, false, "A nomx"},
        {"nothere", kMX, true, false, "A nothere"},
        // Dots: as is first; its answer stands unless search_parents finds records.
        {"example.test", kMX, true, true, "F example.test"},
        {"dept.alt", kA, true, false, "X dept.alt"},
        {"dept.alt", kA, true, true, "F dept.alt.example.test"},
        {"dept.alt", kMX, true, true, "X dept.alt"},
        // A trailing dot: only as is.
        {"mx1.", kA, true, true, "A mx1"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.name);
      CHECK(d.ask(c.name, c.type, c.qualify, c.parents) == c.want);
    }
  }

  TEST_CASE("search domains: LOCALDOMAIN, else resolv.conf") {
    {
      LocalDomain ld("a.example  b.example");
      CHECK(engine::dns_search_domains() == std::vector<std::string>{"a.example", "b.example"});
    }
    LocalDomain ld("");
    CHECK(engine::dns_search_domains().empty());
  }

  TEST_CASE("this host: its interfaces as configured, and 0.0.0.0 always") {
    auto cfg = engine::config::read_string("local_interfaces = <; 127.0.0.1 ; ::1\n", "t.conf");
    REQUIRE(cfg);
    engine::LocalHosts local(&*cfg);
    CHECK(local.is_local("127.0.0.1"));
    CHECK(local.is_local("::1"));
    CHECK(local.is_local("::ffff:127.0.0.1"));
    CHECK(local.is_local("0.0.0.0"));
    CHECK_FALSE(local.is_local("127.0.0.2"));
    CHECK_FALSE(local.is_local("::"));
  }
}
