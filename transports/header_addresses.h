// transports/header_addresses.h — the addresses of an RFC 5322 address-list header value
// ("Bob <bob@example.com>, \"Smith, Al\" <al@x>, carol@y (Carol)"), as autoreply's to/cc/bcc
// and the quota warning's To: need them.
//
// Contract: splits at commas outside quotes, comments and angle brackets; takes the route-addr
// inside <...> when there is one, else the item without comments; group syntax
// ("team: a@x, b@y;") yields the members. Never fails: text that holds no address gives no
// item.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace transports {

std::vector<std::string> parse_address_list(std::string_view value);

}  // namespace transports
