#include <doctest/doctest.h>

#include "engine/acl_dnslists.h"

using engine::acl::DnslistItem;
using engine::acl::parse_dnslist_item;

namespace {

// A compact rendering of the parse: "txt|domain op=... list keys".
std::string show(const DnslistItem& d) {
  std::string s = d.domain_txt + "|" + d.domain;
  if (d.has_iplist) {
    s += std::string(" ") + (d.invert ? "!" : "") + (d.match_all ? "=" : "") +
         (d.bitmask ? "&" : "=") + d.iplist;
  }
  if (d.has_keys) s += " /" + d.keys;
  return s;
}

}  // namespace

TEST_SUITE("engine.acl_dnslists") {
  TEST_CASE("item syntax (spec 44.27-44.36)") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"bl.example", "bl.example|bl.example"},
        {"bl.example=127.0.0.2", "bl.example|bl.example =127.0.0.2"},
        {"a.b.c=127.0.0.2,127.0.0.3", "a.b.c|a.b.c =127.0.0.2,127.0.0.3"},
        {"a.b.c&0.0.0.3", "a.b.c|a.b.c &0.0.0.3"},
        {"a.b.c!=127.0.0.2", "a.b.c|a.b.c !=127.0.0.2"},
        {"a.b.c!&0.255.255.0", "a.b.c|a.b.c !&0.255.255.0"},
        {"a.b.c==127.0.0.1", "a.b.c|a.b.c ==127.0.0.1"},
        {"a.b.c=&0.0.0.1", "a.b.c|a.b.c =&0.0.0.1"},
        {"a.b.c!=&0.0.0.1,0.0.0.2", "a.b.c|a.b.c !=&0.0.0.1,0.0.0.2"},
        {"a.b.c!==127.0.0.1", "a.b.c|a.b.c !==127.0.0.1"},
        {"black.list.tld/192.168.1.2", "black.list.tld|black.list.tld /192.168.1.2"},
        {"black.list.tld/<;192.168.1.2;a.domain",
         "black.list.tld|black.list.tld /<;192.168.1.2;a.domain"},
        {"dsn.example=127.0.0.2/sender.example",
         "dsn.example|dsn.example =127.0.0.2 /sender.example"},
        {"sbl.example,sbl-xbl.example=127.0.0.2", "sbl.example|sbl-xbl.example =127.0.0.2"},
        {"a,b/k=v", "a|b /k=v"},  // '=' after '/' belongs to the key
    };
    for (const auto& c : cases) CHECK_MESSAGE(show(parse_dnslist_item(c.in)) == c.want, c.in);
  }
}
