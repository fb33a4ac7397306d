#include "lang/escapes.h"

#include "util/base64.h"

namespace lang {

size_t decode_escape(std::string_view s, size_t i, std::string& out, EscapeRules rules) {
  char c = s[i++];
  if (c >= '0' && c <= '7') {
    int v = c - '0';
    for (int k = 0; k < 2 && i < s.size() && s[i] >= '0' && s[i] <= '7'; ++k) {
      v = v * 8 + (s[i++] - '0');
    }
    out += static_cast<char>(v);
    return i;
  }
  if (c == 'x' && rules.hex) {
    int v = 0, k = 0;
    for (; k < 2 && i < s.size() && util::hex_digit_value(s[i]) >= 0; ++k) {
      v = v * 16 + util::hex_digit_value(s[i++]);
    }
    out += k == 0 && !rules.bare_x_nul ? 'x' : static_cast<char>(v);
    return i;
  }
  static constexpr std::string_view kFrom = "bfnrtv", kTo = "\b\f\n\r\t\v";
  size_t k = kFrom.find(c);
  out += k == std::string_view::npos ? c : kTo[k];
  return i;
}

}  // namespace lang
