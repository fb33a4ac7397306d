#include "engine/config/values.h"

#include <cctype>

#include "util/strings.h"

namespace engine::config {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int digit_value(char c, int base) {
  int v = -1;
  if (is_digit(c))
    v = c - '0';
  else if (c >= 'a' && c <= 'f')
    v = c - 'a' + 10;
  else if (c >= 'A' && c <= 'F')
    v = c - 'A' + 10;
  return v < base ? v : -1;
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// Reads digits in `base` from s[i]; false on overflow past `max`.
bool read_digits(std::string_view s, size_t& i, int base, int64_t max, int64_t& v) {
  v = 0;
  bool ok = true;
  for (int d; i < s.size() && (d = digit_value(s[i], base)) >= 0; ++i) {
    if (v > (max - d) / base)
      ok = false;
    else
      v = v * base + d;
  }
  return ok;
}

int multiplier_shift(char c) {
  switch (c) {
    case 'k':
    case 'K':
      return 10;
    case 'm':
    case 'M':
      return 20;
    case 'g':
    case 'G':
      return 30;
    default:
      return 0;
  }
}

}  // namespace

std::string read_bool(std::string_view s, std::string_view name, bool& out) {
  std::string_view v = util::trim(s);
  if (util::iequals(v, "true") || util::iequals(v, "yes"))
    out = true;
  else if (util::iequals(v, "false") || util::iequals(v, "no"))
    out = false;
  else
    return quoted(v) + " is not a valid value for the " + quoted(name) + " option";
  return {};
}

std::string read_integer(std::string_view s, std::string_view name, int64_t& out, int64_t max) {
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  if (i >= s.size() || !is_digit(s[i])) return "integer expected for " + std::string(name);
  int base = 10;
  if (s[i] == '0') {
    base = 8;
    if (i + 2 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
        digit_value(s[i + 2], 16) >= 0) {
      base = 16;
      i += 2;
    }
  }
  int64_t v = 0;
  bool ok = read_digits(s, i, base, max, v);
  if (i < s.size()) {
    if (int shift = multiplier_shift(s[i])) {
      if (v > (max >> shift))
        ok = false;
      else
        v <<= shift;
      ++i;
    }
  }
  if (!ok) {
    return "absolute value of integer " + quoted(util::trim(s)) + " is too large (overflow)";
  }
  while (i < s.size() && is_space(s[i])) ++i;
  if (i < s.size()) return "extra characters follow integer value for " + std::string(name);
  out = neg ? -v : v;
  return {};
}

std::string read_fixed(std::string_view s, std::string_view name, int64_t& out) {
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  if (i >= s.size() || !is_digit(s[i]))
    return "fixed-point number expected for " + std::string(name);
  int64_t v = 0;
  if (!read_digits(s, i, 10, INT32_MAX / 1000, v)) {
    return "absolute value of integer " + quoted(util::trim(s)) + " is too large (overflow)";
  }
  v *= 1000;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int64_t scale = 100;
    for (; i < s.size() && is_digit(s[i]); ++i, scale /= 10) v += (s[i] - '0') * scale;
  }
  while (i < s.size() && is_space(s[i])) ++i;
  if (i < s.size()) return "extra characters follow fixed-point value for " + std::string(name);
  out = v;
  return {};
}

bool parse_time(std::string_view s, int64_t& seconds) {
  long long t = 0;
  if (!util::parse_time_interval(s, t)) return false;
  seconds = t;
  return true;
}

std::string read_time(std::string_view s, std::string_view name, int64_t& out) {
  if (!parse_time(util::trim(s), out)) return "invalid time value for " + std::string(name);
  return {};
}

std::string read_time_list(std::string_view s, std::string_view name, std::vector<int64_t>& out) {
  out.clear();
  size_t b = 0;
  while (b <= s.size()) {
    size_t e = s.find(':', b);
    if (e == std::string_view::npos) e = s.size();
    int64_t t = 0;
    std::string err = read_time(s.substr(b, e - b), name, t);
    if (!err.empty()) return err;
    if (!out.empty() && t <= out.back()) return "time value out of order for " + std::string(name);
    out.push_back(t);
    b = e + 1;
  }
  return {};
}

std::string read_string(std::string_view s, std::string_view name, std::string& out,
                        std::vector<size_t>* offsets) {
  out.clear();
  if (offsets) offsets->clear();
  auto put = [&](char c, size_t from) {
    out += c;
    if (offsets) offsets->push_back(from);
  };
  if (s.empty() || s[0] != '"') {
    for (size_t i = 0; i < s.size(); ++i) put(s[i], i);
    return {};
  }
  size_t i = 1;
  for (; i < s.size() && s[i] != '"'; ++i) {
    size_t from = i;
    if (s[i] != '\\' || i + 1 >= s.size()) {
      put(s[i], from);
      continue;
    }
    char c = s[++i];
    if (c == 'n')
      put('\n', from);
    else if (c == 'r')
      put('\r', from);
    else if (c == 't')
      put('\t', from);
    else if (c >= '0' && c <= '7') {
      int v = 0;
      for (int k = 0; k < 3 && i < s.size() && s[i] >= '0' && s[i] <= '7'; ++k)
        v = v * 8 + (s[i++] - '0');
      --i;
      put(static_cast<char>(v), from);
    } else if (c == 'x' && i + 1 < s.size() && digit_value(s[i + 1], 16) >= 0) {
      int v = 0;
      for (int k = 0; k < 2 && i + 1 < s.size() && digit_value(s[i + 1], 16) >= 0; ++k)
        v = v * 16 + digit_value(s[++i], 16);
      put(static_cast<char>(v), from);
    } else {
      put(c, from);
    }
  }
  if (i >= s.size()) return "missing quote at end of string value for " + std::string(name);
  for (++i; i < s.size(); ++i)
    if (!is_space(s[i])) return "extra characters follow string value for " + std::string(name);
  return {};
}

std::string format_time(int64_t seconds) {
  if (seconds <= 0) return seconds < 0 ? "-" + format_time(-seconds) : "0s";
  static const std::pair<int64_t, char> units[] = {
      {7 * 86400, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  std::string r;
  for (auto [size, letter] : units) {
    if (seconds >= size) {
      r += std::to_string(seconds / size) + letter;
      seconds %= size;
    }
  }
  return r;
}

std::string format_size(int64_t bytes) {
  if (bytes != 0 && bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + "M";
  if (bytes != 0 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + "K";
  return std::to_string(bytes);
}

std::string format_size_k(int64_t kb) {
  if (kb != 0 && kb % (1024 * 1024) == 0) return std::to_string(kb / (1024 * 1024)) + "G";
  if (kb != 0 && kb % 1024 == 0) return std::to_string(kb / 1024) + "M";
  return std::to_string(kb) + "K";
}

std::string format_fixed(int64_t thousandths) {
  std::string r = std::to_string(thousandths / 1000);
  int64_t frac = thousandths % 1000;
  if (frac == 0) return r;
  std::string f = std::to_string(1000 + frac).substr(1);
  while (!f.empty() && f.back() == '0') f.pop_back();
  return r + "." + f;
}

}  // namespace engine::config
