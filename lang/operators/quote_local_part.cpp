// lang/operators/quote_local_part.cpp — ${quote_local_part:..} (spec 11.6, "Expansion
// operators"). (${quote:..} and ${quote_<lookup>:..} live in quote.cpp.)
//
// The string is left alone when it is a valid RFC 2822 dot-atom (letters, digits, the atext
// specials !#$%&'*+-/=?^_`{|}~, dots but not at either end); otherwise (and when empty) it
// is put in double quotes, with '\' and '"' backslashed and CR/LF written as \r and \n, as
// ${quote:} does. Never fails.
#include <cctype>
#include <cstring>

#include "lang/operators/escape.h"
#include "lang/registry.h"

namespace lang {
namespace {

// RFC 2822 section 3.2.4: atext and dot-atom.
bool local_part_needs_quote(std::string_view a) {
  if (a.empty() || a.front() == '.' || a.back() == '.') return true;
  for (char c : a) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.') continue;
    if (c == '\0' || std::strchr("!#$%&'*+-/=?^_`{|}~", c) == nullptr) return true;
  }
  return false;
}

Status op_quote_local_part(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  if (!local_part_needs_quote(a)) {
    out += a;
    return Status::ok();
  }
  append_double_quoted(a, out);
  return Status::ok();
}

const OperatorRegistrar reg({{"quote_local_part", op_quote_local_part}});

}  // namespace
}  // namespace lang
