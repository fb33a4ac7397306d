// lang/lookups/iplsearch.cpp — the iplsearch lookup (spec 9.3): keys in the file are IP
// addresses or networks (address/bits; IPv6 ones quoted), the lookup key is an address, and
// the first line whose network contains it wins. Lines whose key is not an address are
// skipped. An IPv4-mapped IPv6 key is taken as the IPv4 address; IPv4 keys never match
// IPv6 networks, nor the reverse.
//
// Failure: a key that is not an IP address defers with Exim's message.
#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "lang/context.h"
#include "lang/lookup_cache.h"
#include "lang/lookups/file_index.h"
#include "lang/lookups/linear_file.h"

namespace lang {
namespace {

struct Net {
  std::array<unsigned char, 16> addr{};  // IPv4 in the first 4 bytes
  bool v6 = false;
  int bits = 0;
};

// Parses an address, with an IPv6 zone ("%eth0") ignored, optionally followed by "/bits"
// when `allow_mask`. As in Exim, the mask may be empty (0 bits) and is capped at the
// address length.
bool parse_net(std::string_view s, bool allow_mask, Net& out) {
  size_t slash = s.find('/');
  if (slash != std::string_view::npos && !allow_mask) return false;
  std::string_view host = s.substr(0, slash);
  size_t zone = host.find('%');
  std::string text(host.substr(0, zone));
  if (inet_pton(AF_INET, text.c_str(), out.addr.data()) == 1) {
    out.v6 = false;
  } else if (inet_pton(AF_INET6, text.c_str(), out.addr.data()) == 1) {
    out.v6 = true;
  } else {
    return false;
  }
  if (zone != std::string_view::npos && !out.v6) return false;
  int max = out.v6 ? 128 : 32;
  out.bits = max;
  if (slash == std::string_view::npos) return true;
  int bits = 0;
  for (char c : s.substr(slash + 1)) {
    if (c < '0' || c > '9') return false;
    if (bits <= max) bits = bits * 10 + (c - '0');
  }
  out.bits = bits > max ? max : bits;
  return true;
}

// An IPv4-mapped IPv6 key (::ffff:a.b.c.d) is looked up as the IPv4 address.
void unmap(Net& n) {
  static constexpr unsigned char kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (!n.v6 || std::memcmp(n.addr.data(), kPrefix, 12) != 0) return;
  std::memmove(n.addr.data(), n.addr.data() + 12, 4);
  std::memset(n.addr.data() + 4, 0, 12);
  n.v6 = false;
  n.bits = 32;
}

// Whether host address `a` is inside network `n` (never across address families).
bool in_net(const Net& a, const Net& n) {
  if (a.v6 != n.v6) return false;
  int full = n.bits / 8, rest = n.bits % 8;
  if (std::memcmp(a.addr.data(), n.addr.data(), static_cast<size_t>(full)) != 0) return false;
  if (rest == 0) return true;
  unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a.addr[full] & mask) == (n.addr[full] & mask);
}

struct IpIndex {
  std::vector<LinearEntry> entries;
  std::vector<std::pair<Net, size_t>> nets;  // valid keys, in file order

  static std::shared_ptr<const IpIndex> build(std::string content) {
    auto idx = std::make_shared<IpIndex>();
    idx->entries = linear_parse(content);
    for (size_t i = 0; i < idx->entries.size(); ++i) {
      Net n;
      if (parse_net(idx->entries[i].key, true, n)) idx->nets.emplace_back(n, i);
    }
    return idx;
  }
};

FileIndexCache<IpIndex>& cache() {
  static FileIndexCache<IpIndex> c;
  return c;
}

struct IpHandle : LookupHandle {
  std::shared_ptr<const IpIndex> idx;
  FileCheck check;
};

Status ip_open(const std::string& file, std::unique_ptr<LookupHandle>& out) {
  int err = 0;
  auto h = std::make_unique<IpHandle>();
  h->idx = cache().get(file, err);
  if (!h->idx) return linear_open_error(file, err);
  out = std::move(h);
  return Status::ok();
}

LookupResult ip_find(EvalContext& ctx, LookupHandle* handle, const std::string& file,
                     std::string_view key, const LookupOptions& opts) {
  auto* h = static_cast<IpHandle*>(handle);
  cache().refresh(file, h->idx, h->check, ctx.lookups().file_check_interval_ns());
  LookupResult r;
  Net host;
  if (key.find('\0') != std::string_view::npos || !parse_net(key, false, host)) {
    r.outcome = LookupOutcome::Defer;
    r.message = "\"" + std::string(key) +
                "\" is not a valid iplsearch key (an IP address, with optional CIDR mask, is "
                "wanted): in a host list, use net-iplsearch as the search type";
    return r;
  }
  unmap(host);
  for (const auto& [net, i] : h->idx->nets) {
    if (!in_net(host, net)) continue;
    const LinearEntry& e = h->idx->entries[i];
    r.outcome = LookupOutcome::Found;
    r.value = lookup_option(opts, "ret") == "full" ? e.full : e.data;
    return r;
  }
  return r;
}

const LookupRegistrar reg({{"iplsearch", false, true, ip_open, ip_find, nullptr}});

}  // namespace
}  // namespace lang
