#include "engine/host_lookup.h"

#include <algorithm>
#include <cstring>

#include "engine/variables.h"
#include "lang/dns.h"
#include "lang/lists.h"
#include "util/ip.h"

namespace engine {
namespace {

HostResolver& default_resolver() {
  static HostResolver r;
  return r;
}

HostResolver* g_resolver = nullptr;

std::string canonical(std::string_view ip) {
  auto a = util::IpAddress::parse(ip);
  return a ? a->unmapped().str() : std::string(ip);
}

// The address of a local_interfaces item: "[ip]:port" and "ip.port" lose their port.
std::string interface_address(const std::string& item) {
  if (!item.empty() && item[0] == '[') return item.substr(1, item.find(']') - 1);
  if (item.find(':') == std::string::npos && std::count(item.begin(), item.end(), '.') == 4)
    return item.substr(0, item.rfind('.'));
  return item;
}

}  // namespace

namespace {

HostStatus addresses(lang::EvalContext& ctx, std::string_view name, bool hosts_file, bool ipv4_only,
                     std::vector<std::string>& out, std::string& error) {
  std::vector<util::IpAddress> ips;
  lang::HostFind f = lang::dns_host_addresses(ctx, name, ips, hosts_file);
  if (f == lang::HostFind::Defer) {
    error = "temporary DNS failure for " + std::string(name);
    return HostStatus::Again;
  }
  for (const util::IpAddress& ip : ips)
    if (!ipv4_only || ip.unmapped().is_v4()) out.push_back(ip.unmapped().str());
  if (out.empty()) error = "no addresses for " + std::string(name);
  return out.empty() ? HostStatus::NotFound : HostStatus::Found;
}

}  // namespace

HostStatus HostResolver::dns_addresses(lang::EvalContext& ctx, std::string_view name,
                                       bool ipv4_only, std::vector<std::string>& out,
                                       std::string& error) {
  return addresses(ctx, name, false, ipv4_only, out, error);
}

HostStatus HostResolver::byname(lang::EvalContext& ctx, std::string_view name,
                                std::vector<std::string>& out, std::string& error) {
  return addresses(ctx, name, true, false, out, error);
}

HostStatus HostResolver::dns_mx(lang::EvalContext& ctx, std::string_view domain,
                                std::vector<MxRecord>& out, std::string& error) {
  util::dns::Answer a = lang::dns_query(ctx, domain, util::dns::kMX);
  if (a.outcome == util::dns::Outcome::TempFail) {
    error = a.error;
    return HostStatus::Again;
  }
  for (const util::dns::Record& r : a.records)
    out.push_back(MxRecord{static_cast<int>(r.num[0]), r.host});
  std::stable_sort(out.begin(), out.end(), [](const MxRecord& x, const MxRecord& y) {
    return x.preference < y.preference;
  });
  if (out.empty()) error = "no MX records for " + std::string(domain);
  return out.empty() ? HostStatus::NotFound : HostStatus::Found;
}

HostResolver& host_resolver() {
  return g_resolver ? *g_resolver : default_resolver();
}

void set_host_resolver(HostResolver* r) {
  g_resolver = r;
}

LocalHosts::LocalHosts(const config::Config* cfg) {
  std::string list = main_option(cfg, "local_interfaces", "<; 0.0.0.0 ; ::0");
  std::string extra = main_option(cfg, "extra_local_interfaces");
  bool all = false;
  for (const std::string* l : {&list, &extra}) {
    lang::ListReader rd(*l);
    std::string item;
    while (rd.next(item)) {
      std::string ip = interface_address(item);
      if (ip == "0.0.0.0" || ip == "::0" || ip == "::") {
        all = true;
        continue;
      }
      if (util::IpAddress::parse(ip)) addresses_.push_back(canonical(ip));
    }
  }
  if (all)
    for (const util::IpAddress& a : util::local_interface_addresses())
      addresses_.push_back(a.unmapped().str());
}

bool LocalHosts::is_local(std::string_view ip) const {
  std::string c = canonical(ip);
  return std::find(addresses_.begin(), addresses_.end(), c) != addresses_.end();
}

}  // namespace engine
