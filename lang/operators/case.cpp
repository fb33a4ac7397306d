// lang/operators/case.cpp — ${lc:..} and ${uc:..} (spec 11.6, "Expansion operators"):
// ASCII case change, other bytes unchanged.
#include <cctype>

#include "lang/registry.h"

namespace lang {
namespace {

Status op_lc(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  for (char c : a) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Status::ok();
}

Status op_uc(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  for (char c : a) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return Status::ok();
}

const OperatorRegistrar reg({{"lc", op_lc}, {"uc", op_uc}});

}  // namespace
}  // namespace lang
