// routers/host_dns.h — finding the hosts of a mail domain in the DNS, as the dnslookup
// router and manualroute's "/MX" and "bydns" need them (spec chapter 17 "The dnslookup
// router", 20.5 "Format of the list of hosts", 13.8 "Recognizing the local host"; Exim's
// host_find_bydns and host_scan_for_local_hosts).
//
// find_hosts_by_dns() looks for SRV records when a service is given (a single "." target
// means "no such service"), then MX records (a single "." is a null MX, RFC 7505), and when
// there are none the domain's own address records ("implicit MX"). MX hosts are ordered by
// preference, equal ones at random; SRV hosts by priority, then at random by weight (RFC
// 2782); a host's addresses IPv6 first (IPv4 first with ipv4_prefer), at random within a
// family. Addresses in the router's ignore_target_hosts are dropped. An MX target that does
// not exist stays in the list without an address, marked unusable, unless no host is left.
// This host (an interface address or a name in hosts_treat_as_local) at the lowest
// preference makes the answer FoundLocal, for the router's `self` option; at a higher one
// it is removed with every host of its preference and above (local_removed, which is what
// check_secondary_mx asks about).
//
// Randomness goes through host_random(), which tests replace with a deterministic source.
//
// Failure: Failed (declined by the router) carries Exim's message when there is one ("an
// MX or SRV record indicated no SMTP service", "all relevant MX records point to
// non-existent hosts"); Again is a lookup that did not complete.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/address.h"
#include "engine/host_lookup.h"

namespace engine {
class RouteCall;
}

namespace routers {

// A number below `bound` (> 0): per-thread Mersenne twister, or the installed source.
std::uint32_t host_random(std::uint32_t bound);
// Installs a source for tests (null restores the default). Not thread-safe: set it before
// routing starts.
using HostRandom = std::uint32_t (*)(std::uint32_t bound);
void set_host_random(HostRandom r);

// A host's addresses: IPv6 first (IPv4 first with `ipv4_prefer`), at random within a family.
void order_addresses(std::vector<std::string>& addresses, bool ipv4_prefer);

// This host, by address (local_interfaces, extra_local_interfaces) or name
// (hosts_treat_as_local).
bool host_is_local(engine::RouteCall& call, const engine::Host& h);

struct DnsHostQuery {
  std::string domain;
  std::string srv_service;        // "" for no SRV lookup
  bool srv_fail_is_none = false;  // srv_fail_domains: a failed SRV lookup means none
  bool mx_fail_is_none = false;   // mx_fail_domains: a failed MX lookup means none
  bool addresses_only = false;    // manualroute's bydns: no MX lookup
  engine::DnsSearch search;
  bool ipv4_only = false, ipv4_prefer = false;
  int port = engine::Host::kNone;
};

enum class DnsHostStatus : unsigned char { Found, FoundLocal, Failed, Again };

struct DnsHosts {
  DnsHostStatus status = DnsHostStatus::Failed;
  std::vector<engine::Host> hosts;
  std::string name;            // the domain as the DNS found it (qualified by the search)
  bool implicit = false;       // no MX or SRV records: the domain's own addresses
  bool local_removed = false;  // this host was a lower-preference MX, removed (see above)
  engine::Host local;          // FoundLocal: the host that is this host
  std::string message;         // Failed, Again: why ("" when Exim gives no reason)
};

DnsHosts find_hosts_by_dns(engine::RouteCall& call, const DnsHostQuery& q);

}  // namespace routers
