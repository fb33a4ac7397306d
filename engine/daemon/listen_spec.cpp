#include "engine/daemon/listen_spec.h"

#include <cctype>

#include "engine/variables.h"
#include "lang/lists.h"
#include "util/ip.h"
#include "util/services.h"
#include "util/strings.h"

namespace engine::daemon {
namespace {

std::vector<std::string> list_items(const std::string& list) {
  std::vector<std::string> v;
  lang::ListReader r(list);
  std::string it;
  while (r.next(it)) {
    if (!it.empty()) v.push_back(it);
  }
  return v;
}

// Splits "addr.port", "[addr]:port" or "addr"; port -1 when absent.
bool split_interface(std::string item, std::string& addr, int& port) {
  port = -1;
  if (!item.empty() && item[0] == '[') {
    size_t close = item.find(']');
    if (close == std::string::npos) return false;
    addr = item.substr(1, close - 1);
    if (close + 1 < item.size()) {
      if (item[close + 1] != ':' && item[close + 1] != '.') return false;
      port = port_number(item.substr(close + 2));
      if (port < 0) return false;
    }
    return util::IpAddress::parse(addr).has_value();
  }
  if (util::IpAddress::parse(item)) {
    addr = item;
    return true;
  }
  size_t dot = item.rfind('.');
  if (dot == std::string::npos) return false;
  addr = item.substr(0, dot);
  port = port_number(item.substr(dot + 1));
  return port >= 0 && util::IpAddress::parse(addr).has_value();
}

}  // namespace

int port_number(const std::string& text) {
  return util::tcp_port(util::trim(text));
}

util::Result<std::vector<ListenAddress>> listen_addresses(const config::Config& cfg,
                                                          const std::string& ox) {
  std::vector<std::string> port_items = list_items(main_option(&cfg, "daemon_smtp_ports", "smtp"));
  std::vector<std::string> iface_items =
      list_items(main_option(&cfg, "local_interfaces", "<; 0.0.0.0 ; ::0"));
  // -oX (spec 13.3): its items without dots or colons replace daemon_smtp_ports, the others
  // local_interfaces.
  std::vector<std::string> ox_ports, ox_ifaces;
  for (auto& item : list_items(ox))
    (item.find_first_of(".:") == std::string::npos ? ox_ports : ox_ifaces).push_back(item);
  if (!ox_ports.empty()) port_items = std::move(ox_ports);
  if (!ox_ifaces.empty()) iface_items = std::move(ox_ifaces);
  std::vector<int> ports;
  for (const auto& p : port_items) {
    int n = port_number(p);
    if (n < 0) return util::Error{"invalid port \"" + p + "\" in daemon_smtp_ports", {}};
    ports.push_back(n);
  }
  std::vector<int> tls_ports;
  for (const auto& p : list_items(main_option(&cfg, "tls_on_connect_ports", ""))) {
    int n = port_number(p);
    if (n < 0) return util::Error{"invalid port \"" + p + "\" in tls_on_connect_ports", {}};
    tls_ports.push_back(n);
  }
  std::vector<ListenAddress> out;
  auto add = [&](const std::string& a, int port) {
    bool tls = false;
    for (int t : tls_ports) tls = tls || t == port;
    out.push_back({a, port, tls});
  };
  for (const auto& item : iface_items) {
    std::string addr;
    int port;
    if (!split_interface(item, addr, port)) {
      return util::Error{"invalid interface \"" + item + "\" in local_interfaces", {}};
    }
    if (port >= 0)
      add(addr, port);
    else
      for (int p : ports) add(addr, p);
  }
  if (out.empty()) return util::Error{"no interfaces or ports to listen on", {}};
  return out;
}

}  // namespace engine::daemon
