// engine/host_lookup.h — how routers find the addresses of hosts: the resolver seam and the
// test for "this host" (spec 13.8, "Local host detection"; chapter 20 "byname/bydns").
//
// HostResolver is an interface so that routers never call the resolver library directly.
// The default one asks the configuration's DNS (lang/dns.h: util/dns on c-ares, the
// dns_servers option, so tests point it at a DNS server on loopback) and, for "byname", the
// hosts file then the DNS, as the C library would; tests may also install a fake.
//
// Errors are results (Again for a temporary failure, with a message), never exceptions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lang {
class EvalContext;
}

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
  // `ctx` carries the configuration's DNS settings (EvalContext::dns).
  virtual HostStatus dns_addresses(lang::EvalContext& ctx, std::string_view name, bool ipv4_only,
                                   std::vector<std::string>& out, std::string& error);
  // MX records of `domain`, in preference order.
  virtual HostStatus dns_mx(lang::EvalContext& ctx, std::string_view domain,
                            std::vector<MxRecord>& out, std::string& error);
  // The C library's view: the hosts file, then the DNS.
  virtual HostStatus byname(lang::EvalContext& ctx, std::string_view name,
                            std::vector<std::string>& out, std::string& error);
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
