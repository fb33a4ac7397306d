#include "routers/host_list.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "engine/route.h"
#include "engine/variables.h"
#include "lang/expand.h"
#include "lang/lists.h"
#include "lang/match/hostlist.h"
#include "routers/host_dns.h"
#include "util/ip.h"
#include "util/strings.h"

namespace routers {
namespace {

using engine::Host;
using engine::HostStatus;

// Exim's host_item_get_port: "name:port" or "[ip]:port" (an IPv6 address without brackets
// keeps its last group).
int take_port(std::string& name) {
  size_t i = name.size();
  while (i > 1 && std::isdigit(static_cast<unsigned char>(name[i - 1]))) --i;
  if (name.size() < 3 || i == name.size() || i < 2 || name[i - 1] != ':') return Host::kNone;
  int port = std::stoi(name.substr(i, 6));
  std::string head = name.substr(0, i - 1);
  if (head.size() > 2 && head.front() == '[' && head.back() == ']') {
    name = head.substr(1, head.size() - 2);
  } else {
    auto ip = util::IpAddress::parse(name);
    if (ip && !ip->is_v4()) return Host::kNone;
    name = head;
  }
  return port;
}

bool ends_with_mx(const std::string& n) {
  return n.size() > 3 && util::iequals(std::string_view(n).substr(n.size() - 3), "/mx");
}

class HostFinder {
 public:
  HostFinder(engine::RouteCall& call, const HostLookupOptions& o) : call_(call), o_(o) {}
  RouterResult run();

 private:
  // The addresses of one host of the list: in `found`, with `local` set when an MX lookup
  // found this host at the lowest preference.
  HostStatus addresses_of(Host& h, std::vector<Host>& found, std::optional<Host>& local,
                          std::string& error);
  HostStatus mx_hosts(const Host& h, std::vector<Host>& found, std::optional<Host>& local,
                      std::string& error);
  RouterResult not_found(const Host& h);

