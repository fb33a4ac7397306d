// transports/smtp_pool.h — the smtp transport's idle connections, so that a later delivery to
// the same host carries on down a connection an earlier one left open (Exim's "continued"
// deliveries, spec 30.6 connection_max_messages), here between the threads of one delivery
// process rather than by passing the socket to a new process.
//
// Contract: after a host attempt whose connection is still sound, the transport put()s it,
// with what it negotiated (capabilities, TLS, AUTH) and how many messages it carried, under a
// key naming everything that makes two connections interchangeable: the transport instance,
// host name, IP address and port, the local address bound, helo_data as expanded, and the
// TLS/AUTH policy for the host. take() hands out the most recently idled one for a key, or
// nothing. The caller checks it (smtp_session.cpp: RSET, 250 expected) and connects afresh on
// any doubt, so a stale connection never costs a message anything but a new connection.
//
// Limits: a connection idle longer than `idle` is closed (QUIT) by a reaper thread, started
// with the first put(), or by take(); at most `per_key` idle connections per key and `total`
// in all (the oldest is closed to make room). The destructor QUITs whatever is idle.
// Thread-safe; QUITs are sent outside the lock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "transports/smtp_client.h"
#include "util/line_stream.h"
#include "util/tls_client.h"

namespace transports::smtp {

struct PoolKey {
  std::string transport, host, address;
  int port = 0;
  std::string interface, helo;  // the local address bound ("" for any); helo_data, expanded
  bool try_tls = false, require_tls = false, try_auth = false, require_auth = false;
  auto operator<=>(const PoolKey&) const = default;
};

// An open connection between transactions, with what its session negotiated.
struct IdleConnection {
  util::LineStream stream;
  SmtpCapabilities caps;
  bool tls = false;
  util::TlsSessionInfo tls_info;
  bool authenticated = false;
  std::string authenticator, auth_id;
  int64_t messages = 0;  // messages delivered down it so far
  std::chrono::steady_clock::time_point since{};
};

struct PoolLimits {
  std::chrono::milliseconds idle{5000};
  size_t per_key = 8, total = 64;
};

class ConnectionPool {
 public:
  explicit ConnectionPool(PoolLimits l = {}) : limits_(l) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool();

  std::optional<IdleConnection> take(const PoolKey& k);
  void put(const PoolKey& k, IdleConnection c);
  size_t idle() const;
  // Closes the connections idle for longer than the limit.
  void reap();
  const PoolLimits& limits() const { return limits_; }

 private:
  using Map = std::multimap<PoolKey, IdleConnection>;
  void take_expired(std::vector<IdleConnection>& out);
  void reaper();

  PoolLimits limits_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Map idle_;
  std::thread reaper_;
  bool stop_ = false;
};

// Ends a connection politely: QUIT, a short wait for the reply, close.
void quit_connection(util::LineStream& s);

}  // namespace transports::smtp
