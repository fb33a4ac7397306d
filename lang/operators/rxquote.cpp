// lang/operators/rxquote.cpp — ${rxquote:..} (spec 11.6): a backslash before every byte that
// is not an ASCII letter or digit, so that the string matches itself as a regular expression.
// Never fails.
#include <cctype>

#include "lang/registry.h"

namespace lang {
namespace {

Status op_rxquote(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  for (char c : a) {
    if (!std::isalnum(static_cast<unsigned char>(c))) out += '\\';
    out += c;
  }
  return Status::ok();
}

const OperatorRegistrar reg({{"rxquote", op_rxquote}});

}  // namespace
}  // namespace lang
