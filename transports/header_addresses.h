// transports/header_addresses.h — the addresses of an RFC 5322 address-list header value
// ("Bob <bob@example.com>, \"Smith, Al\" <al@x>, carol@y (Carol)"), as autoreply's to/cc/bcc
// and the quota warning's To: need them.
//
// Contract: as ${addresses:} reads a header (lang/util/address.h): split at commas outside
// quotes, comments and angle brackets, each piece's working address (comments and phrases
// dropped), group syntax ("team: a@x, b@y;") giving its members. Never fails: a piece that
// holds no valid address gives no item.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace transports {

std::vector<std::string> parse_address_list(std::string_view value);

}  // namespace transports
