// engine/host_lookup.h — how routers find the addresses of hosts: the resolver seam and the
// test for "this host" (spec 13.8, "Local host detection"; chapter 20 "byname/bydns").
//
// HostResolver is an interface so that routers never call the resolver library directly:
// the process installs the real one (DNS through util/dns when it exists, getaddrinfo for
// "byname"), tests install a fake or point the real one at a DNS server on loopback. The
// default resolver has no DNS of its own: its DNS queries answer NotFound, so manualroute's
// default order (DNS first, then the C library) ends in getaddrinfo(), which reads
// /etc/hosts and asks the system's DNS.
//
// Errors are results (Again for a temporary failure, with a message), never exceptions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace engine {

namespace config {
struct Config;
}

enum class HostStatus : unsigned char { Found, NotFound, Again };

struct MxRecord {
  int preference = 0;
  std::string name;
};

class HostResolver {
 public:
  virtual ~HostResolver() = default;
  // Address records of `name` from the DNS (A only when `ipv4_only`), IPv6 after IPv4
  // unless the resolver says otherwise.
  virtual HostStatus dns_addresses(std::string_view name, bool ipv4_only,
                                   std::vector<std::string>& out, std::string& error);
  // MX records of `domain`, in preference order.
  virtual HostStatus dns_mx(std::string_view domain, std::vector<MxRecord>& out,
                            std::string& error);
  // The C library's view (getaddrinfo: /etc/hosts, then the system resolver).
  virtual HostStatus byname(std::string_view name, std::vector<std::string>& out,
                            std::string& error);
};

// The process-wide resolver (never null): the default one until set_host_resolver().
HostResolver& host_resolver();
// Installs `r` (not owned; null restores the default). For tests and for main().
void set_host_resolver(HostResolver* r);

// The local host's IP addresses as routing sees them (spec 13.8): local_interfaces (all the
// host's interfaces for the default "0.0.0.0" / "::0") plus extra_local_interfaces.
class LocalHosts {
 public:
  explicit LocalHosts(const config::Config* cfg);
  bool is_local(std::string_view ip) const;

 private:
  std::vector<std::string> addresses_;  // canonical text (util::IpAddress::str)
};

}  // namespace engine
