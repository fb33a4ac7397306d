// Tests for authenticators/dovecot against a scripted auth-client socket, for the replies a
// real Dovecot does not give on demand (T-AUTH-4: nologin, proxy, temp_fail, missing user=,
// another request's id, over-long lines, the wrong kind of socket). The end-to-end test
// (tests/e2e/auth_test.py) goes through a real Dovecot.
#include <doctest/doctest.h>
#include <unistd.h>

#include "tests/authenticators/auth_fixture.h"
#include "tests/util/unix_server.h"

using authenticators::ServerOutcome;
using authtest::b64;

namespace {

const char* kHandshake =
    "VERSION\t1\t2\nMECH\tPLAIN\tplaintext\nMECH\tLOGIN\tplaintext\nSPID\t1\nCUID\t1\n"
    "COOKIE\t00\nDONE\n";

// A one-connection auth socket: sends `greeting`, then answers each line it reads with the
// next entry of `replies` (after the client's VERSION and CPID lines).
struct FakeDovecot : testutil::UnixServer {
  FakeDovecot(std::string greeting, std::vector<std::string> replies)
      : UnixServer([this, greeting, replies](int fd) { serve(fd, greeting, replies); },
                   "auth-client"),
        path(UnixServer::path()) {}
  void serve(int fd, const std::string& greeting, const std::vector<std::string>& replies) {
    send(fd, greeting);
    std::string buf;
    size_t answered = 0;
    char c[4096];
    while (answered < replies.size()) {
      ssize_t n = ::read(fd, c, sizeof c);
      if (n <= 0) return;
      buf.append(c, static_cast<size_t>(n));
      for (size_t lf; (lf = buf.find('\n')) != std::string::npos;) {
        std::string line = buf.substr(0, lf);
        buf.erase(0, lf + 1);
        received.push_back(line);
        bool hello = line.rfind("VERSION", 0) == 0 || line.rfind("CPID", 0) == 0;
        if (!hello && answered < replies.size()) send(fd, replies[answered++]);
      }
    }
  }
  std::string path;
  std::vector<std::string> received;
  ~FakeDovecot() { stop(); }
};

std::string conf(const std::string& socket) {
  return "primary_hostname = mx.example.org\nbegin authenticators\n"
         "dplain:\n  driver = dovecot\n  public_name = PLAIN\n  server_socket = " +
         socket +
         "\n  server_set_id = $auth1\n"
         "dlogin:\n  driver = dovecot\n  public_name = LOGIN\n  server_socket = " +
         socket + "\n  server_condition = ${if eq{$auth1}{carol}{no}{yes}}\n";
}

authenticators::ServerReply plain(const std::string& greeting, const std::string& reply,
                                  std::vector<std::string>* received = nullptr) {
  FakeDovecot d(greeting, {reply});
  authtest::Fixture f(conf(d.path));
  f.vars->set("sender_host_address", "192.0.2.9");
  f.vars->set("sender_host_port", "4242");
  auto r = f.get("dplain").server_start(f.ctx)->step(b64(std::string("\0u\0p", 4)), true);
  if (received) *received = d.received;
  return r;
}

}  // namespace

TEST_SUITE("authenticators.dovecot") {
  TEST_CASE("OK succeeds; the request carries service, addresses and resp= last") {
    std::vector<std::string> got;
    auto r = plain(kHandshake, "OK\t1\tuser=alice\n", &got);
    CHECK(r.outcome == ServerOutcome::Ok);
    REQUIRE(got.size() == 3);
    CHECK(got[0] == "VERSION\t1\t2");
    CHECK(got[1].rfind("CPID\t", 0) == 0);
    CHECK(got[2] == "AUTH\t1\tPLAIN\tservice=smtp\trip=192.0.2.9\trport=4242\tresp=" +
                        b64(std::string("\0u\0p", 4)));
  }

  TEST_CASE("nologin and proxy are failures (T-AUTH-4)") {
    CHECK(plain(kHandshake, "OK\t1\tuser=dave\tnologin\treason=Account_suspended\n").outcome ==
          ServerOutcome::Fail);
    CHECK(plain(kHandshake, "OK\t1\tuser=erin\tproxy\thost=127.0.0.2\n").outcome ==
          ServerOutcome::Fail);
  }

  TEST_CASE("FAIL, temp_fail, and replies that make no sense") {
    CHECK(plain(kHandshake, "FAIL\t1\tuser=alice\n").outcome == ServerOutcome::Fail);
    CHECK(plain(kHandshake, "FAIL\t1\tcode=temp_fail\treason=db down\n").outcome ==
          ServerOutcome::TempFail);
    CHECK(plain(kHandshake, "OK\t1\n").outcome == ServerOutcome::Defer);              // no user=
    CHECK(plain(kHandshake, "OK\t7\tuser=alice\n").outcome == ServerOutcome::Defer);  // id
    CHECK(plain(kHandshake, "WHAT\t1\n").outcome == ServerOutcome::Defer);
    CHECK(plain(kHandshake, "CONT\t1\tnot base64\r\n").outcome == ServerOutcome::Defer);
    CHECK(plain(kHandshake, std::string(20000, 'x') + "\n").outcome == ServerOutcome::Defer);
  }

  TEST_CASE("the wrong kind of socket, a wrong version, a missing mechanism") {
    auto r = plain("VERSION\t1\t1\nSPID\t12\n", "");
    CHECK(r.outcome == ServerOutcome::Defer);
    CHECK(r.log.find("not an auth-client socket") != std::string::npos);
    CHECK(plain("VERSION\t2\t0\nDONE\n", "").outcome == ServerOutcome::Defer);
    r = plain("VERSION\t1\t2\nMECH\tLOGIN\nDONE\n", "");
    CHECK(r.log.find("does not offer PLAIN") != std::string::npos);
  }

  TEST_CASE("a missing socket is a temporary failure") {
    authtest::Fixture f(conf("/nonexistent/auth-client"));
    auto r = f.get("dplain").server_start(f.ctx)->step("", true);
    CHECK(r.outcome == ServerOutcome::Defer);
  }

  TEST_CASE("LOGIN challenges are relayed; server_condition applies after OK") {
    FakeDovecot d(kHandshake,
                  {"CONT\t1\tVXNlcm5hbWU6\n", "CONT\t1\tUGFzc3dvcmQ6\n", "OK\t1\tuser=carol\n"});
    authtest::Fixture f(conf(d.path));
    auto dia = f.get("dlogin").server_start(f.ctx);
    CHECK(dia->step("", true).challenge == "VXNlcm5hbWU6");
    CHECK(dia->step(b64("carol"), false).challenge == "UGFzc3dvcmQ6");
    CHECK(dia->step(b64("pw"), false).outcome == ServerOutcome::Fail);  // server_condition
    CHECK(f.ctx.item_vars["auth1"] == "carol");
  }

  TEST_CASE("client data that is not base64 never reaches the socket") {
    authtest::Fixture f(conf("/nonexistent/auth-client"));
    auto r = f.get("dplain").server_start(f.ctx)->step("AAAA\tresp=x", true);
    CHECK(r.outcome == ServerOutcome::Bad64);
  }
}
