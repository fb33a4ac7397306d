// lang/match/hostlist.h — matching a host against a host list (spec 10.10-10.19, "Host
// lists"), for the match_ip condition and, later, the ACL `hosts =` condition.
//
// The list is scanned left to right; the first item that matches decides (a negated item, "!"
// then optional white space, decides "no"); at the end of the list the host is in the set when
// the last item was negated. Items:
//   ""              matches only when there is no remote host (empty address)
//   *               matches any host, or no host
//   <ip>[/bits]     the host's address (an IPv4-mapped IPv6 host address is compared as
//                   IPv4), under the CIDR mask; IPv6 needs "<;" lists or doubled colons
//   @[]             any address of a local interface
//   +name           the named host list `name` (EvalContext::lists), expanded when used
//   /file           each line of the file is an item ('#' starts a comment)
//   net<N>-type;f   single-key lookup of the address (masked to N bits, then "/N") in file f;
//                   IPv6 keys are 8 full groups joined by '.' (by ':' for iplsearch)
//   type;data       a lookup: in IpOnly mode as net- without a mask; in Acl mode keyed by the
//                   host name; query-style types run the query `data`
//   +include_unknown, +ignore_unknown (and the _defer forms): what to do when an item needs
//                   information that is not available (see below)
// Items that need the host's name (plain names, "*.suffix", "^regex", "@", "@mx_*") cannot be
// decided without DNS, which is not available yet: such an item is "unknown", and by default
// the whole list then does not match (Exim's behaviour when a lookup fails), unless
// +ignore_unknown (skip the item) or +include_unknown (the list matches) is in force. With no
// remote host these items simply do not match. TODO(dns): forward lookups of plain names and
// reverse lookups for wildcard/regex items once the resolver exists; "*.suffix" is already
// matched when HostInfo::name is known.
//
// Failure: an unknown named list, a list that fails to expand, a file that cannot be read, a
// bad lookup type or a lookup that defers give an Error. Its message is Exim's "search error
// message" (the lookup's text), empty when Exim has none (it prints "NULL"); `detail` in the
// result says what went wrong, for the log.
#pragma once

#include <string>
#include <string_view>

#include "lang/status.h"

namespace lang {

class EvalContext;

struct HostInfo {
  std::string address;  // the remote host's IP address; empty for a local (non-TCP) sender
  std::string name;     // its verified name; empty when not known
};

enum class HostListMode : unsigned char {
  Acl,     // full host-list semantics (hosts =, *_hosts options)
  IpOnly,  // the match_ip condition: lookups are keyed by address, names are never looked up
};

struct HostMatch {
  bool matched = false;
  bool has_data = false;  // the deciding item was a lookup: `data` holds what it found
  std::string data;
  std::string detail;  // on Error: what went wrong, for the log
};

Status match_hostlist(EvalContext& ctx, std::string_view list, const HostInfo& host,
                      HostListMode mode, HostMatch& out);

}  // namespace lang
