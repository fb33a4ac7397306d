#include <doctest/doctest.h>

#include "lang/dns.h"
#include "lang/lookups/dnsdb.h"
#include "tests/lang/expand_helper.h"
#include "tests/lib/dns_server.h"

namespace {

// An evaluation context whose resolver asks the test DNS server.
struct DnsContext {
  DnsContext() {
    REQUIRE_FALSE(testdns::servers().empty());
    dns.resolver = util::dns::Resolver(testdns::settings());
    ctx.dns = &dns;
  }
  std::string ex(std::string_view s) { return testlang::ex(ctx, s); }
  lang::DnsSettings dns;
  lang::EvalContext ctx;
};

std::string parsed(std::string_view q) {
  lang::DnsdbQuery d;
  lang::Status st = lang::dnsdb_parse(q, d);
  if (!st.is_ok()) return "error: " + st.message();
  std::string s = "sep=" + d.outsep + (d.fieldsep_given ? " fsep=" + d.fieldsep : "") +
                  " type=" + std::to_string(static_cast<int>(d.type)) +
                  " defer=" + std::to_string(static_cast<int>(d.defer)) +
                  " retrans=" + std::to_string(d.retrans_ms) + " retry=" + std::to_string(d.retry);
  for (const auto& x : d.domains) s += " [" + x + "]";
  return s;
}

}  // namespace

