// Tests for engine/daemon/connection: a connection on one end of a socketpair, its session on
// a real worker pool, and a small loop standing in for the daemon's (events from the queue,
// readiness of the socket). Checks the order of replies, one piece of work at a time, the
// quiet completions, the worker's own turns (its commit, its reads), timeouts and SIGTERM.
#include "engine/daemon/connection.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include "engine/config/config.h"

using namespace engine::daemon;

namespace {

constexpr const char* kConfig = R"(
primary_hostname = mx.example.org
domainlist local_domains = example.org
acl_smtp_rcpt = rcpt
begin acl
rcpt:
  accept domains = +local_domains
)";

struct Fixture {
  Fixture() : pool(2) {
    char tmpl[] = "/tmp/facteur-conn-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    dir = tmpl;
    auto c = engine::config::read_string(kConfig, "test.conf");
    REQUIRE(c.ok());
    auto a = engine::acl::load(*c);
    REQUIRE(a.ok());
    rt = std::make_shared<const Runtime>(std::move(c.value()), std::move(a.value()));
    sh.layout.directory = dir;
    REQUIRE(engine::spool_make_dirs(sh.layout));
    sh.committer = std::make_unique<engine::SpoolCommitter>();
    sh.logger = std::make_unique<engine::Logger>(engine::LogConfig{});
    int sv[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
    client = sv[1];
    engine::smtp::SessionSettings st;
    st.client_address = "203.0.113.9";
    st.event_loop = true;
    conn =
        std::make_unique<Connection>(sv[0], 1, std::make_unique<SessionHost>(rt, sh, 1, st),
                                     nullptr, false, 300, ConnectionEnv{pool, sh}, "203.0.113.9");
  }
  ~Fixture() {
    pool.stop();
    conn.reset();
    ::close(client);
    sh.committer.reset();
    std::filesystem::remove_all(dir);
  }

  // One turn of a loop like the daemon's; true when something happened.
  bool turn(int ms) {
    pollfd p[2] = {{sh.events.fd(), POLLIN, 0},
                   {conn->fd(),
                    static_cast<short>((conn->wants_read() ? POLLIN : 0) |
                                       (conn->wants_write() ? POLLOUT : 0)),
                    0}};
    int n = ::poll(p, 2, ms);
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) conn->on_readable();
    if (p[1].revents & POLLOUT) conn->on_writable();
    for (LoopEvent& ev : sh.events.take()) {  // quiet completions too, as the daemon does
      ++events;
      if (ev.kind == LoopEvent::Kind::WorkDone) {
        conn->work_done();
      } else {
        ++store_events;
        conn->store_done({ev.ok, ev.error});
      }
    }
    return n > 0;
  }
  // Runs the loop until the client has read a line starting with `prefix` (or 10 s).
  std::string until(const std::string& prefix) {
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < end) {
      char buf[4096];
      ssize_t n = ::recv(client, buf, sizeof buf, 0);
      if (n > 0) got.append(buf, static_cast<size_t>(n));
      size_t at = got.find("\r\n" + prefix);
      if (got.rfind(prefix, 0) == 0 || at != std::string::npos) {
        size_t eol = got.find("\r\n", at == std::string::npos ? 0 : at + 2);
        if (eol != std::string::npos) return got;
      }
      turn(20);
    }
    return got;
  }
  void send(const std::string& s) { REQUIRE(::send(client, s.data(), s.size(), 0) > 0); }
  // Banner, envelope and DATA, up to the 354 (then forgotten).
  void up_to_data() {
    conn->start();
    until("220 ");
    send("EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.org>\r\nDATA\r\n");
    until("354 ");
    got.clear();
  }

  std::string dir;
  std::shared_ptr<const Runtime> rt;
  DaemonShared sh;
  WorkerPool pool;
  int client = -1;
  std::unique_ptr<Connection> conn;
  std::string got;
  int events = 0;
  int store_events = 0;
};

}  // namespace

