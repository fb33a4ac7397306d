// util/dns.cpp — see dns.h.
#include "util/dns.h"

#include <ares.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <unordered_map>

#include "util/strings.h"

namespace util::dns {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kDefaultRetransMs = 5000;
constexpr int kDefaultTries = 2;
constexpr std::uint32_t kMaxCacheTtl = 3600;
constexpr int kMaxChain = 16;  // CNAMEs followed inside one answer

int effective_retrans(const Settings& s, const QueryOptions& o) {
  int ms = o.retrans_ms > 0 ? o.retrans_ms : s.retrans_ms > 0 ? s.retrans_ms : kDefaultRetransMs;
  return std::min(ms, 600000);
}
int effective_tries(const Settings& s, const QueryOptions& o) {
  int t = o.tries > 0 ? o.tries : s.tries > 0 ? s.tries : kDefaultTries;
  return std::min(t, 10);
}

std::string servers_csv(const Settings& s) {
  std::string csv;
  for (const auto& sv : s.servers) csv += (csv.empty() ? "" : ",") + server_text(sv);
  return csv;
}

// This thread's c-ares channels, one per (servers, timeout, tries).
class Channels {
 public:
  ~Channels() {
    for (auto& [key, ch] : list_) ares_destroy(ch);
  }
  ares_channel get(const Settings& s, int retrans, int tries, std::string& error) {
    std::string key = servers_csv(s) + "|" + std::to_string(retrans) + "|" + std::to_string(tries);
    for (auto& [k, ch] : list_)
      if (k == key) return ch;
    ares_channel ch = make(s, retrans, tries, error);
    if (!ch) return nullptr;
    if (list_.size() >= 4) {
      ares_destroy(list_.front().second);
      list_.erase(list_.begin());
    }
    list_.emplace_back(std::move(key), ch);
    return ch;
  }

 private:
  static ares_channel make(const Settings& s, int retrans, int tries, std::string& error) {
    static std::once_flag once;
    std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
    ares_options opts{};
    opts.timeout = retrans;
    opts.tries = tries;
    opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
    ares_channel ch = nullptr;
    int rc = ares_init_options(&ch, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS);
    if (rc != ARES_SUCCESS) {
      error = std::string("cannot initialise the resolver: ") + ares_strerror(rc);
      return nullptr;
    }
    if (!s.servers.empty()) {
      rc = ares_set_servers_ports_csv(ch, servers_csv(s).c_str());
      if (rc != ARES_SUCCESS) {
        error = std::string("cannot set the name servers: ") + ares_strerror(rc);
        ares_destroy(ch);
        return nullptr;
      }
    }
    return ch;
  }

  std::vector<std::pair<std::string, ares_channel>> list_;
};

thread_local Channels tls_channels;

struct CacheEntry {
  Answer answer;
  Clock::time_point expires;
};
thread_local std::unordered_map<std::string, CacheEntry> tls_cache;

struct Exchange {
  bool done = false;
  int status = ARES_ECANCELLED;
  std::string response;
};

void on_response(void* arg, int status, int, unsigned char* abuf, int alen) {
  auto* x = static_cast<Exchange*>(arg);
  x->done = true;
  x->status = status;
  if (abuf && alen > 0) x->response.assign(reinterpret_cast<const char*>(abuf), alen);
}

// Drives the channel until the exchange is over or the deadline passes.
void wait_for(ares_channel ch, Exchange& x, Clock::time_point deadline) {
  while (!x.done) {
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    int bits = ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);
    pollfd pfd[ARES_GETSOCK_MAXNUM];
    nfds_t n = 0;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short ev = 0;
      if (ARES_GETSOCK_READABLE(bits, i)) ev |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(bits, i)) ev |= POLLOUT;
      if (ev) pfd[n++] = {socks[i], ev, 0};
    }
    auto now = Clock::now();
    if (now >= deadline) {
      ares_cancel(ch);
      return;
    }
    timeval tv{}, max{1, 0};
    timeval* t = ares_timeout(ch, &max, &tv);
    long long ms = t->tv_sec * 1000LL + t->tv_usec / 1000 + 1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    int r = poll(pfd, n, static_cast<int>(std::min<long long>(ms, left + 1)));
    if (r < 0 && errno != EINTR) {
      ares_cancel(ch);
      return;
    }
    if (r <= 0) {
      ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      continue;
    }
    for (nfds_t i = 0; i < n; ++i) {
      bool rd = pfd[i].revents & (POLLIN | POLLERR | POLLHUP);
      bool wr = pfd[i].revents & POLLOUT;
      if (rd || wr) {
        ares_process_fd(ch, rd ? pfd[i].fd : ARES_SOCKET_BAD, wr ? pfd[i].fd : ARES_SOCKET_BAD);
      }
    }
  }
}

std::uint16_t random_id() {
  thread_local std::mt19937 gen{std::random_device{}()};
  return static_cast<std::uint16_t>(gen());
}

