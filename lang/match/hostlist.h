// lang/match/hostlist.h — matching a host against a host list (spec 10.10-10.19, "Host
// lists"), for the match_ip condition, the ACL `hosts =` condition and *_hosts options.
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
//   +include_unknown, +ignore_unknown, +include_defer, +ignore_defer: what to do when an item
//                   needs information that cannot be found, or whose DNS lookup fails
//                   temporarily (spec 10.15, 10.17; only at the top level of the list)
//   @               the primary host name, as a plain name
//   name            (letters, digits, '.', '-', '_' only) its addresses are looked up (hosts
//                   file, then DNS: lang/dns.h) and compared with the host's (spec 10.12)
//   *suffix, ^regex, type;file (single-key, by name), other text: matched against the host's
//                   verified name and its aliases (spec 10.14), found with a reverse lookup
//                   and forward confirmation when not known yet
// An item whose information cannot be found (no addresses for a name, no verified name for
// the host; in IpOnly mode any name) is "unknown": by default the whole list then does not
// match (Exim's behaviour when a lookup fails), unless +ignore_unknown (skip the item) or
// +include_unknown (the list matches) is in force. A temporary DNS failure in a forward
// lookup makes the match defer (an Error), unless +ignore_defer or +include_defer. With no
// remote host, items needing a name or an address simply do not match.
//
// Failure: an unknown named list, a list that fails to expand, a file that cannot be read, a
// bad lookup type or a lookup that defers give an Error. Its message is Exim's "search error
// message" (the lookup's text), empty when Exim has none (it prints "NULL"); `detail` in the
// result says what went wrong, for the log.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lang/dns.h"
#include "lang/status.h"

namespace lang {

class EvalContext;

// Where the host's verified name comes from when an item needs it and HostInfo::name is
// empty: a session looks it up once and remembers it ($sender_host_name). Without one the
// matcher looks it up itself (lang/dns.h dns_host_name).
class HostNameSource {
 public:
  virtual ~HostNameSource() = default;
  // Found: `name` (lower case) and `aliases` set; NotFound or Defer: no verified name.
  virtual HostFind host_names(std::string& name, std::vector<std::string>& aliases) = 0;
};

struct HostInfo {
  std::string address;  // the remote host's IP address; empty for a local (non-TCP) sender
  std::string name;     // its verified name; empty when not known
  std::vector<std::string> aliases;  // its other verified names
  HostNameSource* names = nullptr;   // how to find the name when it is needed (may be null)
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
