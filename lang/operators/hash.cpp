// lang/operators/hash.cpp — the operator forms ${hash_N_M:..} (h), ${nhash_N_M:..},
// ${substr_N_M:..} (s), ${length_N:..} (l) and ${strlen:..}, plus the text functions they
// share with the item forms in lang/items/substr_length.cpp.
//
// A bad suffix is "non-digit after underscore in \"substr_x\""; only substr's offset may be
// negative. Without a suffix, length/substr/hash/nhash are the item forms missing their
// arguments ("Not enough arguments for 'hash' (min is 2)"), l/s/h say "missing values after l".
#include "lang/operators/hash.h"

#include <cctype>
#include <climits>
#include <cstdint>

#include "lang/registry.h"

namespace lang::text {
namespace {

constexpr std::string_view kHashChars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// The primes that weight successive bytes in nhash, used from the largest down, cyclically.
constexpr unsigned kPrimes[] = {3,  5,  7,  11, 13, 17, 19, 23, 29, 31,  37,  41,  43,  47, 53,
                                59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113};

uint64_t nhash_total(std::string_view s) {
  constexpr size_t n = sizeof kPrimes / sizeof kPrimes[0];
  uint64_t total = 0;
  for (size_t j = 0; j < s.size(); ++j) {
    total += kPrimes[n - 1 - j % n] * static_cast<uint64_t>(static_cast<unsigned char>(s[j]));
  }
  return total;
}

}  // namespace

// The first n bytes are kept; every later byte, rotated left by (byte + index) mod 8 bits, is
// xor-ed into them in turn. Each result byte then picks a character modulo m.
Status hash(std::string_view s, long n, long m, std::string& out) {
  if (m < 0) m = 26;
  if (m > static_cast<long>(kHashChars.size())) {
    return Status::error("hash count \"" + std::to_string(m) + "\" too big");
  }
  if (n < 0) {
    return Status::error("\"" + std::to_string(n) +
                         "\" is not a positive number (in \"hash\" expansion)");
  }
  auto want = static_cast<size_t>(n);
  if (want >= s.size()) {
    out += s;
    return Status::ok();
  }
  if (want == 0) return Status::ok();
  if (m == 0) return Status::error("hash count \"0\" is not valid");
  std::string h(s.substr(0, want));
  for (size_t j = want, i = 0; j < s.size(); ++j, i = (i + 1) % want) {
    unsigned c = static_cast<unsigned char>(s[j]);
    unsigned shift = (c + static_cast<unsigned>(j)) & 7;
    unsigned rot = ((c << shift) | (c >> (8 - shift))) & 0xff;
    h[i] = static_cast<char>(static_cast<unsigned char>(h[i]) ^ rot);
  }
  for (char c : h) out += kHashChars[static_cast<unsigned char>(c) % static_cast<unsigned>(m)];
  return Status::ok();
}

Status nhash(std::string_view s, long n, long m, std::string& out) {
  if (n <= 0 || m == 0) {
    return Status::error("\"" + std::to_string(n <= 0 ? n : m) +
                         "\" is not a positive number (in \"nhash\" expansion)");
  }
  uint64_t total = nhash_total(s);
  auto un = static_cast<uint64_t>(n);
  if (m < 0) {
    out += std::to_string(total % un);
    return Status::ok();
  }
  auto um = static_cast<uint64_t>(m);
  uint64_t both = (un > UINT64_MAX / um) ? total : total % (un * um);
  out += std::to_string((both / um) % un) + "/" + std::to_string(both % um);
  return Status::ok();
}

void substr(std::string_view s, long offset, long len, std::string& out) {
  const auto size = static_cast<long>(s.size());
  if (offset < 0) {
    long start = offset + size;  // no overflow: size is far below LONG_MAX
    if (len < 0) {               // everything before the offset point
      if (start > 0) out += s.substr(0, static_cast<size_t>(start));
      return;
    }
    if (start < 0) {  // overshoot shortens the length
      len += start;
      start = 0;
    }
    if (len > 0) out += s.substr(static_cast<size_t>(start), static_cast<size_t>(len));
    return;
  }
  if (offset > size) return;
  if (len < 0) len = size;
  out += s.substr(static_cast<size_t>(offset), static_cast<size_t>(len));
}

void length(std::string_view s, long n, std::string& out) {
  if (n > 0) out += s.substr(0, static_cast<size_t>(n));
}

bool read_long(std::string_view s, long& out) {
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  size_t digits = i;
  long v = 0;
  bool overflow = false;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    int d = s[i] - '0';
    if (v > (LONG_MAX - d) / 10) overflow = true;
    if (!overflow) v = v * 10 + d;
  }
  out = neg ? -v : v;
  if (overflow) out = neg ? LONG_MIN : LONG_MAX;  // strtol saturates
  if (i == digits) {
    out = 0;
    return s.empty();
  }
  return i == s.size();
}

}  // namespace lang::text

