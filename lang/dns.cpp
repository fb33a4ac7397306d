// lang/dns.cpp — see dns.h.
#include "lang/dns.h"

#include <algorithm>

#include "lang/context.h"
#include "lang/expand.h"
#include "lang/lists.h"
#include "lang/match/domainlist.h"
#include "lang/regex.h"
#include "util/hosts_file.h"
#include "util/strings.h"

namespace lang {
namespace {

using util::dns::Answer;
using DnsOutcome = util::dns::Outcome;

// Whether `name` is in the domain list `list` (expanded first). A list that cannot be
// expanded or matched counts as "no". Not re-entered: a list whose matching needs DNS
// (@mx_any) does not consult itself.
bool in_domain_list(EvalContext& ctx, const std::string& list, std::string_view name) {
  thread_local bool busy = false;
  if (list.empty() || busy) return false;
  busy = true;
  std::string text;
  bool in = false;
  if (expand_string(list, ctx, text).is_ok()) {
    std::vector<std::string> saved = ctx.captures;
    in = match_domainlist(ctx, text, name).outcome == ListMatch::Match;
    ctx.captures = std::move(saved);
  }
  busy = false;
  return in;
}

// dns_check_names_pattern (Exim's dns_basic_lookup): true when the name may be asked.
bool name_allowed(const DnsSettings& s, std::string_view name, std::uint16_t type) {
  if (s.check_names_pattern.empty() || type == util::dns::kPTR || type == util::dns::kTXT) {
    return true;
  }
  if (type == util::dns::kSRV || type == util::dns::kTLSA) {
    for (int i = 0; i < 2; ++i) {
      size_t dot = name.find('.');
      name = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
    }
  }
  std::shared_ptr<const Regex> re;
  if (!Regex::cached(s.check_names_pattern, re).is_ok()) return true;
  std::vector<std::string> caps;
  return re->search(name, 0, caps);
}

const DnsSettings& default_settings() {
  static const DnsSettings d;
  return d;
}

void add_unique(std::vector<util::IpAddress>& out, const util::IpAddress& a) {
  if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
}

// Collects the addresses of `name` of one type; returns the outcome of the query.
DnsOutcome collect(EvalContext& ctx, std::string_view name, std::uint16_t type,
                   std::vector<util::IpAddress>& out) {
  Answer a = dns_query(ctx, name, type);
  for (const auto& r : a.records) {
    if (auto ip = util::IpAddress::parse(r.host)) add_unique(out, *ip);
  }
  return a.outcome;
}

// The names of `address` from PTR records; Defer on a temporary failure.
HostFind names_by_dns(EvalContext& ctx, const util::IpAddress& address,
                      std::vector<std::string>& names) {
  Answer a = dns_query(ctx, util::dns::reverse_name(address), util::dns::kPTR);
  if (a.outcome == DnsOutcome::TempFail) return HostFind::Defer;
  for (const auto& r : a.records) {
    if (r.host.empty() || r.host == ".") continue;
    std::string n = util::to_lower(r.host);
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  }
  return names.empty() ? HostFind::NotFound : HostFind::Found;
}

// The names that resolve back to `address`, in order; Defer when a forward lookup failed
// temporarily.
HostFind confirmed(EvalContext& ctx, const util::IpAddress& address,
                   const std::vector<std::string>& names, std::vector<std::string>& out) {
  const util::IpAddress want = address.unmapped();
  for (const auto& n : names) {
    std::vector<util::IpAddress> addrs;
    HostFind f = dns_host_addresses(ctx, n, addrs);
    if (f == HostFind::Defer) return HostFind::Defer;
    for (const auto& a : addrs) {
      if (a.unmapped() == want) {
        out.push_back(n);
        break;
      }
    }
  }
  return out.empty() ? HostFind::NotFound : HostFind::Found;
}

}  // namespace

const DnsSettings& dns_settings(const EvalContext& ctx) {
  return ctx.dns ? *ctx.dns : default_settings();
}

Answer dns_query(EvalContext& ctx, std::string_view name, std::uint16_t type,
                 const util::dns::QueryOptions& opts) {
  const DnsSettings& s = dns_settings(ctx);
  if (!name_allowed(s, name, type)) {
    Answer a;
    a.outcome = DnsOutcome::NxDomain;
    a.name = std::string(name);
    return a;
  }
  Answer a = s.resolver.query(name, type, opts);
  if (a.outcome == DnsOutcome::TempFail && in_domain_list(ctx, s.again_means_nonexist, name)) {
    a.outcome = DnsOutcome::NxDomain;
  }
  return a;
}

HostFind dns_host_addresses(EvalContext& ctx, std::string_view name,
                            std::vector<util::IpAddress>& out, bool hosts_file) {
  const DnsSettings& s = dns_settings(ctx);
  if (hosts_file) {
    for (const auto& a : util::hosts_file_addresses(s.hosts_file, name)) add_unique(out, a);
    if (!out.empty()) return HostFind::Found;
  }
  bool deferred = false;
  if (!s.disable_ipv6 && !in_domain_list(ctx, s.ipv4_lookup, name)) {
    deferred = collect(ctx, name, util::dns::kAAAA, out) == DnsOutcome::TempFail;
  }
  deferred |= collect(ctx, name, util::dns::kA, out) == DnsOutcome::TempFail;
  if (!out.empty()) return HostFind::Found;
  return deferred ? HostFind::Defer : HostFind::NotFound;
}

HostName dns_host_name(EvalContext& ctx, const util::IpAddress& address) {
  const DnsSettings& s = dns_settings(ctx);
  HostName h;
  std::vector<std::string> names;
  ListReader order(s.host_lookup_order);
  for (std::string method; names.empty() && order.next(method);) {
    if (util::iequals(method, "bydns")) {
      if (names_by_dns(ctx, address, names) == HostFind::Defer) {
        h.outcome = HostFind::Defer;
        h.message = "PTR lookup for " + address.str() + " gave a temporary error";
        return h;
      }
    } else if (util::iequals(method, "byaddr")) {
      for (const auto& n : util::hosts_file_names(s.hosts_file, address)) {
        names.push_back(util::to_lower(n));
      }
    }
  }
  if (names.empty()) {
    h.message = " (failed to find host name from IP address)";
    return h;
  }
  std::vector<std::string> good;
  h.outcome = confirmed(ctx, address, names, good);
  if (h.outcome == HostFind::Defer) {
    h.message = "temporary error for host name lookup";
    return h;
  }
  if (h.outcome == HostFind::NotFound) {
    h.message = " (" + address.str() + " does not match any IP address for " + names[0] + ")";
    return h;
  }
  h.name = good[0];
  h.aliases.assign(good.begin() + 1, good.end());
  return h;
}

}  // namespace lang
