// transports/smtp_hosts.h — the hosts an smtp transport tries (spec 30.4 "hosts",
// "fallback_hosts", "hosts_randomize"; the item format of spec 20.5 "Format of one host
// item"): parsing a host list, randomizing its groups, and finding the IP addresses of names.
//
// Items: a host name, an IP address, either followed by ":port" (the colon doubled in a
// colon-separated list, or the address in brackets: "[::1]:2525"), or "+" (a group boundary
// for hosts_randomize, ignored otherwise).
//
// Failure: parse_host_list() reports an item it cannot read (a bad port); resolve_hosts()
// separates names that do not exist from look-ups that failed temporarily.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "transports/transport.h"
#include "util/result.h"

namespace transports {

// Parses an (expanded) host list. `randomize` shuffles each "+"-separated group.
util::Result<std::vector<Host>> parse_host_list(std::string_view list, bool randomize);

struct ResolvedHosts {
  std::vector<Host> hosts;           // one entry per IP address, in order
  bool temporary_failure = false;    // some name could not be looked up now
  std::vector<std::string> unknown;  // names that do not exist
};

// Fills in the addresses of hosts that have none (IP literals are taken as they are).
ResolvedHosts resolve_hosts(const std::vector<Host>& hosts, const ResolveFn& resolve);

// getaddrinfo(): the IPv4 and IPv6 addresses of `name`.
util::Result<std::vector<std::string>> resolve_system(const std::string& name);

// True when `ip` is a loopback address or one of this host's interfaces.
bool is_local_address(const std::string& ip);

}  // namespace transports
