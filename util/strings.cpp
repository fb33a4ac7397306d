#include "util/strings.h"

#include <cctype>
#include <cstdint>
#include <cstring>

namespace util {
namespace {

// The C locale's classes, inline (no other locale is ever set): these run per byte on hot
// paths such as lookup keys.
bool ascii_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}
char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}
char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
}

}  // namespace

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && ascii_space(s[b])) ++b;
  while (e > b && ascii_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string to_lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = ascii_lower(c);
  return r;
}

std::string to_upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = ascii_upper(c);
  return r;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && iequals(s.substr(0, p.size()), p);
}

std::string errno_text(int err) {
  char buf[256];
  // GNU strerror_r returns a pointer that may or may not be buf.
  const char* m = strerror_r(err, buf, sizeof buf);
  return m;
}

bool parse_time_interval(std::string_view s, long long& seconds) {
  constexpr long long kMax = 2147483647;
  if (s.empty()) return false;
  long long total = 0;
  size_t i = 0;
  while (i < s.size()) {
    long long v = 0;
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + (s[i++] - '0');
      if (v > kMax) return false;
    }
    if (i == start || i >= s.size()) return false;
    long long unit = 0;
    switch (s[i++]) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'w':
        unit = 7 * 86400;
        break;
      default:
        return false;
    }
    if (v > (kMax - total) / unit) return false;
    total += v * unit;
  }
  seconds = total;
  return true;
}

// memchr from hit to hit: its vector scan beats a word-at-a-time count both on bodies
// (one LF every ~80 bytes) and on NULs (usually none).
size_t count_byte(std::string_view s, char c) {
  size_t n = 0;
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const void* hit = std::memchr(p, c, static_cast<size_t>(end - p));
    if (!hit) break;
    ++n;
    p = static_cast<const char*>(hit) + 1;
  }
  return n;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t b = 0;
  while (b < text.size()) {
    size_t e = text.find('\n', b);
    if (e == std::string_view::npos) e = text.size();
    lines.push_back(text.substr(b, e - b));
    b = e + 1;
  }
  return lines;
}

}  // namespace util
