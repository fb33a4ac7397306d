// util/ip.h — IPv4 and IPv6 addresses: parsing, formatting, masking (no mail knowledge).
//
// IpAddress::parse accepts exactly what inet_pton(3) accepts: a dotted quad (four decimal
// components 0-255, no leading zeros) or an RFC 4291 IPv6 address (groups of 1-4 hex digits,
// at most one "::" that stands for at least one group, optionally ending in a dotted quad).
// No white space, no mask, no zone. parse_ip_text() adds the "%zone" suffix (IPv6 only) and
// the "/bits" suffix that configuration files and Exim's string_is_ip_address() accept.
//
// Failure: parse functions return std::nullopt; nothing here throws or reads out of bounds.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace util {

class IpAddress {
 public:
  enum class Family : unsigned char { V4, V6 };

  IpAddress() = default;  // 0.0.0.0
  static IpAddress from_v4(std::uint32_t host_order);
  static IpAddress from_v6(const std::array<std::uint8_t, 16>& bytes);
  static std::optional<IpAddress> parse(std::string_view text);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::V4; }
  int bit_count() const { return is_v4() ? 32 : 128; }
  // Network-order bytes: 4 for IPv4, 16 for IPv6 (the rest of the array is zero).
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  // The eight 16-bit groups of an IPv6 address (an IPv4 address as ::ffff:a.b.c.d).
  std::array<std::uint16_t, 8> groups() const;

  bool is_v4_mapped() const;   // ::ffff:a.b.c.d
  IpAddress unmapped() const;  // a.b.c.d for ::ffff:a.b.c.d, otherwise a copy
  IpAddress to_v6() const;     // ::ffff:a.b.c.d for a.b.c.d, otherwise a copy

  // Keeps the `prefix` most significant bits and clears the others. A prefix <= 0 clears
  // everything; one >= bit_count() changes nothing.
  IpAddress masked(int prefix) const;
  // True when both have the same family and agree on the first `prefix` bits (clamped).
  bool same_prefix(const IpAddress& other, int prefix) const;

  // Conventional text (inet_ntop): dotted quad; IPv6 compressed per RFC 5952 (lower case,
  // longest run of two or more zero groups as "::", IPv4-mapped as ::ffff:a.b.c.d).
  std::string str() const;
  // Unabbreviated: dotted quad; IPv6 as eight 4-digit lower-case groups joined by `sep`.
  std::string full(char sep = ':') const;
  // DNS reverse-lookup labels without the zone: "4.3.2.1", or 32 nibbles for IPv6.
  std::string reverse_labels() const;

  friend bool operator==(const IpAddress& a, const IpAddress& b) {
    return a.family_ == b.family_ && a.bytes_ == b.bytes_;
  }

 private:
  Family family_ = Family::V4;
  std::array<std::uint8_t, 16> bytes_{};
};

// An address as written in configuration and expansion strings.
struct IpText {
  IpAddress addr;
  bool has_zone = false;  // "fe80::1%eth0" (the zone itself is dropped)
  bool has_mask = false;
  int mask = 0;  // the "/bits" value (strtol, truncated to int as Exim does), when has_mask
};

// Parses "<address>[%zone][/bits]" with Exim's string_is_ip_address() rules: the zone is
// allowed only on IPv6 addresses and not together with a mask; the mask is allowed only when
// `allow_mask`, is read as by strtol (optional white space and sign, "/" alone is 0) and must
// not be negative or followed by anything.
std::optional<IpText> parse_ip_text(std::string_view text, bool allow_mask);

// The addresses of the local host's network interfaces (getifaddrs); empty on failure.
std::vector<IpAddress> local_interface_addresses();

}  // namespace util
