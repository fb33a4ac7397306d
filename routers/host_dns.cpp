#include "routers/host_dns.h"

#include <algorithm>
#include <random>

#include "engine/config/main_options.h"
#include "engine/route.h"
#include "engine/variables.h"
#include "lang/expand.h"
#include "lang/match/domainlist.h"
#include "routers/host_list.h"
#include "util/ip.h"
#include "util/strings.h"

namespace routers {
namespace {

using engine::DnsRecords;
using engine::Host;
using engine::HostStatus;

HostRandom g_random = nullptr;

constexpr std::uint32_t kKeys = 1U << 16;

bool is_v4(const std::string& a) {
  return a.find(':') == std::string::npos;
}

// Stable sort by (group, random key): equal groups come out in random order.
template <typename T, typename Group>
void shuffle_within(std::vector<T>& v, Group group) {
  std::vector<std::pair<std::uint32_t, T>> keyed;
  for (T& x : v) keyed.emplace_back(host_random(kKeys), std::move(x));
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    auto ga = group(a.second), gb = group(b.second);
    return ga != gb ? ga < gb : a.first < b.first;
  });
  v.clear();
  for (auto& [key, x] : keyed) v.push_back(std::move(x));
}

bool is_root(const std::string& target) {
  return target.empty() || target == ".";
}

// A host to find the addresses of: an MX or SRV target.
struct Target {
  std::string name;
  int mx = Host::kNone;
  int port = Host::kNone;
};

// RFC 2782's order: by priority, then within a priority repeatedly a record chosen at
// random with a chance proportional to its weight (weight 0 ones first in the running sum).
std::vector<Target> srv_order(std::vector<util::dns::Record> recs) {
  std::stable_sort(recs.begin(), recs.end(), [](const auto& a, const auto& b) {
    return a.num[0] != b.num[0] ? a.num[0] < b.num[0] : (a.num[1] == 0 && b.num[1] != 0);
  });
  std::vector<Target> out;
  for (size_t start = 0; start < recs.size();) {
    size_t end = start;
    while (end < recs.size() && recs[end].num[0] == recs[start].num[0]) ++end;
    std::vector<util::dns::Record> group(recs.begin() + static_cast<long>(start),
                                         recs.begin() + static_cast<long>(end));
    while (!group.empty()) {
      std::uint32_t sum = 0;
      for (const auto& r : group) sum += r.num[1];
      std::uint32_t pick = host_random(sum + 1), running = 0;
      size_t i = 0;
      for (; i + 1 < group.size(); ++i)
        if ((running += group[i].num[1]) >= pick) break;
      const auto& r = group[i];
      out.push_back(Target{r.host, static_cast<int>(r.num[0]), static_cast<int>(r.num[2])});
      group.erase(group.begin() + static_cast<long>(i));
    }
    start = end;
  }
  return out;
}

class DnsHostFinder {
 public:
  DnsHostFinder(engine::RouteCall& call, const DnsHostQuery& q) : call_(call), q_(q) {
    out_.name = q.domain;
  }
  DnsHosts run();

 private:
  enum class Step : unsigned char { Next, Done };
  Step srv_targets();
  Step mx_targets();
  void no_service();
  void again(const std::string& error);
  std::string owner_of(const std::string& name, const std::string& address);
  void implicit_host();
  void resolve_targets();
  void add_addresses(const std::string& name, std::vector<std::string> addrs, int mx, int port);
  void scan_for_local(bool by_preference);

  engine::RouteCall& call_;
  const DnsHostQuery& q_;
  DnsHosts out_;
  std::vector<Target> targets_;
};

void DnsHostFinder::no_service() {
  out_.status = DnsHostStatus::Failed;
  out_.message = "an MX or SRV record indicated no SMTP service";
}

void DnsHostFinder::again(const std::string& error) {
  out_.status = DnsHostStatus::Again;
  out_.message = error;
}

DnsHostFinder::Step DnsHostFinder::srv_targets() {
  std::string prefix = "_" + q_.srv_service + "._tcp.";
  DnsRecords r =
      call_.resolver().dns_records(call_.ctx(), prefix + q_.domain, util::dns::kSRV, q_.search);
  if (r.status == HostStatus::Again) {
    if (q_.srv_fail_is_none) return Step::Next;
    again(r.error);
    return Step::Done;
  }
  if (r.status != HostStatus::Found) return Step::Next;
  if (r.name.compare(0, prefix.size(), prefix) == 0) out_.name = r.name.substr(prefix.size());
  if (r.records.size() == 1 && is_root(r.records[0].host)) {
    no_service();
    return Step::Done;
  }
  for (Target& t : srv_order(std::move(r.records)))
    if (!is_root(t.name)) targets_.push_back(std::move(t));
  return Step::Next;
}

DnsHostFinder::Step DnsHostFinder::mx_targets() {
  DnsRecords r = call_.resolver().dns_records(call_.ctx(), q_.domain, util::dns::kMX, q_.search);
  if (r.status == HostStatus::Again) {
    if (q_.mx_fail_is_none) return Step::Next;
    again(r.error);
    return Step::Done;
  }
  if (r.status == HostStatus::NotFound && r.no_domain) {
    out_.status = DnsHostStatus::Failed;
    return Step::Done;
  }
  out_.name = r.name;
  if (r.status != HostStatus::Found) return Step::Next;
  if (r.records.size() == 1 && is_root(r.records[0].host)) {
    no_service();
    return Step::Done;
  }
  for (const util::dns::Record& rec : r.records)
    if (!is_root(rec.host)) targets_.push_back(Target{rec.host, static_cast<int>(rec.num[0])});
  shuffle_within(targets_, [](const Target& t) { return t.mx; });
  return Step::Next;
}

