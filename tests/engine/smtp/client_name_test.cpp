#include <doctest/doctest.h>

#include "engine/smtp/client_name.h"
#include "lang/context.h"
#include "tests/lib/dns_server.h"

using engine::smtp::host_ids;

TEST_SUITE("engine.smtp.client_name") {
  TEST_CASE("host_ids: $sender_fullhost and $sender_rcvhost as Exim builds them") {
    struct {
      const char *addr, *helo, *name, *full, *rcv;
    } cases[] = {
        {"192.0.2.1", "", "", "[192.0.2.1]", "[192.0.2.1]"},
        {"192.0.2.1", "x.example", "", "(x.example) [192.0.2.1]", "[192.0.2.1] (helo=x.example)"},
        {"192.0.2.1", "[192.0.2.1]", "", "([192.0.2.1]) [192.0.2.1]", "[192.0.2.1]"},
        {"192.0.2.1", "", "h.example", "h.example [192.0.2.1]", "h.example ([192.0.2.1])"},
        {"192.0.2.1", "H.Example", "h.example", "h.example [192.0.2.1]", "h.example ([192.0.2.1])"},
        {"192.0.2.1", "x.example", "h.example", "h.example (x.example) [192.0.2.1]",
         "h.example ([192.0.2.1] helo=x.example)"},
        {"2001:db8::1", "[IPv6:2001:DB8::1]", "h.example", "h.example [2001:db8::1]",
         "h.example ([2001:db8::1])"},
    };
    for (const auto& c : cases) {
      auto ids = host_ids(c.addr, c.helo, c.name);
      CHECK_MESSAGE(ids.fullhost == c.full, c.helo, " ", c.name);
      CHECK_MESSAGE(ids.rcvhost == c.rcv, c.helo, " ", c.name);
    }
  }

  TEST_CASE("a lookup sets the variables once; a failure is remembered") {
    REQUIRE_FALSE(testdns::servers().empty());
    lang::DnsSettings dns;
    dns.resolver = util::dns::Resolver(testdns::settings());
    dns.hosts_file = "/nonexistent";
    lang::EvalContext ctx;
    ctx.dns = &dns;
    engine::Variables vars;
    engine::smtp::ClientName found(ctx, vars, "192.0.2.22");
    CHECK(found.lookup() == lang::HostFind::Found);
    std::string v;
    CHECK((vars.get("sender_host_name", v) && v == "multi.example.test"));
    CHECK(found.aliases() == std::vector<std::string>{"client2.example.test"});
    CHECK((vars.get("sender_fullhost", v) && v == "multi.example.test [192.0.2.22]"));
    CHECK((vars.get("host_lookup_failed", v) && v == "0"));

    engine::Variables vars2;
    engine::smtp::ClientName liar(ctx, vars2, "192.0.2.21");
    CHECK(liar.lookup() == lang::HostFind::NotFound);
    CHECK(liar.message() == " (192.0.2.21 does not match any IP address for liar.example.test)");
    CHECK((vars2.get("host_lookup_failed", v) && v == "1"));
    CHECK_FALSE(vars2.get("sender_host_name", v));

    engine::Variables vars3;
    engine::smtp::ClientName none(ctx, vars3, "192.0.2.77");
    CHECK(none.lookup() == lang::HostFind::NotFound);
    CHECK(none.message() == " (failed to find host name from IP address)");
  }
}
