// engine/acl_dnslists.h — one item of the dnslists ACL condition (spec 44.27-44.37), parsed:
//
//   [txtdomain,]domain[[!]{=|&|==|=&}ip,ip...][/key:key...]
//
// The key list after '/' (an Exim list: "::" doubles, "<;" changes the separator) gives the
// names or IP addresses to look up instead of the client's address; '=' restricts a match to
// the listed returned addresses, '&' to addresses with all the bits of a listed mask, "==" and
// "=&" require every returned address to match, and '!' inverts the comparison. With a second
// domain before a comma, the first is where the TXT record is fetched (and what
// $dnslist_domain becomes); the second is the one tested against the address list.
//
// The condition itself is an ordinary ACL item registered in acl_dnslists.cpp.
#pragma once

#include <string>
#include <string_view>

namespace engine::acl {

struct DnslistItem {
  std::string domain;      // the zone looked up and matched
  std::string domain_txt;  // the zone for the TXT record and $dnslist_domain (== domain alone)
  bool has_iplist = false;
  std::string iplist;      // comma-separated addresses or masks
  bool bitmask = false;    // '&': masks, not addresses
  bool match_all = false;  // "==" / "=&": every returned address must match
  bool invert = false;     // '!' before '=' or '&'
  bool has_keys = false;
  std::string keys;  // the list after '/'
};

DnslistItem parse_dnslist_item(std::string_view text);

}  // namespace engine::acl
