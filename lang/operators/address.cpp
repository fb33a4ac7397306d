// lang/operators/address.cpp — ${address:}, ${addresses:}, ${domain:} and ${local_part:}
// (spec 11.6, "Expansion operators"), over the RFC 2822 parser of lang/util/address.h.
//
// address, domain and local_part give the part asked for, or "" when the text does not parse.
// addresses takes a header-style list ("a@b, Name <c@d>, group: e@f;"), drops what does not
// parse, and returns a list separated by ':' or by the character after a leading '>'.
// Error: "output separator missing in expanding ${addresses:>}".
#include <cctype>

#include "lang/lists.h"
#include "lang/registry.h"
#include "lang/util/address.h"

namespace lang {
namespace {

Status op_address(EvalContext&, std::string_view arg, const OpSuffix&, std::string& out) {
  ParsedAddress a;
  std::string error;
  if (address_parse(arg, a, error)) out += a.address;
  return Status::ok();
}

Status op_domain(EvalContext&, std::string_view arg, const OpSuffix&, std::string& out) {
  ParsedAddress a;
  std::string error;
  if (address_parse(arg, a, error)) out += a.domain_part();
  return Status::ok();
}

Status op_local_part(EvalContext&, std::string_view arg, const OpSuffix&, std::string& out) {
  ParsedAddress a;
  std::string error;
  if (address_parse(arg, a, error)) out += a.local_part();
  return Status::ok();
}

Status op_addresses(EvalContext&, std::string_view arg, const OpSuffix&, std::string& out) {
  std::string_view s = arg;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  char sep = ':';
  if (!s.empty() && s.front() == '>') {
    if (s.size() < 2) {
      return Status::error("output separator missing in expanding ${addresses:" + std::string(s) +
                           "}");
    }
    sep = s[1];
    s.remove_prefix(2);
  }
  AddressParseState st;
  st.allow_group = true;
  ListWriter w(sep);
  for (std::string_view piece : address_split(s)) {
    ParsedAddress a;
    std::string error;
    if (address_parse(piece, st, a, error)) w.add(a.address);
  }
  out += w.str();
  return Status::ok();
}

const OperatorRegistrar reg({{"address", op_address},
                             {"addresses", op_addresses},
                             {"domain", op_domain},
                             {"local_part", op_local_part}});

}  // namespace
}  // namespace lang
