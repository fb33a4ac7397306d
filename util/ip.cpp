#include "util/ip.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>
#include <climits>
#include <cstdio>

#include "util/base64.h"

namespace util {
namespace {

// inet_pton(AF_INET) rules: four decimal components 0-255 without leading zeros.
bool parse_v4(std::string_view s, std::uint8_t* out) {
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
    size_t start = i;
    unsigned v = 0;
    while (i < s.size() && i - start < 4 && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
      ++i;
    }
    size_t len = i - start;
    if (len == 0 || len > 3 || v > 255 || (len > 1 && s[start] == '0')) return false;
    out[part] = static_cast<std::uint8_t>(v);
  }
  return i == s.size();
}

// Groups of an IPv6 address being parsed: those before "::" and those after it.
struct V6Groups {
  std::array<std::uint16_t, 8> head{}, tail{};
  int nh = 0, nt = 0;
  bool gap = false;

  int count() const { return nh + nt; }
  bool push(std::uint16_t v) {
    if (count() >= 8) return false;
    (gap ? tail[static_cast<size_t>(nt++)] : head[static_cast<size_t>(nh++)]) = v;
    return true;
  }
  // "::" stands for at least one group; without it there must be eight.
  bool finish(std::array<std::uint16_t, 8>& g) const {
    if (gap ? count() > 7 : nh != 8) return false;
    g = {};
    for (int k = 0; k < nh; ++k) g[static_cast<size_t>(k)] = head[static_cast<size_t>(k)];
    for (int k = 0; k < nt; ++k) g[static_cast<size_t>(8 - nt + k)] = tail[static_cast<size_t>(k)];
    return true;
  }
};

// inet_pton(AF_INET6) rules. Groups go to `g`; returns false on any syntax error.
bool parse_v6(std::string_view s, std::array<std::uint16_t, 8>& g) {
  V6Groups gs;
  size_t i = 0;
  if (s.substr(0, 2) == "::") {
    gs.gap = true;
    i = 2;
  } else if (!s.empty() && s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    size_t start = i;
    unsigned v = 0;
    while (i < s.size() && i - start < 5 && util::hex_digit_value(s[i]) >= 0) {
      v = v * 16 + static_cast<unsigned>(util::hex_digit_value(s[i]));
      ++i;
    }
    if (i < s.size() && s[i] == '.') {  // a trailing dotted quad: two more groups
      std::uint8_t q[4];
      if (gs.count() > 6 || !parse_v4(s.substr(start), q)) return false;
      gs.push(static_cast<std::uint16_t>(q[0] << 8 | q[1]));
      gs.push(static_cast<std::uint16_t>(q[2] << 8 | q[3]));
      break;
    }
    if (i == start || i - start > 4 || !gs.push(static_cast<std::uint16_t>(v))) return false;
    if (i == s.size()) break;
    if (s[i++] != ':' || i == s.size()) return false;  // no single trailing ':'
    if (s[i] == ':') {
      if (gs.gap) return false;
      gs.gap = true;
      ++i;
    }
  }
  return gs.finish(g);
}

// strtol(s, &end, 10) followed by "*end must be the end of the string".
bool parse_strtol_whole(std::string_view s, long& out) {
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  size_t digits_start = i;
  unsigned long long v = 0;
  bool sat = false;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
    if (v > static_cast<unsigned long long>(LONG_MAX)) sat = true, v = LONG_MAX;
  }
  if (i == digits_start) return s.empty();  // no digits: strtol consumes nothing
  if (i != s.size()) return false;
  long r = static_cast<long>(v);
  out = neg ? (sat ? LONG_MIN : -r) : r;
  return true;
}

}  // namespace

IpAddress IpAddress::from_v4(std::uint32_t h) {
  IpAddress a;
  for (int k = 0; k < 4; ++k)
    a.bytes_[static_cast<size_t>(k)] = static_cast<std::uint8_t>(h >> (24 - 8 * k));
  return a;
}

IpAddress IpAddress::from_v6(const std::array<std::uint8_t, 16>& b) {
  IpAddress a;
  a.family_ = Family::V6;
  a.bytes_ = b;
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.find(':') == std::string_view::npos) {
    std::uint8_t q[4];
    if (!parse_v4(text, q)) return std::nullopt;
    return from_v4(static_cast<std::uint32_t>(q[0]) << 24 | static_cast<std::uint32_t>(q[1]) << 16 |
                   static_cast<std::uint32_t>(q[2]) << 8 | q[3]);
  }
  std::array<std::uint16_t, 8> g;
  if (!parse_v6(text, g)) return std::nullopt;
  std::array<std::uint8_t, 16> b{};
  for (size_t k = 0; k < 8; ++k) {
    b[2 * k] = static_cast<std::uint8_t>(g[k] >> 8);
    b[2 * k + 1] = static_cast<std::uint8_t>(g[k] & 0xff);
  }
  return from_v6(b);
}

std::array<std::uint16_t, 8> IpAddress::groups() const {
  const IpAddress v6 = to_v6();
  std::array<std::uint16_t, 8> g{};
  for (size_t k = 0; k < 8; ++k) {
    g[k] = static_cast<std::uint16_t>(v6.bytes_[2 * k] << 8 | v6.bytes_[2 * k + 1]);
  }
  return g;
}

