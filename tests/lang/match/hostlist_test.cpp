#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <vector>

#include "lang/context.h"
#include "lang/lookup.h"
#include "lang/match/hostlist.h"
#include "tests/lang/expand_helper.h"

namespace {

const testlang::ListTable& lists() {
  static const testlang::ListTable t({
      {lang::ListKind::Host, "relay", "127.0.0.1 : ::::1 : 192.168.0.0/16"},
      {lang::ListKind::Host, "v6", "<; 2001:db8::/32 ; fe80::/10"},
      {lang::ListKind::Host, "not_a", "!10.0.0.1"},
      {lang::ListKind::Host, "self", "+self"},
      {lang::ListKind::Host, "forced", "${if eq{a}{b}{1.2.3.4}fail}"},
      {lang::ListKind::Domain, "doms", "example.com"},
  });
  return t;
}

// A host whose name cannot be found (no DNS in these tests).
struct NoNames : lang::HostNameSource {
  lang::HostFind host_names(std::string&, std::vector<std::string>&) override {
    return lang::HostFind::NotFound;
  }
};

// "y", "n", or "E:<detail>" for an error.
std::string match(std::string_view list, std::string addr, std::string name = "",
                  lang::HostListMode mode = lang::HostListMode::IpOnly) {
  lang::EvalContext ctx;
  ctx.lists = &lists();
  static NoNames no_names;
  lang::HostInfo host{std::move(addr), std::move(name), {}, &no_names};
  lang::HostMatch m;
  lang::Status st = lang::match_hostlist(ctx, list, host, mode, m);
  if (!st.is_ok()) return "E:" + m.detail;
  return m.matched ? "y" : "n";
}

struct Case {
  const char* list;
  const char* host;
  const char* want;
};

void run(const Case* begin, const Case* end) {
  for (const Case* c = begin; c != end; ++c) {
    CHECK_MESSAGE(match(c->list, c->host) == c->want, "list: ", c->list, " host: ", c->host);
  }
}

}  // namespace