TEST_SUITE("lang.lookups.dnsdb") {
  TEST_CASE("query syntax") {
    using T = lang::DnsdbType;
    auto type = [](T t) { return std::to_string(static_cast<int>(t)); };
    testlang::Case cases[] = {
        {"a.example", "sep=\n type=" + type(T::TXT) + " defer=1 retrans=0 retry=0 [a.example]"},
        {"  MX = a.example : b.example",
         "sep=\n type=" + type(T::MX) + " defer=1 retrans=0 retry=0 [a.example] [b.example]"},
        {">: a=x", "sep=: type=" + type(T::A) + " defer=1 retrans=0 retry=0 [x]"},
        {">  a=x", "sep=  type=" + type(T::A) + " defer=1 retrans=0 retry=0 [x]"},
        {">\n,: txt=x", "sep=\n fsep=: type=" + type(T::TXT) + " defer=1 retrans=0 retry=0 [x]"},
        {">|; txt=x", "sep=| fsep= type=" + type(T::TXT) + " defer=1 retrans=0 retry=0 [x]"},
        {"defer_strict, retrans_2s ,retry_3, a+=x",
         "sep=\n type=" + type(T::Addresses) + " defer=0 retrans=2000 retry=3 [x]"},
        {"DEFER_NEVER,dnssec_strict,zns=x",
         "sep=\n type=" + type(T::ZNS) + " defer=2 retrans=0 retry=0 [x]"},
        {"retrans_1m30s,soa=x",
         "sep=\n type=" + type(T::SOA) + " defer=1 retrans=90000 retry=0 [x]"},
        {"ptr=2001:db8::1",
         "sep=\n type=" + type(T::PTR) + " defer=1 retrans=0 retry=0 [2001:db8::1]"},
        {"ptr = <; 1.2.3.4 ; 4.5.6.8",
         "sep=\n type=" + type(T::PTR) + " defer=1 retrans=0 retry=0 [1.2.3.4] [4.5.6.8]"},
        {"a=<;x;y::z", "sep=\n type=" + type(T::A) + " defer=1 retrans=0 retry=0 [x] [y::z]"},
        {"foo=x", "error: unsupported DNS record type"},
        {"defer_maybe,a=x", "error: unsupported dnsdb defer behaviour"},
        {"dnssec_x,a=x", "error: unsupported dnsdb dnssec behaviour"},
        {"retrans_0s,a=x", "error: unsupported dnsdb timeout value"},
        {"retrans_5x,a=x", "error: unsupported dnsdb timeout value"},
        {"retry_-1,a=x", "error: unsupported dnsdb retry count"},
        {"retry_x,a=x", "error: dnsdb modifier syntax error"},
        {"defer_lax a=x", "error: dnsdb modifier syntax error"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(parsed(c.in) == c.want, c.in);
  }

  TEST_CASE("record types against the test server") {
    DnsContext d;
    testlang::Case cases[] = {
        {"mx=example.test", "10 mx1.example.test\n20 mx2.example.test"},
        {">, mx=example.test", "10 mx1.example.test,20 mx2.example.test"},
        {">:,- mx=example.test", "10-mx1.example.test:20-mx2.example.test"},
        {"mxh=example.test", "mx1.example.test\nmx2.example.test"},
        {"a=mx1.example.test", "192.0.2.10"},
        {">: a=host1.example.test", "192.0.2.1:192.0.2.2"},
        {"aaaa=mx2.example.test", "2001:db8::11"},
        {">; a+=mx2.example.test", "2001:db8::11;192.0.2.11"},
        {"a=alias.example.test", "192.0.2.1\n192.0.2.2"},
        {"cname=alias.example.test", "host1.example.test"},
        {"txt.example.test", "first"},
        {"txt=txt.example.test", "first"},
        {">\n,: txt=txt.example.test", "first:second:third"},
        {">\n; txt=txt.example.test", "firstsecondthird"},
        {"spf=example.test", "NONE"},
        {"txt=example.test", "v=spf1 ip4:192.0.2.0/24 -all"},
        {"srv=_smtp._tcp.example.test", "10 5 25 mx1.example.test\n20 0 587 mx2.example.test"},
        {"tlsa=_25._tcp.mx1.example.test",
         "3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
        {"soa=example.test", "ns1.example.test"},
        {"soa=a.b.example.test", "ns1.example.test"},
        {">:,; soa=example.test",
         "ns1.example.test;hostmaster.example.test;2024010101;3600;900;604800;60"},
        {"ns=example.test", "ns1.example.test"},
        {"zns=x.y.example.test", "ns1.example.test"},
        {"ptr=192.0.2.20", "client.example.test"},
        {"ptr=20.2.0.192.in-addr.arpa", "client.example.test"},
        {"ptr=2001:db8::1", "host1.example.test"},
        {"ptr=<; 192.0.2.1 ; 192.0.2.10", "host1.example.test\nmx1.example.test"},
        {"a=nowhere.example.test", "NONE"},
        {"mx=mx1.example.test", "NONE"},
        {"a=host1.example.test:mx1.example.test", "192.0.2.1\n192.0.2.2\n192.0.2.10"},
        {"a=bad_name.example.test", "NONE"},  // dns_check_names_pattern
    };
    for (const auto& c : cases) {
      std::string in = "${lookup dnsdb{" + c.in + "}{$value}{NONE}}";
      CHECK_MESSAGE(d.ex(in) == c.want, c.in);
    }
  }

  TEST_CASE("temporary failures: defer_lax, defer_strict, defer_never") {
    DnsContext d;  // names outside the served zones are REFUSED: a temporary failure
    testlang::Case cases[] = {
        {"a=x.invalid", "Failed: lookup of \"a=x.invalid\" gave DEFER: "},
        {"a=x.invalid:mx1.example.test", "192.0.2.10"},
        {"defer_lax,a=x.invalid:nowhere.example.test",
         "Failed: lookup of \"defer_lax,a=x.invalid:nowhere.example.test\" gave DEFER: "},
        {"defer_strict,a=mx1.example.test:x.invalid",
         "Failed: lookup of \"defer_strict,a=mx1.example.test:x.invalid\" gave DEFER: "},
        {"defer_never,a=x.invalid", "NONE"},
        {"defer_never,a=x.invalid:mx1.example.test", "192.0.2.10"},
        {"zns=x.invalid", "Failed: lookup of \"zns=x.invalid\" gave DEFER: "},
    };
    for (const auto& c : cases) {
      std::string in = "${lookup dnsdb{" + c.in + "}{$value}{NONE}}";
      CHECK_MESSAGE(d.ex(in) == c.want, c.in);
    }
  }

  TEST_CASE("dns_again_means_nonexist turns a temporary failure into not found") {
    DnsContext d;
    d.dns.again_means_nonexist = "*.invalid";
    CHECK(d.ex("${lookup dnsdb{a=x.invalid}{$value}{NONE}}") == "NONE");
  }

  TEST_CASE("$lookup_dnssec_authenticated") {
    DnsContext d;
    CHECK(d.ex("${lookup dnsdb{a=mx1.example.test}}-$lookup_dnssec_authenticated") ==
          "192.0.2.10-no");
    CHECK(d.ex("${lookup dnsdb{dnssec_strict,a=mx1.example.test}{$value}{NONE}}") ==
          "Failed: lookup of \"dnssec_strict,a=mx1.example.test\" gave DEFER: ");
  }
}
