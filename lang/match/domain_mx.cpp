// lang/match/domain_mx.cpp — the @mx_any, @mx_primary and @mx_secondary items of domain lists
// (spec 10.9): does the domain's MX list point at this host?
//
// The MX records are looked up (no widening of the name); each target's addresses are found
// in the DNS (A and AAAA), and those matching the /ignore= host list are dropped (a target
// left without addresses is dropped). A target is this host when one of its addresses is an
// address of a local interface, or its name is in hosts_treat_as_local. @mx_any matches when
// any target is this host, @mx_primary when one at the lowest preference is, @mx_secondary
// when one is but none at the lowest preference (as Exim's host_find_bydns reports it).
//
// Failure: a temporary failure of the MX lookup defers ("DNS lookup of \"d\" deferred"); a
// failed address lookup drops that target. No MX records: no match.
#include <algorithm>
#include <climits>

#include "lang/dns.h"
#include "lang/match/domainlist.h"
#include "lang/match/hostlist.h"
#include "util/strings.h"

namespace lang {
namespace {

enum class MxKind : unsigned char { Any, Primary, Secondary };

// Parses the item; false when it is not one of the three forms.
bool parse_mx_item(std::string_view p, MxKind& kind, std::string_view& ignore) {
  p.remove_prefix(4);  // "@mx_"
  static constexpr std::pair<std::string_view, MxKind> kKinds[] = {
      {"any", MxKind::Any}, {"primary", MxKind::Primary}, {"secondary", MxKind::Secondary}};
  for (const auto& [name, k] : kKinds) {
    if (!util::starts_with_ci(p, name)) continue;
    std::string_view rest = p.substr(name.size());
    if (rest.empty()) {
      kind = k;
      return true;
    }
    if (!util::starts_with_ci(rest, "/ignore=")) return false;
    kind = k;
    ignore = rest.substr(8);
    return true;
  }
  return false;
}

bool ignored(EvalContext& ctx, std::string_view ignore, const util::IpAddress& a) {
  if (ignore.empty()) return false;
  HostInfo h{a.str(), "", {}, nullptr};
  HostMatch m;
  return match_hostlist(ctx, ignore, h, HostListMode::IpOnly, m).is_ok() && m.matched;
}

bool is_local(EvalContext& ctx, const std::string& host,
              const std::vector<util::IpAddress>& addrs) {
  const std::vector<util::IpAddress> local = util::local_interface_addresses();
  for (const auto& a : addrs) {
    for (const auto& l : local) {
      if (a.unmapped() == l.unmapped()) return true;
    }
  }
  const std::string& treat = dns_settings(ctx).hosts_treat_as_local;
  return !treat.empty() && match_domainlist(ctx, treat, host).outcome == ListMatch::Match;
}

}  // namespace

ListMatch match_domain_mx(EvalContext& ctx, std::string_view pattern, std::string_view domain,
                          ListMatchResult& res, bool& special) {
  MxKind kind;
  std::string_view ignore;
  special = parse_mx_item(pattern, kind, ignore);
  if (!special) return ListMatch::NoMatch;
  util::dns::Answer mx = dns_query(ctx, domain, util::dns::kMX);
  if (mx.outcome == util::dns::Outcome::TempFail) {
    res.error = "DNS lookup of \"" + std::string(domain) + "\" deferred";
    return ListMatch::Defer;
  }
  uint32_t lowest = UINT32_MAX, local_pref = UINT32_MAX;
  for (const auto& r : mx.records) {
    std::vector<util::IpAddress> addrs;
    (void)dns_host_addresses(ctx, r.host, addrs, false);
    addrs.erase(std::remove_if(addrs.begin(), addrs.end(),
                               [&](const util::IpAddress& a) { return ignored(ctx, ignore, a); }),
                addrs.end());
    if (addrs.empty()) continue;
    lowest = std::min(lowest, r.num[0]);
    if (is_local(ctx, r.host, addrs)) local_pref = std::min(local_pref, r.num[0]);
  }
  bool hit = local_pref != UINT32_MAX &&
             (kind == MxKind::Any || (kind == MxKind::Primary) == (local_pref == lowest));
  if (!hit) return ListMatch::NoMatch;
  ctx.captures.assign(1, std::string(domain));
  res.value = std::string(pattern);
  return ListMatch::Match;
}

}  // namespace lang
