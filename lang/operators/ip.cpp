// lang/operators/ip.cpp — IP address operators (spec 11.6, "Expansion operators"):
//   ${mask:<ip>/<bits>}    the network address; IPv6 written as eight 4-digit groups joined
//                          by dots (lsearch keys cannot contain colons), then "/<bits>"
//   ${mask_n:<ip>/<bits>}  the same with IPv6 in Exim's normalised colon form
//   ${ipv6norm:<ip>}       normalised IPv6 (an IPv4 address becomes ::ffff:...)
//   ${ipv6denorm:<ip>}     eight 4-digit groups joined by colons
//   ${reverse_ip:<ip>}     reverse DNS labels ("4.3.2.1", 32 nibbles for IPv6)
// Addresses are read as Exim's string_is_ip_address does (util::parse_ip_text).
//
// Errors (Exim's texts): "\"x\" is not an IP address", "missing mask value in \"x\"",
// "mask value too big in \"x\"", "reverse_ip() not given an IP address [x]".
#include "util/ip.h"
#include "lang/registry.h"

namespace lang {
namespace {

Status not_ip(std::string_view a) {
  return Status::error("\"" + std::string(a) + "\" is not an IP address");
}

// Exim's normalised IPv6 text: lower-case groups without leading zeros and the longest run of
// zero groups (even a single one; the first of equal runs) as "::". Unlike inet_ntop, the
// all-zero address comes out as ":", as Exim 4.96 prints it.
std::string exim_v6_norm(const util::IpAddress& a) {
  const auto g = a.groups();
  int best = -1, best_len = 0;
  for (int k = 0; k < 8;) {
    int e = k;
    while (e < 8 && g[static_cast<size_t>(e)] == 0) ++e;
    if (e - k > best_len) best = k, best_len = e - k;
    k = e == k ? k + 1 : e;
  }
  if (best_len == 8) return ":";
  static const char* const kHex = "0123456789abcdef";
  std::string s;
  for (int k = 0; k < 8; ++k) {
    if (k == best) {
      s += k == 0 ? "::" : ":";
      k += best_len - 1;
      if (k == 7) break;
      continue;
    }
    unsigned v = g[static_cast<size_t>(k)];
    bool lead = true;
    for (int sh = 12; sh >= 0; sh -= 4) {
      unsigned d = (v >> sh) & 15;
      if (lead && d == 0 && sh > 0) continue;
      lead = false;
      s += kHex[d];
    }
    if (k < 7) s += ':';
  }
  return s;
}

Status mask_common(std::string_view a, bool normalised, std::string& out) {
  auto t = util::parse_ip_text(a, true);
  if (!t) return not_ip(a);
  if (!t->has_mask) return Status::error("missing mask value in \"" + std::string(a) + "\"");
  if (t->mask < 0 || t->mask > t->addr.bit_count()) {
    return Status::error("mask value too big in \"" + std::string(a) + "\"");
  }
  const util::IpAddress m = t->addr.masked(t->mask);
  if (m.is_v4()) {
    out += m.full();
  } else {
    out += normalised ? exim_v6_norm(m) : m.full('.');
  }
  out += '/' + std::to_string(t->mask);
  return Status::ok();
}

Status op_mask(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  return mask_common(a, false, out);
}

Status op_mask_n(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  return mask_common(a, true, out);
}

Status op_ipv6norm(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  auto t = util::parse_ip_text(a, false);
  if (!t) return not_ip(a);
  out += exim_v6_norm(t->addr.to_v6());
  return Status::ok();
}

Status op_ipv6denorm(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  auto t = util::parse_ip_text(a, false);
  if (!t) return not_ip(a);
  out += t->addr.to_v6().full(':');
  return Status::ok();
}

Status op_reverse_ip(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  auto t = util::parse_ip_text(a, true);  // a mask is accepted and ignored
  if (!t) return Status::error("reverse_ip() not given an IP address [" + std::string(a) + "]");
  out += t->addr.unmapped().reverse_labels();
  return Status::ok();
}

const OperatorRegistrar reg({
    {"mask", op_mask},
    {"mask_n", op_mask_n},
    {"ipv6norm", op_ipv6norm},
    {"ipv6denorm", op_ipv6denorm},
    {"reverse_ip", op_reverse_ip},
});

}  // namespace
}  // namespace lang