// One query and its parsed response; false with `error` for a temporary failure.
bool exchange(const Settings& s, const QueryOptions& o, std::string_view name, std::uint16_t type,
              Message& m, std::string& error) {
  const int retrans = effective_retrans(s, o), tries = effective_tries(s, o);
  ares_channel ch = tls_channels.get(s, retrans, tries, error);
  if (!ch) return false;
  QueryFlags f;
  f.want_ad = true;
  if (s.edns0 > 0 || s.dnssec_ok > 0) f.edns_size = 1232;
  f.dnssec_ok = s.dnssec_ok > 0;
  std::string q;
  if (!build_query(name, type, f, random_id(), q)) {
    error = "bad name";
    return false;
  }
  Exchange x;
  ares_send(ch, reinterpret_cast<const unsigned char*>(q.data()), static_cast<int>(q.size()),
            on_response, &x);
  const size_t nservers = std::max<size_t>(s.servers.size(), 1);
  long long budget =
      static_cast<long long>(retrans) * ((1LL << tries) - 1) * static_cast<long long>(nservers) +
      1000;
  wait_for(ch, x, Clock::now() + std::chrono::milliseconds(std::min(budget, 600000LL)));
  if (!x.done) {
    error = "timeout";
    return false;
  }
  if (x.status != ARES_SUCCESS) {
    error = ares_strerror(x.status);
    return false;
  }
  return parse_message(x.response, m, error);
}

// How long a negative answer may be kept: the SOA's minimum, bounded by its TTL (RFC 2308).
std::uint32_t negative_ttl(const Message& m) {
  for (const auto& r : m.authority) {
    if (r.type == kSOA) return std::min(r.ttl, r.num[4]);
  }
  return 0;
}

// Follows CNAMEs for `name` inside the answer section; returns the last name reached.
std::string chain_end(const Message& m, std::string name) {
  for (int i = 0; i < kMaxChain; ++i) {
    auto it = std::find_if(m.answers.begin(), m.answers.end(), [&](const Record& r) {
      return r.type == kCNAME && util::iequals(r.name, name);
    });
    if (it == m.answers.end()) break;
    name = it->host;
  }
  return name;
}

Answer resolve(const Settings& s, const QueryOptions& o, std::string name, std::uint16_t type) {
  Answer a;
  for (int hop = 0;; ++hop) {
    Message m;
    if (!exchange(s, o, name, type, m, a.error)) return a;
    a.name = name;
    a.authenticated = m.authenticated;
    if (m.rcode == kNxDomain) {
      a.outcome = Outcome::NxDomain;
      a.ttl = negative_ttl(m);
      return a;
    }
    if (m.rcode != kNoError) {
      a.error = "server replied with rcode " + std::to_string(m.rcode);
      return a;
    }
    if (m.truncated) {  // c-ares retries over TCP; a cut answer left over is never used
      a.error = "truncated answer";
      return a;
    }
    std::uint32_t ttl = kMaxCacheTtl;
    for (auto& r : m.answers) {
      if (r.type != type) continue;
      ttl = std::min(ttl, r.ttl);
      a.records.push_back(std::move(r));
    }
    if (!a.records.empty()) {
      a.outcome = Outcome::Found;
      a.ttl = ttl;
      return a;
    }
    std::string next = type == kCNAME ? name : chain_end(m, name);
    if (next == name || hop >= s.cname_loops) {
      a.outcome = Outcome::NoData;
      a.ttl = negative_ttl(m);
      return a;
    }
    name = std::move(next);
  }
}

std::string cache_key(const Settings& s, std::string_view name, std::uint16_t type) {
  return servers_csv(s) + "|" + std::to_string(s.dnssec_ok) + "|" + std::to_string(type) + "|" +
         util::to_lower(name);
}

}  // namespace

std::optional<Server> parse_server(std::string_view item) {
  item = util::trim(item);
  std::string_view addr = item, port;
  if (!item.empty() && item.front() == '[') {
    size_t close = item.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    addr = item.substr(1, close - 1);
    std::string_view rest = item.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':' && rest.front() != '.') return std::nullopt;
      port = rest.substr(1);
      if (port.empty()) return std::nullopt;
    }
  } else if (!IpAddress::parse(item)) {
    size_t dot = item.rfind('.');
    if (dot == std::string_view::npos || dot + 1 == item.size()) return std::nullopt;
    addr = item.substr(0, dot);
    port = item.substr(dot + 1);
  }
  auto ip = IpAddress::parse(addr);
  if (!ip) return std::nullopt;
  Server s{ip->unmapped(), 53};
  if (port.empty()) return s;
  if (port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  s.port = std::stoi(std::string(port));
  if (s.port < 1 || s.port > 65535) return std::nullopt;
  return s;
}

std::string server_text(const Server& s) {
  if (s.address.is_v4()) return s.address.str() + ":" + std::to_string(s.port);
  return "[" + s.address.str() + "]:" + std::to_string(s.port);
}

Answer Resolver::query(std::string_view name, std::uint16_t type, const QueryOptions& o) const {
  std::string n(name);
  if (n.size() > 1 && n.back() == '.' && (n.size() < 2 || n[n.size() - 2] != '\\')) n.pop_back();
  if (n.empty()) n = ".";
  const std::string key = cache_key(s_, n, type);
  const auto now = Clock::now();
  if (auto it = tls_cache.find(key); it != tls_cache.end()) {
    if (it->second.expires > now) return it->second.answer;
    tls_cache.erase(it);
  }
  Answer a = resolve(s_, o, n, type);
  if (a.outcome != Outcome::TempFail && a.ttl > 0) {
    if (tls_cache.size() >= kCacheEntries) tls_cache.clear();
    tls_cache[key] = {a, now + std::chrono::seconds(std::min(a.ttl, kMaxCacheTtl))};
  }
  return a;
}

std::string reverse_name(const IpAddress& a) {
  IpAddress u = a.unmapped();
  return u.reverse_labels() + (u.is_v4() ? ".in-addr.arpa" : ".ip6.arpa");
}

void clear_cache() {
  tls_cache.clear();
}

}  // namespace util::dns
