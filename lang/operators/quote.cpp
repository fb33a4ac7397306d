// lang/operators/quote.cpp — ${quote:...} and ${quote_<lookup type>:...} (spec 11.6,
// "Expansion operators"; spec 9.9 "Quoting lookup data").
//
// ${quote:s}: s unchanged when it is non-empty and made only of letters, digits, '_', '.'
// and '-'; otherwise s in double quotes, with \ before " and \, and newline and carriage
// return written as \n and \r.
// ${quote_T:s}, ${quote_T_opt:s}: the quoting rule of lookup type T (lang/lookup.h,
// lookup_quote()); types without a rule leave s unchanged.
//
// Failure: "unknown lookup type \"T\"", "\"opt\" unrecognized after \"${quote_T\"".
// (Names registered in full, such as quote_local_part, are found before this operator.)
#include <cctype>

#include "lang/lookup.h"
#include "lang/operators/escape.h"
#include "lang/registry.h"

namespace lang {
namespace {

void quote_plain(std::string_view a, std::string& out) {
  bool plain = !a.empty();
  for (char c : a) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out += a;
    return;
  }
  append_double_quoted(a, out);
}

Status op_quote(EvalContext&, std::string_view a, const OpSuffix& suffix, std::string& out) {
  if (!suffix.present) {
    quote_plain(a, out);
    return Status::ok();
  }
  std::string err;
  if (!lookup_quote(suffix.text, a, out, err)) return Status::error(err);
  return Status::ok();
}

const OperatorRegistrar reg({{"quote", op_quote, SuffixKind::Text}});

}  // namespace
}  // namespace lang