TEST_SUITE("lang.match.hostlist") {
  TEST_CASE("addresses, networks, negation, end of list") {
    const Case cases[] = {
        {"4.5.6.7:1.2.3.4", "1.2.3.4", "y"},
        {"4.5.6.7:1.2.3.6", "1.2.3.4", "n"},
        {"1.2.3.6/24", "1.2.3.4", "y"},
        {"1.2.3.4/31", "1.2.3.5", "y"},
        {"1.2.3.4/33", "1.2.3.5", "n"},
        {"1.2.3.4/", "9.9.9.9", "y"},
        {"!1.2.3.0/24:*", "1.2.3.4", "n"},
        {"!1.2.3.0/24:*", "5.6.7.8", "y"},
        {"!5.5.5.5", "1.2.3.4", "y"},  // ends with a negative item
        {"! 1.2.3.4:*", "1.2.3.4", "n"},
        {"", "1.2.3.4", "n"},
        {"<; 1.2.3.0/24; ::1", "1.2.3.4", "y"},
        {"<; 2001:db8::/32", "2001:DB8::1", "y"},
        {"2001::db8::::/32", "2001:db8::1", "y"},  // doubled colons
        {"1.2.3.4", "::ffff:1.2.3.4", "y"},        // mapped host compared as IPv4
        {"<; ::ffff:1.2.3.4", "::ffff:1.2.3.4", "n"},
        {"<; ::ffff:1.2.3.4", "1.2.3.4", "n"},
        {"<; fe80::1", "fe80::1%eth0", "y"},
        {"1.2.3.4/4294967295", "1.2.3.5", "y"},  // Exim's shift on a negative mask
        {"1.2.3.4/2147483648", "1.2.3.5", "n"},
    };
    run(std::begin(cases), std::end(cases));
  }
  TEST_CASE("empty host and special items") {
    const Case cases[] = {
        {":4.5.6.7", "1.2.3.4", "n"},
        {":4.5.6.7", "", "y"},
        {"*", "", "y"},
        {"1.2.3.4", "", "n"},
        {"!1.2.3.4", "", "y"},
        {"foo:*", "", "y"},
        {"!:*", "", "n"},
        {"!", "1.2.3.4", "y"},
        {"@[]", "127.0.0.1", "y"},
        {"@[]", "192.0.2.1", "n"},
    };
    run(std::begin(cases), std::end(cases));
  }
  TEST_CASE("items needing a host name end the match unless told otherwise") {
    const Case cases[] = {
        {"foo.example:1.2.3.4", "1.2.3.4", "n"},
        {"1.2.3.4:foo.example", "1.2.3.4", "y"},
        {"!foo.example:*", "1.2.3.4", "n"},
        {"1.2.3", "1.2.3.4", "n"},
        {"1.2.3.4/abc", "1.2.3.4", "n"},
        {"!!1.2.3.4", "1.2.3.4", "n"},  // one '!' only: "!1.2.3.4" is a name
        {"nett-lsearch;/x:*", "1.2.3.4", "n"},
        {"+ignore_unknown:foo:1.2.3.4", "1.2.3.4", "y"},
        {"+include_unknown:foo", "1.2.3.4", "y"},
        {"+include_unknown:+ignore_unknown:foo", "1.2.3.4", "n"},
    };
    run(std::begin(cases), std::end(cases));
    CHECK(match("*.example.com", "1.2.3.4", "mx.EXAMPLE.com", lang::HostListMode::Acl) == "y");
    CHECK(match("*.example.org", "1.2.3.4", "mx.example.com", lang::HostListMode::Acl) == "n");
    CHECK(match("*.example.com:*", "1.2.3.4", "", lang::HostListMode::Acl) == "n");
  }
  TEST_CASE("named lists") {
    const Case cases[] = {
        {"+relay", "192.168.77.1", "y"},    {"+relay", "10.2.0.1", "n"},  {"+relay", "::1", "y"},
        {"! +relay", "192.168.1.1", "n"},   {"! +relay", "1.1.1.1", "y"}, {"+v6", "fe80::1", "y"},
        {"+not_a:1.2.3.4", "5.5.5.5", "y"},  // negation does not leave the sublist
        {"+forced:*", "1.2.3.4", "y"},       // forced failure: not in that list
    };
    run(std::begin(cases), std::end(cases));
    CHECK(match("5.5.5.5:+nolist", "1.2.3.4") == "E:unknown named host list \"+nolist\"");
    CHECK(match("+doms", "1.2.3.4") == "E:unknown named host list \"+doms\"");
    CHECK(match("+self", "1.2.3.4").rfind("E:named host lists nested too deeply", 0) == 0);
  }
  TEST_CASE("files") {
    const std::string path = "/tmp/facteur_hostlist_test.txt";
    {
      std::ofstream f(path);
      f << "1.2.3.4   # a comment\n\n# only a comment\n!5.5.5.5\n";
    }
    CHECK(match(path, "1.2.3.4") == "y");
    CHECK(match(path, "5.5.5.5") == "n");
    CHECK(match(path, "6.5.5.5") == "y");
    CHECK(match("!" + path, "6.5.5.5") == "n");
    CHECK(match("!" + path, "1.2.3.4") == "n");
    std::remove(path.c_str());
    CHECK(match("/nonexistent/facteur/list", "1.2.3.4").rfind("E:failed to open", 0) == 0);
  }
  TEST_CASE("lookups keyed by address") {
    lang::LookupSpec probe;
    if (!lang::lookup_parse_spec("lsearch", probe).is_ok()) {
      MESSAGE("lsearch is not built in: lookup items not tested");
      return;
    }
    const std::string path = "/tmp/facteur_hostlist_lookup.txt";
    {
      std::ofstream f(path);
      f << "192.168.1.10: host\n192.168.1.0/24: net24\n"
           "0000.0000.0000.0000.0000.0000.0000.0001: dots\n"
           "0000.0000.0000.0000.0000.ffff.0102.0300/120: mapped120\n";
    }
    auto data = [&](std::string list, std::string addr) {
      lang::EvalContext ctx;
      lang::HostInfo host{std::move(addr), "", {}, nullptr};
      lang::HostMatch m;
      lang::Status st = lang::match_hostlist(ctx, list, host, lang::HostListMode::IpOnly, m);
      if (!st.is_ok()) return "E:" + st.message();
      return m.matched ? "y:" + m.data : std::string("n");
    };
    CHECK(data("lsearch;" + path, "192.168.1.10") == "y:host");
    CHECK(data("net-lsearch;" + path, "192.168.1.11") == "n");
    CHECK(data("net24-lsearch;" + path, "192.168.1.11") == "y:net24");
    CHECK(data("<, net-lsearch;" + path, "::1") == "y:dots");
    CHECK(data("<, net120-lsearch;" + path, "::ffff:1.2.3.4") == "y:mapped120");
    CHECK(data("net16lsearch;" + path + ":*", "192.168.1.11") == "n");  // a name
    CHECK(data("partial-lsearch;" + path, "192.168.1.11") ==
          "E:unknown lookup type \"partial-lsearch\"");
    std::remove(path.c_str());
  }
}

TEST_SUITE("lang.match.hostlist") {
  TEST_CASE("long lists and odd items are handled") {
    std::string many;
    for (int i = 0; i < 20000; ++i) many += "1.2.3.5:";
    CHECK(match(many + "1.2.3.4", "1.2.3.4") == "y");
    CHECK(match(std::string(10000, '!') + "1.2.3.4:*", "1.2.3.4") == "n");
    CHECK(match(std::string("\xff\x01:*"), "1.2.3.4") == "n");
    CHECK(match("net99999999999999999-x;y:*", "1.2.3.4").rfind("E:", 0) == 0);
  }
}
