// Tests for engine/daemon/listen_spec: local_interfaces × daemon_smtp_ports,
// tls_on_connect_ports, and -oX as ports or as interfaces (spec chapters 5 and 14).
#include "engine/daemon/listen_spec.h"

#include <doctest/doctest.h>

#include "engine/config/config.h"

using engine::daemon::listen_addresses;
using engine::daemon::ListenAddress;

namespace {

std::vector<std::string> addrs(const std::string& conf, const std::string& ox = "") {
  auto c = engine::config::read_string(conf, "test.conf");
  REQUIRE(c.ok());
  auto r = listen_addresses(*c, ox);
  if (!r) return {"error: " + r.error().message};
  std::vector<std::string> out;
  for (const ListenAddress& a : *r)
    out.push_back(a.address + " " + std::to_string(a.port) + (a.tls_on_connect ? " tls" : ""));
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_SUITE("daemon listen_spec") {
  TEST_CASE("interfaces times ports, TLS-on-connect ports marked") {
    CHECK(addrs("local_interfaces = <; 127.0.0.1 ; ::1\ndaemon_smtp_ports = 25 : 465\n"
                "tls_on_connect_ports = 465\n") ==
          V{"127.0.0.1 25", "127.0.0.1 465 tls", "::1 25", "::1 465 tls"});
    CHECK(addrs("local_interfaces = 127.0.0.1\n") == V{"127.0.0.1 25"});
    CHECK(addrs("local_interfaces = 127.0.0.1\ndaemon_smtp_ports = smtp : submission\n") ==
          V{"127.0.0.1 25", "127.0.0.1 587"});
  }

  TEST_CASE("an interface may carry its port: a.b.c.d.port, [v6]:port, v6.port") {
    CHECK(addrs("local_interfaces = <; 127.0.0.1.2525 ; [::1]:2526 ; ::1.2527 ; 127.0.0.2\n"
                "daemon_smtp_ports = 26\n") ==
          V{"127.0.0.1 2525", "::1 2526", "::1 2527", "127.0.0.2 26"});
  }

  TEST_CASE("-oX: items without dots or colons replace the ports, the others the interfaces") {
    std::string conf = "local_interfaces = 127.0.0.1\ndaemon_smtp_ports = 25\n";
    CHECK(addrs(conf, "2525:2526") == V{"127.0.0.1 2525", "127.0.0.1 2526"});
    CHECK(addrs(conf, "2525") == V{"127.0.0.1 2525"});
    CHECK(addrs(conf, "submission") == V{"127.0.0.1 587"});
    CHECK(addrs(conf, "<; ::1.2525; 127.0.0.1.2526") == V{"::1 2525", "127.0.0.1 2526"});
    CHECK(addrs(conf, "192.0.2.1") == V{"192.0.2.1 25"});
    CHECK(addrs(conf, "<; 2526 ; 192.0.2.1 ; ::1.2527") == V{"192.0.2.1 2526", "::1 2527"});
  }

  TEST_CASE("errors name the item") {
    CHECK(addrs("local_interfaces = 127.0.0.1\ndaemon_smtp_ports = 99999\n") ==
          V{"error: invalid port \"99999\" in daemon_smtp_ports"});
    CHECK(addrs("local_interfaces = host.example\n") ==
          V{"error: invalid interface \"host.example\" in local_interfaces"});
  }
}
