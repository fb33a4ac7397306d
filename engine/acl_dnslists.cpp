// engine/acl_dnslists.cpp — the dnslists ACL condition (spec 44.27-44.37): is the client's
// address (or an explicit key) listed in a DNS block list?
//
// For each item of the (expanded) list, the key — the client's address reversed ("4.3.2.1"
// or IPv6 nibbles), or each key after '/' (an IP address reversed, a name as it is) — is
// prefixed to the list's zone and its A records are looked up. Returned addresses outside
// 127.0.0.0/8 are ignored (and logged); with an address list only matching ones count (see
// acl_dnslists.h). The first listing found makes the condition true and sets $dnslist_domain,
// $dnslist_matched (the key, not reversed), $dnslist_value (the returned addresses, ", "
// between them) and $dnslist_text (the first string of the TXT record at the same name), for
// a later message = or log_message =.
//
// A temporary DNS failure counts as "not listed" (+exclude_unknown, the default); after
// +include_unknown as listed, after +defer_unknown the condition defers. Within a key list
// a temporary failure defers the item only when no other key of it is listed. Answers are
// cached by the resolver for their TTL, so the same lookup is not repeated in a session.
#include "engine/acl_dnslists.h"

#include <cctype>

#include "engine/acl.h"
#include "engine/acl_session.h"
#include "lang/dns.h"
#include "lang/lists.h"
#include "util/strings.h"

