// Tests for util/socket_stream: lines, exact reads, limits, timeouts and errors on a real
// UNIX-domain socket served by a thread.
#include "util/socket_stream.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include "tests/util/unix_server.h"

namespace {

// Reads what the client sends first, answers `reply`; with `stay_silent`, then waits for the
// client to give up.
struct Server : testutil::UnixServer {
  explicit Server(std::string reply, bool stay_silent = false)
      : UnixServer([reply, stay_silent](int c) {
          char buf[64];
          (void)!::read(c, buf, sizeof buf);
          send(c, reply);
          if (stay_silent) (void)!::read(c, buf, sizeof buf);
        }),
        path(UnixServer::path()) {}
  std::string path;
  ~Server() { stop(); }
};

using namespace std::chrono_literals;

}  // namespace

TEST_SUITE("util.socket_stream") {
  TEST_CASE("lines and exact reads") {
    Server s(std::string("one\ntwo\n\0\2OK", 12));
    auto c = util::SocketStream::connect_unix(s.path, 1s);
    REQUIRE(c.ok());
    REQUIRE(c->write_all("hello", 1s).ok());
    CHECK(*c->read_line(100, 1s) == "one");
    CHECK(*c->read_line(100, 1s) == "two");
    CHECK(c->read_exact(4, 1s).value() == std::string("\0\2OK", 4));
    auto end = c->read_line(100, 1s);
    CHECK(!end.ok());
    CHECK(end.error().message == "connection closed");
  }

  TEST_CASE("an over-long line is an error") {
    Server s(std::string(300, 'x') + "\n");
    auto c = util::SocketStream::connect_unix(s.path, 1s);
    REQUIRE(c->write_all("x", 1s).ok());
    auto l = c->read_line(100, 1s);
    REQUIRE(!l.ok());
    CHECK(l.error().message == "line longer than 100 bytes");
  }

  TEST_CASE("a silent server times out instead of hanging") {
    Server s("", true);
    auto c = util::SocketStream::connect_unix(s.path, 1s);
    REQUIRE(c->write_all("x", 1s).ok());
    auto start = std::chrono::steady_clock::now();
    auto l = c->read_line(100, 200ms);
    CHECK(!l.ok());
    CHECK(l.error().message == "timed out");
    CHECK(std::chrono::steady_clock::now() - start < 2s);
  }

  TEST_CASE("connecting to nothing") {
    auto c = util::SocketStream::connect_unix("/nonexistent/sock", 1s);
    REQUIRE(!c.ok());
    CHECK(c.error().message == "connect to /nonexistent/sock failed: No such file or directory");
    CHECK(!util::SocketStream::connect_unix(std::string(200, 'x'), 1s).ok());
  }
}