  engine::RouteCall& call_;
  const HostLookupOptions& o_;
  std::vector<Host> out_;
  bool self_send_ = false;
};

HostStatus HostFinder::mx_hosts(const Host& h, std::vector<Host>& found, std::optional<Host>& local,
                                std::string& error) {
  DnsHostQuery q;
  q.domain = h.name;
  q.ipv4_only = o_.ipv4_only;
  q.ipv4_prefer = o_.ipv4_prefer;
  q.port = h.port;
  DnsHosts d = find_hosts_by_dns(call_, q);
  error = d.message;
  if (d.status == DnsHostStatus::Again) return HostStatus::Again;
  if (d.status == DnsHostStatus::Failed) return HostStatus::NotFound;
  if (d.status == DnsHostStatus::FoundLocal) local = d.local;
  found = std::move(d.hosts);
  return HostStatus::Found;
}

HostStatus HostFinder::addresses_of(Host& h, std::vector<Host>& found, std::optional<Host>& local,
                                    std::string& error) {
  if (ends_with_mx(h.name)) {
    h.name.resize(h.name.size() - 3);
    return mx_hosts(h, found, local, error);
  }
  std::vector<std::string> addrs;
  HostStatus st;
  if (util::IpAddress::parse(h.name)) {
    addrs.push_back(h.name);
    st = HostStatus::Found;
  } else if (o_.type == HostLookupOptions::Type::ByName) {
    st = call_.resolver().byname(call_.ctx(), h.name, addrs, error);
  } else {
    st = call_.resolver().dns_addresses(call_.ctx(), h.name, o_.ipv4_only, addrs, error);
    if (st == HostStatus::NotFound && o_.type == HostLookupOptions::Type::Default)
      st = call_.resolver().byname(call_.ctx(), h.name, addrs, error);
  }
  if (o_.ipv4_prefer)
    std::stable_partition(addrs.begin(), addrs.end(),
                          [](const std::string& a) { return a.find(':') == std::string::npos; });
  for (const std::string& a : addrs)
    if (!host_ignored(call_, h.name, a)) found.push_back(Host{h.name, a, h.port, h.mx});
  // Exim's host_scan_for_local_hosts: this host first is for `self`; later, it goes with
  // the addresses after it.
  auto it = std::find_if(found.begin(), found.end(),
                         [&](const Host& f) { return host_is_local(call_, f); });
  if (it == found.begin() && it != found.end()) local = *it;
  if (it != found.begin()) found.erase(it, found.end());
  return st;
}

RouterResult HostFinder::not_found(const Host& h) {
  if (o_.find_failed == HostFailAction::Pass) return RouterResult::Pass;
  if (o_.find_failed == HostFailAction::Decline) return RouterResult::Decline;
  call_.address().message =
      "lookup of host \"" + h.name + "\" failed in " + call_.router_name() + " router";
  return o_.find_failed == HostFailAction::Fail ? RouterResult::Fail : RouterResult::Defer;
}

RouterResult HostFinder::run() {
  std::vector<Host> in = std::move(call_.address().hosts);
  for (Host& h : in) {
    int port = take_port(h.name);
    if (port != Host::kNone) h.port = port;
    std::vector<Host> found;
    std::optional<Host> local;
    std::string error;
    HostStatus st = addresses_of(h, found, local, error);
    if (st == HostStatus::Again) {
      if (call_.options().pass_on_timeout) return RouterResult::Pass;
      call_.address().message = "host lookup for " + h.name + " did not complete (DNS timeout?)";
      return RouterResult::Defer;
    }
    if (st == HostStatus::NotFound) {
      if (o_.find_failed == HostFailAction::Ignore) continue;
      return not_found(h);
    }
    if (local && !self_send_) {
      // This host first in the list is for `self`; later, it ends the list.
      if (!out_.empty()) break;
      RouterResult rc = call_.self_action(*local);
      if (rc != RouterResult::Accept) return rc;
      self_send_ = true;
    }
    out_.insert(out_.end(), found.begin(), found.end());
  }
  call_.address().hosts = std::move(out_);
  return RouterResult::Accept;
}

}  // namespace

bool host_ignored(engine::RouteCall& call, const std::string& name, const std::string& ip) {
  const lang::Program* p = call.options().ignore_target_hosts;
  if (!p) return false;
  call.vars().set("host_address", ip);
  std::string list;
  bool in = false;
  if (call.expand(*p, list).is_ok()) {
    lang::HostInfo host;
    host.address = ip;
    host.name = name;
    lang::HostMatch m;
    in = lang::match_hostlist(call.ctx(), list, host, lang::HostListMode::Acl, m).is_ok() &&
         m.matched;
  }
  call.vars().reset("host_address");
  return in;
}

bool parse_host_fail_action(std::string_view text, HostFailAction& out) {
  static const std::pair<std::string_view, HostFailAction> kWords[] = {
      {"decline", HostFailAction::Decline}, {"defer", HostFailAction::Defer},
      {"fail", HostFailAction::Fail},       {"freeze", HostFailAction::Freeze},
      {"ignore", HostFailAction::Ignore},   {"pass", HostFailAction::Pass}};
  for (auto [word, a] : kWords) {
    if (text == word) {
      out = a;
      return true;
    }
  }
  return false;
}

std::vector<Host> build_host_list(std::string_view list, bool randomize) {
  std::vector<std::pair<int, Host>> keyed;
  int group = 0;
  lang::ListReader rd(list);
  std::string item;
  while (rd.next(item)) {
    if (item == "+") {
      if (randomize) ++group;
      continue;
    }
    int key = randomize ? group * 1000 + static_cast<int>(host_random(1000)) : 0;
    keyed.push_back({key, Host{item, "", Host::kNone, Host::kNone}});
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Host> out;
  for (auto& [key, h] : keyed) out.push_back(std::move(h));
  return out;
}

RouterResult lookup_host_list(engine::RouteCall& call, const HostLookupOptions& opts) {
  RouterResult rc = HostFinder(call, opts).run();
  if (rc != RouterResult::Accept || !call.address().hosts.empty()) return rc;
  HostFailAction a = opts.all_ignored;
  if (a == HostFailAction::Pass) return RouterResult::Pass;
  if (a == HostFailAction::Decline) return RouterResult::Decline;
  std::string_view name = a == HostFailAction::Fail     ? "fail"
                          : a == HostFailAction::Freeze ? "freeze"
                                                        : "defer";
  call.address().message = "lookup failed for all hosts in " + call.router_name() +
                           " router: host_find_failed=ignore host_all_ignored=" + std::string(name);
  return a == HostFailAction::Fail ? RouterResult::Fail : RouterResult::Defer;
}

}  // namespace routers
