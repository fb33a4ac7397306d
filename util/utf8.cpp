#include "util/utf8.h"

namespace util {
namespace {

// Lead byte: number of continuation bytes and the allowed range of the first of them
// (RFC 3629 section 4, which excludes overlong forms and surrogates).
struct Lead {
  int extra;
  unsigned char lo, hi;
};

bool lead_info(unsigned char c, Lead& l) {
  if (c >= 0xc2 && c <= 0xdf)
    l = {1, 0x80, 0xbf};
  else if (c == 0xe0)
    l = {2, 0xa0, 0xbf};
  else if (c == 0xed)
    l = {2, 0x80, 0x9f};
  else if (c >= 0xe1 && c <= 0xef)
    l = {2, 0x80, 0xbf};
  else if (c == 0xf0)
    l = {3, 0x90, 0xbf};
  else if (c == 0xf4)
    l = {3, 0x80, 0x8f};
  else if (c >= 0xf1 && c <= 0xf3)
    l = {3, 0x80, 0xbf};
  else
    return false;
  return true;
}

}  // namespace

Utf8Status utf8_decode(std::string_view s, std::u32string& out) {
  out.clear();
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char32_t>(c);
      ++i;
      continue;
    }
    Lead l;
    if (!lead_info(c, l)) return Utf8Status::Invalid;
    char32_t cp = c & (0x3f >> l.extra);
    for (int k = 1; k <= l.extra; ++k) {
      if (i + k >= s.size()) return Utf8Status::Truncated;
      auto b = static_cast<unsigned char>(s[i + k]);
      unsigned char lo = k == 1 ? l.lo : 0x80, hi = k == 1 ? l.hi : 0xbf;
      if (b < lo || b > hi) return Utf8Status::Invalid;
      cp = (cp << 6) | (b & 0x3f);
    }
    out += cp;
    i += static_cast<size_t>(l.extra) + 1;
  }
  return Utf8Status::Ok;
}

void utf8_append(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

std::string utf8_encode(std::u32string_view s) {
  std::string r;
  for (char32_t cp : s) utf8_append(cp, r);
  return r;
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace util
