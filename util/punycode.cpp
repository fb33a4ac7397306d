#include "util/punycode.h"

#include <cstdint>

namespace util {
namespace {

// RFC 3492 section 5: parameter values for Punycode.
constexpr uint32_t kBase = 36, kTmin = 1, kTmax = 26, kSkew = 38, kDamp = 700;
constexpr uint32_t kInitialBias = 72, kInitialN = 0x80;
constexpr uint32_t kMax = 0xffffffffu;
// Both directions are quadratic; real labels are at most 63 octets, so refuse long input.
constexpr size_t kMaxLength = 4096;

char encode_digit(uint32_t d) {
  return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26));
}

// Returns kBase for a character that is not a digit.
uint32_t decode_digit(char c) {
  if (c >= '0' && c <= '9') return static_cast<uint32_t>(c - '0') + 26;
  if (c >= 'a' && c <= 'z') return static_cast<uint32_t>(c - 'a');
  if (c >= 'A' && c <= 'Z') return static_cast<uint32_t>(c - 'A');
  return kBase;
}

// RFC 3492 section 6.1.
uint32_t adapt(uint32_t delta, uint32_t numpoints, bool firsttime) {
  delta = firsttime ? delta / kDamp : delta / 2;
  delta += delta / numpoints;
  uint32_t k = 0;
  while (delta > ((kBase - kTmin) * kTmax) / 2) {
    delta /= kBase - kTmin;
    k += kBase;
  }
  return k + (kBase - kTmin + 1) * delta / (delta + kSkew);
}

uint32_t threshold(uint32_t k, uint32_t bias) {
  return k <= bias ? kTmin : k >= bias + kTmax ? kTmax : k - bias;
}

// Writes `q` as a generalized variable-length integer (RFC 3492 section 3.3).
void emit_number(uint32_t q, uint32_t bias, std::string& out) {
  for (uint32_t k = kBase;; k += kBase) {
    uint32_t t = threshold(k, bias);
    if (q < t) break;
    out += encode_digit(t + (q - t) % (kBase - t));
    q = (q - t) / (kBase - t);
  }
  out += encode_digit(q);
}

}  // namespace

// RFC 3492 section 6.3.
bool punycode_encode(std::u32string_view in, std::string& out) {
  out.clear();
  if (in.size() > kMaxLength) return false;
  for (char32_t c : in) {
    if (c < 0x80) out += static_cast<char>(c);
  }
  uint32_t b = static_cast<uint32_t>(out.size()), h = b;
  if (b > 0) out += '-';
  uint32_t n = kInitialN, delta = 0, bias = kInitialBias;
  while (h < in.size()) {
    uint32_t m = kMax;
    for (char32_t c : in) {
      if (c >= n && c < m) m = c;
    }
    if (m - n > (kMax - delta) / (h + 1)) return false;
    delta += (m - n) * (h + 1);
    n = m;
    for (char32_t c : in) {
      if (c < n && ++delta == 0) return false;
      if (c != n) continue;
      emit_number(delta, bias, out);
      bias = adapt(delta, h + 1, h == b);
      delta = 0;
      ++h;
    }
    ++delta;
    ++n;
  }
  return true;
}

// RFC 3492 section 6.2.
bool punycode_decode(std::string_view in, std::u32string& out) {
  out.clear();
  if (in.size() > kMaxLength) return false;
  size_t b = in.rfind('-');
  if (b == std::string_view::npos) b = 0;
  for (size_t j = 0; j < b; ++j) {
    if (static_cast<unsigned char>(in[j]) >= 0x80) return false;
    out += static_cast<char32_t>(in[j]);
  }
  uint32_t n = kInitialN, i = 0, bias = kInitialBias;
  for (size_t in_pos = b > 0 ? b + 1 : 0; in_pos < in.size();) {
    uint32_t oldi = i, w = 1;
    for (uint32_t k = kBase;; k += kBase) {
      if (in_pos >= in.size()) return false;
      uint32_t digit = decode_digit(in[in_pos++]);
      if (digit >= kBase || digit > (kMax - i) / w) return false;
      i += digit * w;
      uint32_t t = threshold(k, bias);
      if (digit < t) break;
      if (w > kMax / (kBase - t)) return false;
      w *= kBase - t;
    }
    uint32_t len = static_cast<uint32_t>(out.size()) + 1;
    bias = adapt(i - oldi, len, oldi == 0);
    if (i / len > kMax - n) return false;
    n += i / len;
    i %= len;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return false;
    out.insert(out.begin() + i, static_cast<char32_t>(n));
    ++i;
  }
  return true;
}

}  // namespace util
