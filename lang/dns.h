// lang/dns.h — DNS as the expansion language and list matching use it: the configuration's
// resolver (EvalContext::dns, built by the engine from the dns_* main options) with Exim's
// rules around it (spec chapter 14 "Main configuration", dns_* options; chapter 10.12-10.17
// on host names in host lists).
//
//   dns_query          one query; a name that fails dns_check_names_pattern gets NxDomain
//                      without asking (PTR and TXT are not checked; SRV and TLSA names are
//                      checked without their first two labels), and a temporary failure for
//                      a name in dns_again_means_nonexist becomes NxDomain.
//   dns_host_addresses the addresses of a host name: the hosts file first, then DNS (AAAA,
//                      unless IPv6 is off or the name is in dns_ipv4_lookup, and A), as the
//                      system resolver's "files dns" order gives them to Exim.
//   dns_host_name      the verified name of an address (spec 10.14): PTR records (bydns) or
//                      the hosts file (byaddr) in host_lookup_order; a name is kept only if
//                      one of its addresses is the one we started from.
//
// With no settings in the context (EvalContext::dns null) the defaults apply: the servers of
// /etc/resolv.conf and Exim's default dns_check_names_pattern.
//
// Failure: no function throws; Defer outcomes carry a message for the log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/dns.h"
#include "util/ip.h"

namespace lang {

class EvalContext;

inline constexpr std::string_view kDefaultCheckNamesPattern =
    "(?i)^(?>(?(1)\\.|())[^\\W](?>[a-z0-9/_-]*[^\\W])?)+(\\.?)$";

struct DnsSettings {
  util::dns::Resolver resolver;
  std::string again_means_nonexist;                            // domain list, expanded when used
  std::string check_names_pattern{kDefaultCheckNamesPattern};  // "" turns the check off
  std::string ipv4_lookup;           // domain list: no AAAA lookups for these
  std::string hosts_treat_as_local;  // domain list: MX hosts taken as this host
  std::string host_lookup_order = "bydns:byaddr";
  std::string hosts_file = "/etc/hosts";
  bool disable_ipv6 = false;
};

// ctx.dns, or the defaults.
const DnsSettings& dns_settings(const EvalContext& ctx);

util::dns::Answer dns_query(EvalContext& ctx, std::string_view name, std::uint16_t type,
                            const util::dns::QueryOptions& opts = {});

enum class HostFind : unsigned char { Found, NotFound, Defer };

// `hosts_file` false: DNS only (the addresses of MX targets, as Exim's host_find_bydns).
HostFind dns_host_addresses(EvalContext& ctx, std::string_view name,
                            std::vector<util::IpAddress>& out, bool hosts_file = true);

struct HostName {
  HostFind outcome = HostFind::NotFound;
  std::string name;                  // lower case
  std::vector<std::string> aliases;  // the other verified names
  // NotFound: Exim's host_lookup_msg, " (failed to find host name from IP address)" or
  // " (192.0.2.1 does not match any IP address for x.example)"; Defer: what failed.
  std::string message;
};

HostName dns_host_name(EvalContext& ctx, const util::IpAddress& address);

}  // namespace lang
