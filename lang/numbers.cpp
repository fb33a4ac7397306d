#include "lang/numbers.h"

#include <cctype>
#include <limits>
#include <string>

namespace lang {

Status parse_integer(std::string_view s, long long& out) {
  auto sp = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  size_t i = 0;
  while (i < s.size() && sp(s[i])) ++i;
  if (i == s.size()) {
    out = 0;
    return Status::ok();
  }
  bool neg = false;
  size_t num_start = i;
  if (s[i] == '-' || s[i] == '+') neg = s[i++] == '-';
  if (i == s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) {
    return Status::error("integer expected but \"" + std::string(s.substr(num_start)) + "\" found");
  }
  unsigned long long v = 0;
  const unsigned long long limit = static_cast<unsigned long long>(std::numeric_limits<long long>::max()) + (neg ? 1 : 0);
  bool overflow = false;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    unsigned d = static_cast<unsigned>(s[i] - '0');
    if (v > (limit - d) / 10) overflow = true;
    else v = v * 10 + d;
    ++i;
  }
  if (overflow) {
    return Status::error("absolute value of integer \"" + std::string(s) + "\" is too large (overflow)");
  }
  int shift = 0;
  if (i < s.size()) {
    switch (s[i]) {
      case 'k': case 'K': shift = 10; ++i; break;
      case 'm': case 'M': shift = 20; ++i; break;
      case 'g': case 'G': shift = 30; ++i; break;
      default: break;
    }
  }
  if (shift) {
    if (v > (limit >> shift)) {
      return Status::error("absolute value of integer \"" + std::string(s) + "\" is too large (overflow)");
    }
    v <<= shift;
  }
  while (i < s.size() && sp(s[i])) ++i;
  if (i != s.size()) return Status::error("invalid integer \"" + std::string(s) + "\"");
  out = neg ? static_cast<long long>(0 - v) : static_cast<long long>(v);
  return Status::ok();
}

}  // namespace lang