namespace engine::acl {

DnslistItem parse_dnslist_item(std::string_view text) {
  DnslistItem d;
  std::string_view s = text;
  if (size_t slash = s.find('/'); slash != std::string_view::npos) {
    d.has_keys = true;
    d.keys = std::string(s.substr(slash + 1));
    s = s.substr(0, slash);
  }
  size_t op = s.find('=');
  if (op == std::string_view::npos) {
    op = s.find('&');
    d.bitmask = op != std::string_view::npos;
  }
  if (op != std::string_view::npos) {
    d.has_iplist = true;
    std::string_view list = s.substr(op + 1);
    size_t end = op;
    if (end > 0 && s[end - 1] == '!') {
      d.invert = true;
      --end;
    }
    if (!d.bitmask && !list.empty() && (list.front() == '=' || list.front() == '&')) {
      d.bitmask = list.front() == '&';
      d.match_all = true;
      list.remove_prefix(1);
    }
    d.iplist = std::string(list);
    s = s.substr(0, end);
  }
  size_t comma = s.find(',');
  d.domain = std::string(comma == std::string_view::npos ? s : s.substr(comma + 1));
  d.domain_txt = std::string(comma == std::string_view::npos ? s : s.substr(0, comma));
  return d;
}

namespace {

enum class Rc : unsigned char { Listed, NotListed, Defer };
enum class Unknown : unsigned char { Exclude, Include, Defer };

bool in_127_8(const util::IpAddress& a) {
  return a.is_v4() && a.bytes()[0] == 127;
}

uint32_t v4(const util::IpAddress& a) {
  const auto& b = a.bytes();
  return static_cast<uint32_t>(b[0]) << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

// Whether the returned address `got` matches one of the listed values.
bool listed_value_matches(const DnslistItem& d, const std::string& got) {
  auto g = util::IpAddress::parse(got);
  lang::ListReader r(d.iplist, ',');
  for (std::string want; r.next(want);) {
    if (!d.bitmask) {
      if (want == got) return true;
      continue;
    }
    auto w = util::IpAddress::parse(want);
    if (!w || !w->is_v4()) continue;
    const uint32_t mask = g && in_127_8(*g) ? v4(*g) : 0;  // others match 0.0.0.0 only
    if ((v4(*w) & mask) == v4(*w)) return true;
  }
  return false;
}

// Spec 44.35: "=" any returned address matches; "==" all do; '!' inverts.
bool iplist_accepts(const DnslistItem& d, const std::vector<std::string>& addrs) {
  bool decided = false;
  for (const auto& a : addrs) {
    const bool m = listed_value_matches(d, a);
    if (d.match_all ? !m : m) {
      decided = true;
      break;
    }
  }
  // decided: for "=" a match was found, for "==" a mismatch was.
  const bool ok = d.match_all ? !decided : decided;
  return ok != d.invert;
}

class Checker {
 public:
  Checker(RunState& st, Unknown u) : st_(st), unknown_(u) {}

  Rc check(const DnslistItem& d, const std::string& key, const std::string& prepend) {
    return one(d.domain, d.domain_txt, d, key, prepend, true);
  }

 private:
  Rc one(const std::string& domain, const std::string& domain_txt, const DnslistItem& d,
         const std::string& key, const std::string& prepend, bool use_iplist);

  RunState& st_;
  Unknown unknown_;
};

Rc Checker::one(const std::string& domain, const std::string& domain_txt, const DnslistItem& d,
                const std::string& key, const std::string& prepend, bool use_iplist) {
  const std::string query = prepend + "." + domain;
  if (query.size() > 255) {
    st_.log("dnslist query is too long (ignored): " + query.substr(0, 64) + "...");
    return Rc::NotListed;
  }
  util::dns::Answer a = lang::dns_query(st_.ctx, query, util::dns::kA);
  if (a.outcome == util::dns::Outcome::TempFail) {
    static constexpr std::string_view kWhat[] = {"assumed not in list", "assumed in list",
                                                 "returned DEFER"};
    st_.log("DNS list lookup defer (probably timeout) for " + query + ": " +
            std::string(kWhat[static_cast<int>(unknown_)]));
    st_.defer_reason = "DNS list lookup defer for " + query;
    return unknown_ == Unknown::Exclude   ? Rc::NotListed
           : unknown_ == Unknown::Include ? Rc::Listed
                                          : Rc::Defer;
  }
  std::vector<std::string> addrs;
  for (const auto& rr : a.records) addrs.push_back(rr.host);
  if (a.outcome != util::dns::Outcome::Found || addrs.empty()) return Rc::NotListed;
  if (use_iplist && d.has_iplist) {
    if (!iplist_accepts(d, addrs)) return Rc::NotListed;
  } else {
    bool ok = false;
    for (const auto& x : addrs) {
      auto ip = util::IpAddress::parse(x);
      if (ip && in_127_8(*ip)) {
        ok = true;
      } else {
        st_.log("DNS list lookup for " + key + " at " + domain + " returned " + x +
                "; not in 127.0/8 and discarded");
      }
    }
    if (!ok) return Rc::NotListed;
  }
  if (domain_txt != domain) return one(domain_txt, domain_txt, d, key, prepend, false);
  std::string value;
  for (const auto& x : addrs) value += (value.empty() ? "" : ", ") + x;
  std::string text;
  util::dns::Answer t = lang::dns_query(st_.ctx, query, util::dns::kTXT);
  if (t.outcome == util::dns::Outcome::Found && !t.records[0].texts.empty()) {
    text = t.records[0].texts[0];
  }
  st_.ctx.item_vars["dnslist_value"] = value;
  st_.ctx.item_vars["dnslist_text"] = text;
  return Rc::Listed;
}

std::string client_address(RunState& st) {
  if (SessionHooks* s = st.evaluator.session()) return s->client_address();
  std::string a;
  if (st.ctx.vars) st.ctx.vars->get("sender_host_address", a);
  return a;
}

void set_matched(RunState& st, const DnslistItem& d, const std::string& key) {
  st.ctx.item_vars["dnslist_domain"] = d.domain_txt;
  st.ctx.item_vars["dnslist_matched"] = key;
}

// The reversed form of an IP address key, or the key itself.
std::string prepend_for(const std::string& key) {
  auto ip = util::IpAddress::parse(key);
  return ip ? ip->reverse_labels() : key;
}

void check_characters(RunState& st, const std::string& domain) {
  for (char c : domain) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
      st.log("dnslists domain \"" + domain + "\" contains strange characters - is this right?");
      return;
    }
  }
}

// One item with keys after '/': listed as soon as one key is; a deferred key defers the item
// only when no other is listed.
Check check_keys(RunState& st, Checker& c, const DnslistItem& d) {
  bool deferred = false;
  lang::ListReader keys(d.keys);
  for (std::string key; keys.next(key);) {
    Rc rc = c.check(d, key, prepend_for(key));
    if (rc == Rc::Listed) {
      set_matched(st, d, key);
      return Check::True;
    }
    deferred |= rc == Rc::Defer;
  }
  return deferred ? Check::Defer : Check::False;
}

Check eval_dnslists(RunState& st, const Item&, const std::string& value) {
  Unknown unknown = Unknown::Exclude;
  lang::ListReader r(value);
  std::string address;
  for (std::string item; r.next(item);) {
    if (!item.empty() && item.front() == '+') {
      if (item == "+include_unknown") {
        unknown = Unknown::Include;
      } else if (item == "+exclude_unknown") {
        unknown = Unknown::Exclude;
      } else if (item == "+defer_unknown") {
        unknown = Unknown::Defer;
      } else {
        st.log("unknown item in dnslist (ignored): " + item);
      }
      continue;
    }
    DnslistItem d = parse_dnslist_item(item);
    check_characters(st, d.domain);
    if (d.domain_txt != d.domain) check_characters(st, d.domain_txt);
    Checker c(st, unknown);
    if (d.has_keys) {
      Check k = check_keys(st, c, d);
      if (k != Check::False) return k;
      continue;
    }
    if (address.empty()) address = client_address(st);
    auto ip = util::IpAddress::parse(address);
    if (!ip) return Check::False;  // no client address: can never match
    Rc rc = c.check(d, address, ip->reverse_labels());
    if (rc == Rc::Listed) {
      set_matched(st, d, address);
      return Check::True;
    }
    if (rc == Rc::Defer) return Check::Defer;
  }
  return Check::False;
}

const AclItemRegistrar reg({
    {"dnslists", ItemKind::Condition, true, true, nullptr, eval_dnslists},
});

}  // namespace
}  // namespace engine::acl
