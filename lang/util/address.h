// lang/util/address.h — RFC 2822 address parsing as Exim's ${address:}, ${addresses:},
// ${domain:} and ${local_part:} see it (spec 11.6; RFC 2822 section 3.4).
//
// address_parse() extracts one mailbox from text such as
//   Exim Person <local-part(comment)@dom.ain> (that's me)
//   "quoted local"@example.com,   user,   <@route,@r2:user@dom>,   @route:user@dom
// giving the canonical address: comments and white space dropped, local-part words joined
// by their dots, quoted strings kept with their quotes, domain literals kept. An address
// without '@' is accepted (a bare local part); an empty address ("<>") is not.
// With groups allowed (${addresses:}), "name: a@b, c@d;" is understood across the pieces of a
// list: the state remembers that a group is open, and ';' closes it (the rest of that piece
// is ignored). address_split() cuts a header-style list at commas outside quotes, comments
// and angle brackets (and, for a piece starting with '@', before the route's ':').
//
// Failure: address_parse() returns false with a short reason in `error`; it never reads
// outside its input, whatever the bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lang {

struct ParsedAddress {
  std::string address;  // canonical form, "local@domain" or "local"
  size_t domain = 0;    // offset of the domain in `address`; 0 when there is none
  std::string_view local_part() const {
    return domain ? std::string_view(address).substr(0, domain - 1) : std::string_view(address);
  }
  std::string_view domain_part() const {
    return domain ? std::string_view(address).substr(domain) : std::string_view();
  }
};

struct AddressParseState {
  bool allow_group = false;  // "name: ... ;" group syntax accepted (${addresses:})
  bool in_group = false;     // a group was opened by an earlier piece
};

bool address_parse(std::string_view text, AddressParseState& state, ParsedAddress& out,
                   std::string& error);

// Convenience form without groups.
bool address_parse(std::string_view text, ParsedAddress& out, std::string& error);

std::vector<std::string_view> address_split(std::string_view text);

}  // namespace lang