namespace lang {
namespace {

// Checks the suffix of operator `name`: between 1 and `max` numbers, negative ones only in
// the first place when `neg_first`.
Status check_suffix(std::string_view name, const OpSuffix& suf, size_t max, bool neg_first) {
  if (!suf.present) {
    if (name.size() == 1) return Status::error("missing values after " + std::string(name));
    return Status::error("Not enough arguments for '" + std::string(name) + "' (min is 2)");
  }
  bool ok = !suf.nums.empty() && suf.nums.size() <= max;
  for (size_t k = 0; ok && k < suf.nums.size(); ++k) {
    if (suf.nums[k] < 0 && !(k == 0 && neg_first)) ok = false;
  }
  if (ok) return Status::ok();
  return Status::error("non-digit after underscore in \"" + std::string(name) + "_" + suf.text +
                       "\"");
}

long second(const OpSuffix& suf) {
  return suf.nums.size() > 1 ? suf.nums[1] : -1;
}

template <const std::string_view& Name>
Status op_length(EvalContext&, std::string_view a, const OpSuffix& suf, std::string& out) {
  LANG_TRY(check_suffix(Name, suf, 1, false));
  text::length(a, suf.nums[0], out);
  return Status::ok();
}

template <const std::string_view& Name>
Status op_substr(EvalContext&, std::string_view a, const OpSuffix& suf, std::string& out) {
  LANG_TRY(check_suffix(Name, suf, 2, true));
  text::substr(a, suf.nums[0], second(suf), out);
  return Status::ok();
}

template <const std::string_view& Name>
Status op_hash(EvalContext&, std::string_view a, const OpSuffix& suf, std::string& out) {
  LANG_TRY(check_suffix(Name, suf, 2, false));
  return text::hash(a, suf.nums[0], second(suf), out);
}

Status op_nhash(EvalContext&, std::string_view a, const OpSuffix& suf, std::string& out) {
  LANG_TRY(check_suffix("nhash", suf, 2, false));
  return text::nhash(a, suf.nums[0], second(suf), out);
}

Status op_strlen(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  out += std::to_string(a.size());
  return Status::ok();
}

constexpr std::string_view kLength = "length", kL = "l", kSubstr = "substr", kS = "s",
                           kHash = "hash", kH = "h";

const OperatorRegistrar reg({
    {"length", op_length<kLength>, SuffixKind::Numbers},
    {"l", op_length<kL>, SuffixKind::Numbers},
    {"substr", op_substr<kSubstr>, SuffixKind::Numbers},
    {"s", op_substr<kS>, SuffixKind::Numbers},
    {"hash", op_hash<kHash>, SuffixKind::Numbers},
    {"h", op_hash<kH>, SuffixKind::Numbers},
    {"nhash", op_nhash, SuffixKind::Numbers},
    {"strlen", op_strlen, SuffixKind::Text},
});

}  // namespace
}  // namespace lang
