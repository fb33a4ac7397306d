// Unit tests of the smtp transport's connection reuse (transports/smtp_pool.h): the pool's
// keys and limits on socket pairs, and deliveries through the transport to the Python sink,
// which logs connections, RSETs and QUITs (--events): a second message carries on down the
// first one's connection, a refused RSET or a closed connection costs only a new connection,
// connection_max_messages ends a connection.
#include <doctest/doctest.h>
#include <sys/socket.h>

#include <fstream>
#include <thread>

#include "tests/transports/peer.h"
#include "transports/smtp_pool.h"

using namespace transport_test;
using transports::smtp::ConnectionPool;
using transports::smtp::IdleConnection;
using transports::smtp::PoolKey;
using transports::smtp::PoolLimits;

namespace {

// One end of a socket pair as a pooled connection; the other end is returned in `peer`.
IdleConnection pair_connection(int& peer, int64_t messages = 1) {
  int fds[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
  IdleConnection c;
  int other = dup(fds[0]);
  c.stream = util::LineStream::from_fds(fds[0], other);
  c.messages = messages;
  peer = fds[1];
  return c;
}

std::string peer_read(int fd) {
  char buf[256];
  ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

PoolKey key(std::string host, int port = 25) {
  PoolKey k;
  k.transport = "t";
  k.host = host;
  k.address = "192.0.2.1";
  k.port = port;
  k.helo = "mx.example.net";
  return k;
}

std::string events(const fs::path& file) {
  std::ifstream in(file);
  std::string all, line;
  while (std::getline(in, line)) all += line + " ";
  return all;
}

std::string sink_conf(int port, const std::string& extra = "") {
  return "t:\n  driver = smtp\n  hosts = 127.0.0.1\n  port = " + std::to_string(port) +
         "\n  allow_localhost\n" + extra;
}

transports::Delivery send_one(Harness& h, const std::string& local) {
  return h.run({address(local, "example.net")}, test_envelope(), "x\n");
}

}  // namespace

TEST_SUITE("transports.smtp_pool") {
  TEST_CASE("keys: a connection goes only to a delivery with the same key") {
    ConnectionPool pool;
    int peer = -1;
    pool.put(key("a.example"), pair_connection(peer, 3));
    CHECK(pool.idle() == 1);
    CHECK_FALSE(pool.take(key("b.example")));
    CHECK_FALSE(pool.take(key("a.example", 26)));
    PoolKey other_helo = key("a.example");
    other_helo.helo = "other.example";
    CHECK_FALSE(pool.take(other_helo));
    PoolKey tls = key("a.example");
    tls.try_tls = true;
    CHECK_FALSE(pool.take(tls));
    auto c = pool.take(key("a.example"));
    REQUIRE(c);
    CHECK(c->messages == 3);
    CHECK(pool.idle() == 0);
    CHECK_FALSE(pool.take(key("a.example")));
    close(peer);
  }

  TEST_CASE("limits: per key and in all, the oldest is closed with QUIT") {
    ConnectionPool pool(PoolLimits{std::chrono::milliseconds(60000), 2, 3});
    int p1 = -1, p2 = -1, p3 = -1, p4 = -1;
    pool.put(key("a.example"), pair_connection(p1));
    pool.put(key("a.example"), pair_connection(p2));
    pool.put(key("a.example"), pair_connection(p3));
    CHECK(pool.idle() == 2);
    CHECK(peer_read(p1) == "QUIT\r\n");
    pool.put(key("b.example"), pair_connection(p4));
    CHECK(pool.idle() == 3);
    int p5 = -1;
    pool.put(key("c.example"), pair_connection(p5));
    CHECK(pool.idle() == 3);
    CHECK(peer_read(p2) == "QUIT\r\n");
    for (int fd : {p1, p2, p3, p4, p5}) close(fd);
  }

  TEST_CASE("idle expiry: the reaper QUITs a connection idle too long") {
    ConnectionPool pool(PoolLimits{std::chrono::milliseconds(100), 8, 64});
    int peer = -1;
    pool.put(key("a.example"), pair_connection(peer));
    CHECK(pool.idle() == 1);
    for (int i = 0; i < 100 && pool.idle() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(pool.idle() == 0);
    CHECK(peer_read(peer) == "QUIT\r\n");
    close(peer);
  }

  TEST_CASE("delivery: the second message carries on down the first one's connection") {
    TempDir dir;
    fs::create_directory(dir / "store");
    Peer sink(sink_args({"--store", dir / "store", "--events", dir / "events"}));
    {
      Harness h(sink_conf(sink.port()));
      std::string host = "127.0.0.1 [127.0.0.1]:" + std::to_string(sink.port());
      auto d1 = send_one(h, "bob");
      CHECK(outcome_text(d1.results[0]) == "ok");
      CHECK(d1.results[0].host == host);
      auto d2 = send_one(h, "carol");
      CHECK(outcome_text(d2.results[0]) == "ok");
      CHECK(d2.results[0].host == host + "*");
      CHECK(events(dir / "events") == "connect message rset message ");
    }
    CHECK(events(dir / "events") == "connect message rset message quit ");
    CHECK(stored_messages(dir / "store").size() == 2);
  }

  TEST_CASE("delivery: a refused RSET or a closed connection costs a new connection only") {
    TempDir dir;
    Peer refuse(sink_args({"--rset-reply", "421", "--events", dir / "e1"}));
    Harness h(sink_conf(refuse.port()));
    CHECK(outcome_text(send_one(h, "bob").results[0]) == "ok");
    auto d = send_one(h, "carol");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(d.results[0].host.back() != '*');
    CHECK(events(dir / "e1") == "connect message rset connect message ");

    Peer closing(sink_args({"--one-message", "--events", dir / "e2"}));
    Harness h2(sink_conf(closing.port()));
    CHECK(outcome_text(send_one(h2, "bob").results[0]) == "ok");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // The sink closes the connection only when the next command arrives: RSET is answered by
    // the end of the connection, and the message goes down a new one.
    CHECK(outcome_text(send_one(h2, "carol").results[0]) == "ok");
    CHECK(outcome_text(send_one(h2, "dave").results[0]) == "ok");
    CHECK(events(dir / "e2") == "connect message connect message connect message ");
  }

  TEST_CASE("delivery: connection_max_messages ends a connection") {
    TempDir dir;
    Peer sink(sink_args({"--events", dir / "events"}));
    Harness h(sink_conf(sink.port(), "  connection_max_messages = 2\n"));
    for (const char* who : {"a", "b", "c"})
      CHECK(outcome_text(send_one(h, who).results[0]) == "ok");
    CHECK(events(dir / "events") == "connect message rset message quit connect message ");
  }
}