void DnsHostFinder::add_addresses(const std::string& name, std::vector<std::string> addrs, int mx,
                                  int port) {
  order_addresses(addrs, q_.ipv4_prefer);
  for (const std::string& a : addrs)
    if (!host_ignored(call_, name, a)) out_.hosts.push_back(Host{name, a, port, mx});
}

// The name that owns the address records of `name` (another one when it is a CNAME), as
// Exim names a host after its address records.
std::string DnsHostFinder::owner_of(const std::string& name, const std::string& address) {
  std::uint16_t type = is_v4(address) ? util::dns::kA : util::dns::kAAAA;
  DnsRecords r = call_.resolver().dns_records(call_.ctx(), name, type, engine::DnsSearch{});
  if (r.status != HostStatus::Found || r.records[0].name.empty()) return name;
  return util::to_lower(r.records[0].name);
}

// No MX or SRV records: the domain's own addresses, as an MX of its own without preference.
void DnsHostFinder::implicit_host() {
  out_.implicit = true;
  std::vector<std::string> addrs;
  std::string error;
  HostStatus st =
      call_.resolver().dns_addresses(call_.ctx(), out_.name, q_.ipv4_only, addrs, error);
  if (st == HostStatus::Again) return again(error);
  std::string owner = addrs.empty() ? out_.name : owner_of(out_.name, addrs.front());
  add_addresses(owner, std::move(addrs), Host::kNone, q_.port);
  if (out_.hosts.empty()) {
    out_.status = DnsHostStatus::Failed;
    return;
  }
  out_.status = DnsHostStatus::Found;
  scan_for_local(false);
}

void DnsHostFinder::resolve_targets() {
  bool ip_named = false, deferred = false, usable = false;
  bool allow_ip = engine::config::main_bool(call_.config(), "allow_mx_to_ip");
  for (const Target& t : targets_) {
    int port = t.port != Host::kNone ? t.port : q_.port;
    std::vector<std::string> addrs;
    std::string error;
    HostStatus st = HostStatus::Found;
    if (util::IpAddress::parse(t.name)) {
      if (!allow_ip) {
        ip_named = true;
        continue;
      }
      addrs.push_back(t.name);
    } else {
      st = call_.resolver().dns_addresses(call_.ctx(), t.name, q_.ipv4_only, addrs, error);
    }
    if (st != HostStatus::Found) {
      deferred |= st == HostStatus::Again;
      Host h{t.name, "", port, t.mx};
      h.unusable = true;
      out_.hosts.push_back(std::move(h));
      continue;
    }
    size_t before = out_.hosts.size();
    add_addresses(t.name, std::move(addrs), t.mx, port);
    usable |= out_.hosts.size() > before;
  }
  if (!usable) {
    out_.hosts.clear();
    if (deferred) return again("host lookup for an MX host of " + out_.name + " did not complete");
    out_.status = DnsHostStatus::Failed;
    out_.message = "all relevant MX records point to non-existent hosts";
    if (ip_named) out_.message += " or (invalidly) to IP addresses";
    return;
  }
  out_.status = DnsHostStatus::Found;
  scan_for_local(true);
}

// Exim's host_scan_for_local_hosts, with MX preferences: this host at the lowest preference
// is FoundLocal; further down, it goes with every host of its preference and above. Without
// preferences, it goes with the hosts after it.
void DnsHostFinder::scan_for_local(bool by_preference) {
  auto& hosts = out_.hosts;
  auto it = std::find_if(hosts.begin(), hosts.end(),
                         [&](const Host& h) { return !h.unusable && host_is_local(call_, h); });
  if (it == hosts.end()) return;
  int pref = it->mx;
  if (it == hosts.begin() || (by_preference && pref <= hosts.front().mx)) {
    out_.status = DnsHostStatus::FoundLocal;
    out_.local = *it;
    return;
  }
  out_.local_removed = true;
  if (!by_preference) {
    hosts.erase(it, hosts.end());
    return;
  }
  std::erase_if(hosts, [&](const Host& h) { return h.mx >= pref; });
}

DnsHosts DnsHostFinder::run() {
  Step s = q_.srv_service.empty() ? Step::Next : srv_targets();
  if (s == Step::Next && targets_.empty() && !q_.addresses_only) s = mx_targets();
  if (s == Step::Done) return std::move(out_);
  if (targets_.empty())
    implicit_host();
  else
    resolve_targets();
  return std::move(out_);
}

}  // namespace

std::uint32_t host_random(std::uint32_t bound) {
  if (g_random) return g_random(bound) % bound;
  thread_local std::mt19937 g{std::random_device{}()};  // sessions run on worker threads
  return std::uniform_int_distribution<std::uint32_t>(0, bound - 1)(g);
}

void set_host_random(HostRandom r) {
  g_random = r;
}

void order_addresses(std::vector<std::string>& addresses, bool ipv4_prefer) {
  shuffle_within(addresses, [&](const std::string& a) { return is_v4(a) != ipv4_prefer; });
}

bool host_is_local(engine::RouteCall& call, const Host& h) {
  if (!h.address.empty() && call.chain().local_hosts().is_local(h.address)) return true;
  std::string list = engine::main_option(&call.config(), "hosts_treat_as_local");
  if (list.empty() || !lang::expand_string(list, call.ctx(), list).is_ok()) return false;
  return lang::match_domainlist(call.ctx(), list, h.name).outcome == lang::ListMatch::Match;
}

DnsHosts find_hosts_by_dns(engine::RouteCall& call, const DnsHostQuery& q) {
  return DnsHostFinder(call, q).run();
}

}  // namespace routers