TEST_SUITE("daemon connection") {
  TEST_CASE("banner, pipelined commands answered in order, QUIT at once") {
    Fixture f;
    f.conn->start();
    CHECK(f.until("220 ").rfind("220 mx.example.org ESMTP", 0) == 0);
    f.send("EHLO c.example\r\n");
    f.until("250 HELP");
    f.got.clear();
    f.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.org>\r\n");
    f.send("RCPT TO:<v@example.org>\r\nRSET\r\n");
    CHECK(f.until("250 Reset OK") == "250 OK\r\n250 Accepted\r\n250 Accepted\r\n250 Reset OK\r\n");
    f.got.clear();
    f.send("QUIT\r\n");
    CHECK(f.until("221 ") == "221 mx.example.org closing connection\r\n");
    for (int i = 0; i < 50 && !f.conn->done(); ++i) f.turn(10);
    CHECK(f.conn->done());
  }

  TEST_CASE("a message: the 250 after the commit, the next command after it") {
    Fixture f;
    f.up_to_data();
    f.send("Subject: t\r\n\r\nbody\r\n.\r\nNOOP\r\n");
    std::string out = f.until("250 OK\r\n");
    CHECK(out.rfind("250 OK id=", 0) == 0);
    CHECK(out.ends_with("\r\n250 OK\r\n"));
    CHECK(engine::spool_list_ids(f.sh.layout).size() == 1);
  }

  TEST_CASE("a quick client is read by the worker, a slow one by the loop") {
    Fixture f;
    f.conn->start();
    // The worker sends the banner and keeps the input: the loop does not poll for it.
    CHECK(f.conn->busy());
    CHECK_FALSE(f.conn->wants_read());
    f.until("220 ");
    f.send("EHLO c.example\r\n");  // within the worker's poll
    f.until("250 HELP");
    // Nothing more comes: the poll expires, the connection goes back to the loop and stays
    // there (the client was slow once).
    for (int i = 0; i < 100 && f.conn->busy(); ++i) f.turn(10);
    CHECK_FALSE(f.conn->busy());
    CHECK(f.conn->wants_read());
    f.got.clear();
    f.send("NOOP\r\n");
    CHECK(f.until("250 OK") == "250 OK\r\n");
    CHECK(f.conn->wants_read());  // read by the loop, even while the worker runs
    f.send("QUIT\r\n");
    f.until("221 ");
  }

  TEST_CASE("the worker commits the message itself: no commit event for the loop") {
    Fixture f;
    f.up_to_data();
    f.send("Subject: t\r\n\r\nbody\r\n.\r\n");
    CHECK(f.until("250 OK id=").rfind("250 OK id=", 0) == 0);
    CHECK(f.store_events == 0);
    CHECK(engine::spool_list_ids(f.sh.layout).size() == 1);
  }

  TEST_CASE("receive timeout and SIGTERM: the session's 421, then closed") {
    Fixture f;
    f.conn->start();
    f.until("220 ");
    for (int i = 0; i < 50 && f.conn->busy(); ++i) f.turn(10);  // the quiet completion
    CHECK(f.conn->waits_for_client());
    f.conn->on_timeout();
    CHECK(f.until("421 ").ends_with(
        "421 mx.example.org: SMTP command timeout - closing connection\r\n"));
    for (int i = 0; i < 50 && !f.conn->done(); ++i) f.turn(10);
    CHECK(f.conn->done());
    Fixture g;
    g.conn->start();
    g.until("220 ");
    g.conn->shut_down();
    CHECK(g.until("421 ").ends_with(
        "421 mx.example.org: Service not available - closing connection\r\n"));
  }

  TEST_CASE("the peer going away ends the connection") {
    Fixture f;
    f.conn->start();
    f.until("220 ");
    ::shutdown(f.client, SHUT_WR);
    for (int i = 0; i < 200 && !f.conn->done(); ++i) f.turn(10);
    CHECK(f.conn->done());
    CHECK(f.until("421 ").find("lost input connection") != std::string::npos);
  }
}
