// engine/daemon/listen_spec.h — which addresses and ports the daemon listens on
// (spec chapter 14 "Main configuration": local_interfaces, daemon_smtp_ports,
// tls_on_connect_ports; chapter 5: -oX).
//
// local_interfaces items are addresses, optionally with a port: "127.0.0.1.2525",
// "[::1]:2525", "::1.2525" (in a "<;" list). Items without a port get every port of
// daemon_smtp_ports. -oX is a list too: its items without dots or colons (port numbers or
// service names) replace daemon_smtp_ports, the others local_interfaces. Ports may be numbers or
// names from /etc/services ("smtp"). Errors name the bad item.
#pragma once

#include <string>
#include <vector>

#include "engine/config/config.h"
#include "util/result.h"

namespace engine::daemon {

struct ListenAddress {
  std::string address;  // numeric IPv4 or IPv6
  int port = 25;
  bool tls_on_connect = false;
};

util::Result<std::vector<ListenAddress>> listen_addresses(const config::Config& cfg,
                                                          const std::string& ox_override);

// "smtp" -> 25, "2525" -> 2525; -1 when unknown.
int port_number(const std::string& text);

}  // namespace engine::daemon
