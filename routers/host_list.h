// routers/host_list.h — host lists of the routers that send to remote hosts (manualroute
// now, dnslookup's hosts later): parsing, randomizing, finding the addresses, dropping
// ignored and local hosts (spec 20.4-20.7 "Format of the list of hosts", 15 "self",
// "ignore_target_hosts", "pass_on_timeout"; Exim's host_build_hostlist and
// rf_lookup_hostlist).
//
// build_host_list() reads a colon-separated list (the separator can be changed with "<x");
// "+" separates groups that hosts_randomize shuffles separately, and is ignored otherwise.
// lookup_host_list() gives each host its addresses (an IP address needs no lookup; a name
// ending in "/MX" is replaced by its MX hosts; "byname" uses the C library, "bydns" the DNS,
// the default the DNS then the C library), applies "name:port" / "[ip]:port", removes
// addresses in ignore_target_hosts, and handles this host: first in the list, the router's
// `self` option decides; later, it and the hosts after it are dropped.
//
// Results are RouterResult values with the address's message set (a lookup that did not
// complete defers, or passes with pass_on_timeout; a host that does not exist is handled as
// host_find_failed says).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/address.h"
#include "routers/router.h"

namespace engine {
class RouteCall;
}

namespace routers {

// What to do when a host does not exist / when every host was ignored (manualroute's
// host_find_failed and host_all_ignored).
enum class HostFailAction : unsigned char { Decline, Defer, Fail, Freeze, Ignore, Pass };
// Parses one of "decline", "defer", "fail", "freeze", "ignore", "pass"; false otherwise.
bool parse_host_fail_action(std::string_view text, HostFailAction& out);

struct HostLookupOptions {
  enum class Type : unsigned char { Default, ByName, ByDns } type = Type::Default;
  bool ipv4_only = false;
  bool ipv4_prefer = false;
  HostFailAction find_failed = HostFailAction::Freeze;
  HostFailAction all_ignored = HostFailAction::Defer;
};

// True when `ip` (of host `name`) is in the router's ignore_target_hosts, expanded with
// $host_address set to it.
bool host_ignored(engine::RouteCall& call, const std::string& name, const std::string& ip);

// The hosts of `list` in order (randomized when asked); their addresses are not looked up.
std::vector<engine::Host> build_host_list(std::string_view list, bool randomize);

// Finds the addresses of call.address().hosts (see above).
RouterResult lookup_host_list(engine::RouteCall& call, const HostLookupOptions& opts);

}  // namespace routers
