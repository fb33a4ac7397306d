#include "util/base64.h"

#include <array>
#include <cctype>

namespace util {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Decodes one group of four characters; `last` says whether padding may appear.
bool decode_group(const std::array<char, 4>& g, bool last, std::string& out) {
  int v[4];
  int pad = 0;
  for (int k = 0; k < 4; ++k) {
    if (g[k] == '=') {
      if (!last || k < 2) return false;
      ++pad;
      v[k] = 0;
      continue;
    }
    if (pad > 0) return false;  // data after '='
    v[k] = b64_value(g[k]);
    if (v[k] < 0) return false;
  }
  unsigned n = (static_cast<unsigned>(v[0]) << 18) | (static_cast<unsigned>(v[1]) << 12) |
               (static_cast<unsigned>(v[2]) << 6) | static_cast<unsigned>(v[3]);
  out += static_cast<char>((n >> 16) & 0xff);
  if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
  if (pad < 1) out += static_cast<char>(n & 0xff);
  return true;
}

}  // namespace

std::string base64_encode(std::string_view data) {
  std::string out((data.size() + 2) / 3 * 4, '=');
  char* o = out.data();
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(data[k])); };
  for (; i + 3 <= data.size(); i += 3, o += 4) {
    unsigned n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    o[0] = kAlphabet[(n >> 18) & 63];
    o[1] = kAlphabet[(n >> 12) & 63];
    o[2] = kAlphabet[(n >> 6) & 63];
    o[3] = kAlphabet[n & 63];
  }
  size_t rest = data.size() - i;
  if (rest == 0) return out;
  unsigned n = byte(i) << 16;
  if (rest == 2) n |= byte(i + 1) << 8;
  o[0] = kAlphabet[(n >> 18) & 63];
  o[1] = kAlphabet[(n >> 12) & 63];
  if (rest == 2) o[2] = kAlphabet[(n >> 6) & 63];  // the rest is the '=' padding
  return out;
}

bool base64_decode(std::string_view text, std::string& out, bool skip_space) {
  out.clear();
  // Collect significant characters first so that the last group is known.
  std::string chars;
  chars.reserve(text.size());
  for (char c : text) {
    if (skip_space && std::isspace(static_cast<unsigned char>(c))) continue;
    chars += c;
  }
  if (chars.size() % 4 != 0) return false;
  for (size_t i = 0; i < chars.size(); i += 4) {
    std::array<char, 4> g = {chars[i], chars[i + 1], chars[i + 2], chars[i + 3]};
    if (!decode_group(g, i + 4 == chars.size(), out)) return false;
  }
  return true;
}

std::string hex_encode(std::string_view data, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (char c : data) {
    auto b = static_cast<unsigned char>(c);
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool hex_decode(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() % 2 != 0) return false;
  for (size_t i = 0; i < text.size(); i += 2) {
    int hi = hex_digit_value(text[i]), lo = hex_digit_value(text[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>((hi << 4) | lo);
  }
  return true;
}

}  // namespace util
