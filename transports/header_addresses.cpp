// transports/header_addresses.cpp — the addresses of an address-list header value, with the
// expansion language's RFC 2822 parser (lang/util/address.h, as ${addresses:} uses it).
#include "transports/header_addresses.h"

#include "lang/util/address.h"
#include "util/strings.h"

namespace transports {

std::vector<std::string> parse_address_list(std::string_view value) {
  std::vector<std::string> out;
  lang::AddressParseState state;
  state.allow_group = true;
  for (std::string_view piece : lang::address_split(value)) {
    if (util::trim(piece).empty()) continue;
    lang::ParsedAddress a;
    std::string error;
    if (lang::address_parse(piece, state, a, error) && !a.address.empty()) out.push_back(a.address);
  }
  return out;
}

}  // namespace transports
