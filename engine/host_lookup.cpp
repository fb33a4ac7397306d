#include "engine/host_lookup.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "engine/variables.h"
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

HostStatus HostResolver::dns_addresses(std::string_view, bool, std::vector<std::string>&,
                                       std::string& error) {
  error = "no DNS resolver";
  return HostStatus::NotFound;
}

HostStatus HostResolver::dns_mx(std::string_view, std::vector<MxRecord>&, std::string& error) {
  error = "no DNS resolver";
  return HostStatus::NotFound;
}

HostStatus HostResolver::byname(std::string_view name, std::vector<std::string>& out,
                                std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(std::string(name).c_str(), nullptr, &hints, &res);
  if (rc == EAI_AGAIN) {
    error = gai_strerror(rc);
    return HostStatus::Again;
  }
  if (rc != 0) {
    error = gai_strerror(rc);
    return HostStatus::NotFound;
  }
  for (addrinfo* p = res; p; p = p->ai_next) {
    char buf[64] = "";
    if (getnameinfo(p->ai_addr, p->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) != 0)
      continue;
    std::string a = canonical(buf);
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  freeaddrinfo(res);
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
