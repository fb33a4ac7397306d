#include "routers/host_list.h"

#include <algorithm>
#include <cctype>
#include <random>

#include "engine/route.h"
#include "engine/variables.h"
#include "lang/expand.h"
#include "lang/lists.h"
#include "lang/match/domainlist.h"
#include "lang/match/hostlist.h"
#include "util/ip.h"
#include "util/strings.h"

namespace routers {
namespace {

using engine::Host;
using engine::HostStatus;

std::mt19937& rng() {
  thread_local std::mt19937 g{std::random_device{}()};  // sessions run on worker threads
  return g;
}

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

// This host: one of its interface addresses, or a name in hosts_treat_as_local (spec 13.8).
bool treated_as_local(engine::RouteCall& call, const Host& h) {
  if (call.chain().local_hosts().is_local(h.address)) return true;
  std::string list = engine::main_option(&call.config(), "hosts_treat_as_local");
  if (list.empty() || !lang::expand_string(list, call.ctx(), list).is_ok()) return false;
  return lang::match_domainlist(call.ctx(), list, h.name).outcome == lang::ListMatch::Match;
}

class HostFinder {
 public:
  HostFinder(engine::RouteCall& call, const HostLookupOptions& o) : call_(call), o_(o) {}
  RouterResult run();

 private:
  HostStatus addresses_of(Host& h, std::vector<Host>& out, std::string& error);
  HostStatus mx_hosts(const Host& h, std::vector<Host>& out, std::string& error);
  RouterResult not_found(const Host& h);

  engine::RouteCall& call_;
  const HostLookupOptions& o_;
};

HostStatus HostFinder::mx_hosts(const Host& h, std::vector<Host>& out, std::string& error) {
  std::vector<engine::MxRecord> mx;
  HostStatus st = call_.resolver().dns_mx(call_.ctx(), h.name, mx, error);
  if (st != HostStatus::Found) return st;
  for (const engine::MxRecord& r : mx) {
    std::vector<std::string> addrs;
    std::string e;
    if (call_.resolver().dns_addresses(call_.ctx(), r.name, o_.ipv4_only, addrs, e) !=
        HostStatus::Found)
      continue;
    for (const std::string& a : addrs) out.push_back(Host{r.name, a, h.port, r.preference});
  }
  return out.empty() ? HostStatus::NotFound : HostStatus::Found;
}

HostStatus HostFinder::addresses_of(Host& h, std::vector<Host>& out, std::string& error) {
  if (ends_with_mx(h.name)) {
    h.name.resize(h.name.size() - 3);
    return mx_hosts(h, out, error);
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
  for (const std::string& a : addrs) out.push_back(Host{h.name, a, h.port, h.mx});
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
  std::vector<Host> in = std::move(call_.address().hosts), out;
  bool self_send = false;
  for (Host& h : in) {
    int port = take_port(h.name);
    if (port != Host::kNone) h.port = port;
    std::vector<Host> found;
    std::string error;
    HostStatus st = addresses_of(h, found, error);
    if (st == HostStatus::Again) {
      if (call_.options().pass_on_timeout) return RouterResult::Pass;
      call_.address().message = "host lookup for " + h.name + " did not complete (DNS timeout?)";
      return RouterResult::Defer;
    }
    if (st == HostStatus::NotFound) {
      if (o_.find_failed == HostFailAction::Ignore) continue;
      return not_found(h);
    }
    std::erase_if(found, [&](const Host& f) { return host_ignored(call_, f.name, f.address); });
    for (Host& f : found) {
      if (!self_send && treated_as_local(call_, f)) {
        if (!out.empty()) {
          call_.address().hosts = std::move(out);
          return RouterResult::Accept;
        }
        RouterResult rc = call_.self_action(f);
        if (rc != RouterResult::Accept) return rc;
        self_send = true;
      }
      out.push_back(std::move(f));
    }
  }
  call_.address().hosts = std::move(out);
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
    int key = randomize ? group * 1000 + static_cast<int>(rng()() % 1000) : 0;
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
