#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

#include "tests/lib/dns_server.h"
#include "util/dns.h"

using namespace util::dns;

namespace {

std::vector<std::string> hosts(const Answer& a) {
  std::vector<std::string> v;
  for (const auto& r : a.records) v.push_back(r.host);
  std::sort(v.begin(), v.end());
  return v;
}

Resolver test_resolver() {
  REQUIRE_FALSE(testdns::servers().empty());
  return Resolver(testdns::settings());
}

}  // namespace

TEST_SUITE("util.dns") {
  TEST_CASE("parse_server: Exim's host.port and [host]:port forms") {
    struct {
      const char* in;
      const char* out;  // server_text, or "" for a refusal
    } cases[] = {
        {"127.0.0.1", "127.0.0.1:53"},
        {"127.0.0.1.5353", "127.0.0.1:5353"},
        {" 192.0.2.1.53 ", "192.0.2.1:53"},
        {"[::1]", "[::1]:53"},
        {"[::1]:5353", "[::1]:5353"},
        {"[192.0.2.1]:54", "192.0.2.1:54"},
        {"::1.5353", "[::1]:5353"},
        {"2001:db8::1", "[2001:db8::1]:53"},
        {"127.0.0.1.0", ""},
        {"127.0.0.1.65536", ""},
        {"localhost", ""},
        {"[::1", ""},
        {"[::1]:", ""},
        {"[::1]x53", ""},
        {"127.0.0.1.x", ""},
        {"", ""},
    };
    for (const auto& c : cases) {
      auto s = parse_server(c.in);
      CHECK_MESSAGE((s ? server_text(*s) : "") == std::string(c.out), c.in);
    }
  }

  TEST_CASE("reverse_name") {
    CHECK(reverse_name(*util::IpAddress::parse("192.0.2.20")) == "20.2.0.192.in-addr.arpa");
    CHECK(reverse_name(*util::IpAddress::parse("::ffff:192.0.2.20")) == "20.2.0.192.in-addr.arpa");
    CHECK(reverse_name(*util::IpAddress::parse("2001:db8::1")) ==
          "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  }

  TEST_CASE("query: the four outcomes against the test server") {
    Resolver r = test_resolver();
    Answer a = r.query("host1.example.test", kA);
    CHECK(a.outcome == Outcome::Found);
    CHECK(hosts(a) == std::vector<std::string>{"192.0.2.1", "192.0.2.2"});
    CHECK(a.ttl == 300);
    a = r.query("mx1.example.test", kMX);
    CHECK(a.outcome == Outcome::NoData);
    a = r.query("nowhere.example.test", kA);
    CHECK(a.outcome == Outcome::NxDomain);
    a = r.query("elsewhere.invalid", kA);  // not served: REFUSED
    CHECK(a.outcome == Outcome::TempFail);
    CHECK_FALSE(a.error.empty());
  }

  TEST_CASE("query: CNAMEs, TXT, trailing dot, case") {
    Resolver r = test_resolver();
    Answer a = r.query("alias.example.test.", kA);
    CHECK(a.outcome == Outcome::Found);
    CHECK(hosts(a) == std::vector<std::string>{"192.0.2.1", "192.0.2.2"});
    a = r.query("ALIAS.example.test", kCNAME);
    REQUIRE(a.outcome == Outcome::Found);
    CHECK(a.records[0].host == "host1.example.test");
    a = r.query("txt.example.test", kTXT);
    REQUIRE(a.outcome == Outcome::Found);
    CHECK(a.records[0].texts == std::vector<std::string>{"first", "second", "third"});
  }

  TEST_CASE("query: a server that does not answer gives TempFail within the bound") {
    Settings s;
    s.servers.push_back(*parse_server("127.0.0.1.9"));  // discard port: nothing listens
    s.retrans_ms = 200;
    s.tries = 1;
    auto t0 = std::chrono::steady_clock::now();
    Answer a = Resolver(s).query("host1.example.test", kA);
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    CHECK(a.outcome == Outcome::TempFail);
    CHECK(ms < 2000);
  }

  TEST_CASE("query: threads use their own channels") {
    Resolver r = test_resolver();
    std::vector<std::thread> ts;
    std::vector<int> ok(4, 0);
    for (int i = 0; i < 4; ++i) {
      ts.emplace_back([&, i] {
        for (int k = 0; k < 20; ++k) {
          clear_cache();
          ok[i] += r.query("mx2.example.test", kAAAA).outcome == Outcome::Found;
        }
      });
    }
    for (auto& t : ts) t.join();
    for (int i = 0; i < 4; ++i) CHECK(ok[i] == 20);
  }
}
