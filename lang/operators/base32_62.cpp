// lang/operators/base32_62.cpp — ${base32:..}, ${base32d:..}, ${base62:..}, ${base62d:..}
// (spec 11.6, "Expansion operators").
//
// The encoders read their argument as C's strtoull does (leading white space, a sign, decimal
// digits; a value too large is the largest 64-bit number, "-1" wraps to it too) and reject any
// text after the number: argument for base32 operator is "X", which is not a decimal number.
// base32 uses a-z2-7 and prints nothing for 0; base62 uses 0-9A-Za-z and always prints six
// characters (the value modulo 62^6). The decoders accept only their alphabet (no white
// space) and wrap modulo 2^64, printing the result as a signed number, as Exim does.
#include <cctype>
#include <cstdint>
#include <string>

#include "lang/registry.h"

namespace lang {
namespace {

constexpr std::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// strtoull(s, &end, 10) with the check that `end` reached the end of `s`.
bool read_ull(std::string_view s, uint64_t& out) {
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  size_t digits_start = i;
  uint64_t v = 0;
  bool overflow = false;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    auto d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) overflow = true;
    v = v * 10 + d;
  }
  if (i == digits_start) {  // no number: strtoull leaves the end at the start
    out = 0;
    return s.empty();
  }
  if (i != s.size()) return false;
  out = overflow ? UINT64_MAX : (neg ? 0 - v : v);
  return true;
}

Status not_decimal(std::string_view op, std::string_view a) {
  return Status::error("argument for " + std::string(op) + " operator is \"" + std::string(a) +
                       "\", which is not a decimal number");
}

// Reads digits of `alphabet`, wrapping modulo 2^64.
Status decode(std::string_view op, std::string_view alphabet, std::string_view a,
              std::string& out) {
  uint64_t v = 0;
  for (char c : a) {
    size_t d = alphabet.find(c);
    if (c == '\0' || d == std::string_view::npos) {
      return Status::error("argument for " + std::string(op) + " operator is \"" + std::string(a) +
                           "\", which is not a base " + std::to_string(alphabet.size()) +
                           " number");
    }
    v = v * alphabet.size() + d;
  }
  out += std::to_string(static_cast<int64_t>(v));
  return Status::ok();
}

Status op_base32(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  uint64_t v = 0;
  if (!read_ull(a, v)) return not_decimal("base32", a);
  std::string r;
  for (; v != 0; v /= 32) r.insert(r.begin(), kBase32[v % 32]);
  out += r;
  return Status::ok();
}

Status op_base62(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  uint64_t v = 0;
  if (!read_ull(a, v)) return not_decimal("base62", a);
  std::string r(6, '0');
  for (int k = 5; k >= 0; --k, v /= 62) r[static_cast<size_t>(k)] = kBase62[v % 62];
  out += r;
  return Status::ok();
}

Status op_base32d(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  return decode("base32d", kBase32, a, out);
}

Status op_base62d(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  return decode("base62d", kBase62, a, out);
}

const OperatorRegistrar reg({
    {"base32", op_base32, SuffixKind::Text},
    {"base32d", op_base32d, SuffixKind::Text},
    {"base62", op_base62, SuffixKind::Text},
    {"base62d", op_base62d, SuffixKind::Text},
});

}  // namespace
}  // namespace lang
