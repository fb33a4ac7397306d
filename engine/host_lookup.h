// engine/host_lookup.h — how routers find the addresses of hosts: the resolver seam and the
// test for "this host" (spec 13.8, "Local host detection"; chapter 20 "byname/bydns").
//
// HostResolver is an interface so that routers never call the resolver library directly.
// The default one asks the configuration's DNS (lang/dns.h: util/dns on c-ares, the
// dns_servers option, so tests point it at a DNS server on loopback) and, for "byname", the
// hosts file then the DNS, as the C library would; tests may also install a fake.
//
// dns_records() applies the resolver's search rules that the dnslookup router's
// qualify_single and search_parents turn on (RES_DEFNAMES and RES_DNSRCH in the C library):
// the search domains are those of the LOCALDOMAIN environment variable, else the last
// "search" or "domain" line of /etc/resolv.conf, else the domain of the host name; a name
// with a dot is tried as it is first, a name without one last (ndots 1).
//
// Errors are results (Again for a temporary failure, with a message), never exceptions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/dns_message.h"

namespace lang {
class EvalContext;
}

namespace engine {

namespace config {
struct Config;
}

enum class HostStatus : unsigned char { Found, NotFound, Again };

// Which names dns_records() tries besides the one it is given (see above).
struct DnsSearch {
  bool qualify_single = false;  // a name without a dot gets the search domains
  bool search_parents = false;  // a name with dots gets them when it does not exist itself
};

struct DnsRecords {
  HostStatus status = HostStatus::NotFound;  // Found: `records` holds some
  bool no_domain = false;                    // NotFound because the name does not exist (NXDOMAIN)
  std::string name;  // the name asked last: the given one, qualified by the search
  std::vector<util::dns::Record> records;  // of the asked type only
  std::string error;                       // Again: why
};

class HostResolver {
 public:
  virtual ~HostResolver() = default;
  // Address records of `name` from the DNS (A only when `ipv4_only`), IPv6 after IPv4
  // unless the resolver says otherwise.
  // `ctx` carries the configuration's DNS settings (EvalContext::dns).
  virtual HostStatus dns_addresses(lang::EvalContext& ctx, std::string_view name, bool ipv4_only,
                                   std::vector<std::string>& out, std::string& error);
  // Records of one type (MX, SRV ...) of `name`, through the search rules of `search`.
  // When the answer is no records, `name` is the first tried name that exists.
  virtual DnsRecords dns_records(lang::EvalContext& ctx, std::string_view name, std::uint16_t type,
                                 const DnsSearch& search);
  // The C library's view: the hosts file, then the DNS.
  virtual HostStatus byname(lang::EvalContext& ctx, std::string_view name,
                            std::vector<std::string>& out, std::string& error);
};

// The search domains (see above): LOCALDOMAIN, else /etc/resolv.conf, else the host name's
// domain.
std::vector<std::string> dns_search_domains();

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
