// lang/operators/base64.cpp — ${base64:..} (and its old name str2b64), ${base64d:..} and
// ${hex2b64:..} (spec 11.6, "Expansion operators").
//
// base64d ignores white space and requires canonical padding; a malformed argument is the
// error: string "X" is not well-formed for "base64d" operator. hex2b64 rejects a non-hex
// character ("X" is not a hex string) before an odd length ("X" contains an odd number of
// characters), as Exim does.
#include "util/base64.h"
#include "lang/registry.h"

namespace lang {
namespace {

Status op_base64(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  out += util::base64_encode(a);
  return Status::ok();
}

Status op_base64d(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  std::string bytes;
  if (!util::base64_decode(a, bytes, true)) {
    return Status::error("string \"" + std::string(a) +
                         "\" is not well-formed for \"base64d\" operator");
  }
  out += bytes;
  return Status::ok();
}

Status op_hex2b64(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  for (char c : a) {
    if (util::hex_digit_value(c) < 0) {
      return Status::error("\"" + std::string(a) + "\" is not a hex string");
    }
  }
  std::string bytes;
  if (!util::hex_decode(a, bytes)) {
    return Status::error("\"" + std::string(a) + "\" contains an odd number of characters");
  }
  out += util::base64_encode(bytes);
  return Status::ok();
}

// Exim ignores a suffix on these operators (${base64_x:abc} is ${base64:abc}).
const OperatorRegistrar reg({
    {"base64", op_base64, SuffixKind::Text},
    {"str2b64", op_base64, SuffixKind::Text},
    {"base64d", op_base64d, SuffixKind::Text},
    {"hex2b64", op_hex2b64, SuffixKind::Text},
});

}  // namespace
}  // namespace lang
