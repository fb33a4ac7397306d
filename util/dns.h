// util/dns.h — a synchronous DNS stub resolver on c-ares. No mail knowledge.
//
// Resolver::query(name, type) sends one recursive query to the configured name servers
// (Settings::servers, or those of /etc/resolv.conf when empty), waits for the answer with a
// bounded timeout and number of tries, follows a CNAME the server did not resolve (up to
// `cname_loops` times) and says which of four things happened: Found (records of the type,
// in `records`), NoData (the name exists without such records), NxDomain, or TempFail (no
// usable answer: timeout, SERVFAIL, REFUSED, malformed or truncated response; `error` says
// which).
// The name is taken as absolute: no search list, no default domain.
//
// Threads: a Resolver is an immutable value that any thread may use. c-ares channels are not
// thread-safe, so each thread keeps its own channels (one per distinct server/timeout set,
// created on first use, never at start-up) and its own answer cache; nothing is shared.
// Answers are cached per thread for their TTL (negative answers for the SOA minimum), at
// most kCacheEntries of them; temporary failures are not cached.
//
// Failure: query() never throws and never waits longer than about
// retrans * (2^tries - 1) * servers plus one second.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/dns_message.h"
#include "util/ip.h"

namespace util::dns {

struct Server {
  IpAddress address;
  int port = 53;
};

// One item of a server list: "192.0.2.1", "192.0.2.1.5353" (Exim's host.port), "[::1]",
// "[::1]:5353", "::1.5353". Nullopt when it is none of these or the port is not 1-65535.
std::optional<Server> parse_server(std::string_view item);
// "127.0.0.1:5353" / "[::1]:53" as c-ares and messages write it.
std::string server_text(const Server& s);

struct Settings {
  std::vector<Server> servers;  // empty: /etc/resolv.conf
  int retrans_ms = 0;           // time to wait for the first try; 0: 5 seconds
  int tries = 0;                // tries per server; 0: 2
  int edns0 = -1;               // -1: no EDNS0 (the system default); 0 off; 1 on
  int dnssec_ok = -1;           // 1: ask for DNSSEC data (DO bit, needs EDNS0)
  int cname_loops = 1;          // CNAMEs followed when the server did not follow them
};

enum class Outcome : unsigned char { Found, NoData, NxDomain, TempFail };

struct Answer {
  Outcome outcome = Outcome::TempFail;
  std::vector<Record> records;  // Found: the answer section's records of the asked type
  std::string name;             // the name finally asked (after CNAMEs)
  bool authenticated = false;   // the server set AD
  std::string error;            // TempFail: why
  std::uint32_t ttl = 0;        // how long the answer may be remembered
};

// Per-query overrides (dnsdb's retrans_/retry_ modifiers).
struct QueryOptions {
  int retrans_ms = 0;  // 0: the resolver's
  int tries = 0;       // 0: the resolver's
};

class Resolver {
 public:
  Resolver() = default;
  explicit Resolver(Settings s) : s_(std::move(s)) {}

  Answer query(std::string_view name, std::uint16_t type, const QueryOptions& o = {}) const;
  const Settings& settings() const { return s_; }

 private:
  Settings s_;
};

// "4.3.2.1.in-addr.arpa" / nibbles ".ip6.arpa" for an address.
std::string reverse_name(const IpAddress& a);

// Forgets this thread's cached answers (tests).
void clear_cache();
inline constexpr size_t kCacheEntries = 4096;

}  // namespace util::dns