bool IpAddress::is_v4_mapped() const {
  if (is_v4()) return false;
  for (size_t k = 0; k < 10; ++k) {
    if (bytes_[k] != 0) return false;
  }
  return bytes_[10] == 0xff && bytes_[11] == 0xff;
}

IpAddress IpAddress::unmapped() const {
  if (!is_v4_mapped()) return *this;
  IpAddress a;
  for (size_t k = 0; k < 4; ++k) a.bytes_[k] = bytes_[12 + k];
  return a;
}

IpAddress IpAddress::to_v6() const {
  if (!is_v4()) return *this;
  std::array<std::uint8_t, 16> b{};
  b[10] = b[11] = 0xff;
  for (size_t k = 0; k < 4; ++k) b[12 + k] = bytes_[k];
  return from_v6(b);
}

IpAddress IpAddress::masked(int prefix) const {
  IpAddress a = *this;
  const int n = bit_count() / 8;
  for (int k = 0; k < n; ++k) {
    int keep = prefix - 8 * k;  // bits of this byte to keep
    if (keep >= 8) continue;
    auto& byte = a.bytes_[static_cast<size_t>(k)];
    byte = keep <= 0 ? 0 : static_cast<std::uint8_t>(byte & (0xff << (8 - keep)));
  }
  return a;
}

bool IpAddress::same_prefix(const IpAddress& other, int prefix) const {
  if (family_ != other.family_) return false;
  return masked(prefix) == other.masked(prefix);
}

std::string IpAddress::full(char sep) const {
  static const char* const kHex = "0123456789abcdef";
  std::string s;
  if (is_v4()) {
    for (size_t k = 0; k < 4; ++k) {
      if (k) s += '.';
      s += std::to_string(bytes_[k]);
    }
    return s;
  }
  for (size_t k = 0; k < 16; ++k) {
    if (k && k % 2 == 0) s += sep;
    s += kHex[bytes_[k] >> 4];
    s += kHex[bytes_[k] & 15];
  }
  return s;
}

std::string IpAddress::str() const {
  if (is_v4()) return full();
  if (is_v4_mapped()) return "::ffff:" + unmapped().full();
  const auto g = groups();
  int best = -1, best_len = 1;  // runs of two or more zero groups only
  for (int k = 0; k < 8;) {
    int e = k;
    while (e < 8 && g[static_cast<size_t>(e)] == 0) ++e;
    if (e - k > best_len) best = k, best_len = e - k;
    k = e == k ? k + 1 : e;
  }
  char buf[8];
  std::string s;
  for (int k = 0; k < 8; ++k) {
    if (k == best) {
      s += "::";
      k += best_len - 1;
      continue;
    }
    if (!s.empty() && s.back() != ':') s += ':';
    std::snprintf(buf, sizeof buf, "%x", g[static_cast<size_t>(k)]);
    s += buf;
  }
  return s;
}

std::string IpAddress::reverse_labels() const {
  static const char* const kHex = "0123456789abcdef";
  std::string s;
  if (is_v4()) {
    for (size_t k = 4; k-- > 0;) {
      s += std::to_string(bytes_[k]);
      if (k) s += '.';
    }
    return s;
  }
  for (size_t k = 16; k-- > 0;) {
    s += kHex[bytes_[k] & 15];
    s += '.';
    s += kHex[bytes_[k] >> 4];
    if (k) s += '.';
  }
  return s;
}

std::optional<IpText> parse_ip_text(std::string_view text, bool allow_mask) {
  IpText r;
  std::string_view addr = text;
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    long m = 0;
    if (!allow_mask || !parse_strtol_whole(text.substr(slash + 1), m) || m < 0) return std::nullopt;
    r.has_mask = true;
    r.mask = static_cast<int>(static_cast<std::uint32_t>(m));  // Exim keeps the low 32 bits
    addr = text.substr(0, slash);
  }
  size_t pct = addr.find('%');
  if (pct != std::string_view::npos) {
    if (r.has_mask) return std::nullopt;
    for (char c : addr.substr(pct + 1)) {  // Exim takes printable ASCII only in a zone
      if (!std::isgraph(static_cast<unsigned char>(c))) return std::nullopt;
    }
    r.has_zone = true;
    addr = addr.substr(0, pct);
  }
  auto a = IpAddress::parse(addr);
  if (!a || (r.has_zone && a->is_v4())) return std::nullopt;
  r.addr = *a;
  return r;
}

std::vector<IpAddress> local_interface_addresses() {
  std::vector<IpAddress> v;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return v;
  for (ifaddrs* p = list; p; p = p->ifa_next) {
    if (!p->ifa_addr) continue;
    if (p->ifa_addr->sa_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(p->ifa_addr);
      v.push_back(IpAddress::from_v4(ntohl(sin->sin_addr.s_addr)));
    } else if (p->ifa_addr->sa_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(p->ifa_addr);
      std::array<std::uint8_t, 16> b;
      for (size_t k = 0; k < 16; ++k) b[k] = sin6->sin6_addr.s6_addr[k];
      v.push_back(IpAddress::from_v6(b));
    }
  }
  freeifaddrs(list);
  return v;
}

}  // namespace util
