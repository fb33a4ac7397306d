// Tests for engine/smtp/session_auth: AUTH through the real authenticators — variables,
// Exim's log line with $authenticated_fail_id, no password in any log, replies paced to a
// constant time, PLAIN's fields and '*' (T-AUTH-2), authentication forgotten after STARTTLS
// (T-TLS-6), AUTH= and server_mail_auth_condition, and a brute-force client slowed and dropped
// by ratelimit (T-AUTH-5).
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>

#include "tests/authenticators/auth_fixture.h"

using namespace engine::smtp;
using authtest::b64;

namespace {

const std::string kConf = R"(
primary_hostname = mx.example.org
acl_smtp_auth = auth
acl_smtp_rcpt = rcpt
begin acl
auth:
  drop    message = too many failed authentications
          condition = ${if eq{$authentication_failed}{1}}
          ratelimit = 2 / 1h / per_cmd / strict / authfail-$sender_host_address
  accept
rcpt:
  accept  authenticated = plain
  deny    message = relay not permitted
begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${if eq{$auth3}{s3cret}}
  server_set_id = $auth2
  server_mail_auth_condition = ${if eq{$authenticated_sender}{ok@example.org}}
)";

// A spool of its own, for the ratelimit hints of each test.
struct TempSpool {
  TempSpool() {
    char tmpl[] = "/tmp/facteur-auth-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempSpool() { std::filesystem::remove_all(path); }
  std::string path;
};

struct Harness {
  explicit Harness(SessionSettings st = {}, const std::string& conf = kConf)
      : f("spool_directory = " + spool.path + "\n" + conf) {
    auto a = engine::acl::load(*f.cfg);
    REQUIRE(a.ok());
    acls = std::make_unique<engine::acl::AclSet>(std::move(a.value()));
    if (st.client_address.empty()) st.client_address = "203.0.113.5";
    services = std::make_unique<authtest::LoggingServices>(*f.cfg);
    session = std::make_unique<Session>(*f.cfg, *acls, *services, st);
    session->start();
    (void)session->take_output();
  }
  std::string run(std::string_view in) {
    session->feed(in);
    return session->take_output();
  }
  std::string var(const char* name) {
    std::string v;
    session->variables().get(name, v);
    return v;
  }
  std::string logs() {
    std::string all;
    for (const auto& l : services->lines) all += l + "\n";
    return all;
  }
  TempSpool spool;
  authtest::Fixture f;
  std::unique_ptr<engine::acl::AclSet> acls;
  std::unique_ptr<authtest::LoggingServices> services;
  std::unique_ptr<Session> session;
};

SessionSettings checking() {
  SessionSettings st;
  st.host_checking = true;
  return st;
}

const std::string kGood = "AUTH PLAIN " + b64(std::string("\0alice\0s3cret", 13)) + "\r\n";
const std::string kBad = "AUTH PLAIN " + b64(std::string("\0alice\0hunter2", 14)) + "\r\n";

}  // namespace

TEST_SUITE("engine.smtp.session_auth") {
  TEST_CASE("success: variables, protocol, relay allowed") {
    Harness h(checking());
    CHECK(h.run("EHLO c.example\r\n").find("250-AUTH PLAIN\r\n") != std::string::npos);
    CHECK(h.run(kGood) == "235 Authentication succeeded\r\n");
    CHECK(h.var("authenticated_id") == "alice");
    CHECK(h.var("sender_host_authenticated") == "plain");
    CHECK(h.var("received_protocol") == "esmtpa");
    CHECK(h.var("auth3").empty());  // $auth<n> only live during the dialogue
    CHECK(h.session->authenticated_by() == "plain");
    CHECK(h.run("MAIL FROM:<a@b.example>\r\nRCPT TO:<x@remote.example>\r\n") ==
          "250 OK\r\n250 Accepted\r\n");
    CHECK(h.run(kGood).rfind("503", 0) == 0);  // already authenticated
  }

  TEST_CASE("failure: the log line, $authenticated_fail_id, no password anywhere") {
    // Protocol errors are logged only with +smtp_protocol_error, as in Exim.
    Harness h(checking(), "log_selector = +smtp_protocol_error\n" + kConf);
    h.run("EHLO c.example\r\n");
    CHECK(h.run(kBad) == "535 Incorrect authentication data\r\n");
    CHECK(h.var("authenticated_fail_id") == "alice");
    CHECK(h.var("authentication_failed") == "1");
    CHECK(h.logs().find("plain authenticator failed for (c.example) [203.0.113.5]: 535 "
                        "Incorrect authentication data (set_id=alice)") != std::string::npos);
    h.run("MAIL FROM:<a@b.example>\r\nAUTH PLAIN " + b64(std::string("\0x\0hunter2", 10)) + "\r\n");
    std::string logs = h.logs();
    CHECK(logs.find("hunter2") == std::string::npos);
    CHECK(logs.find(b64(std::string("\0x\0hunter2", 10))) == std::string::npos);
    CHECK(logs.find("\"AUTH PLAIN ****\"") != std::string::npos);
  }

  TEST_CASE("an id with control characters is escaped (T-SPOOL-1)") {
    Harness h(checking());
    h.run("EHLO c.example\r\n");
    h.run("AUTH PLAIN " + b64(std::string("\0al\r\nice\0s3cret", 15)) + "\r\n");
    CHECK(h.var("authenticated_id") == "al\\015\\012ice");
  }

  // T-AUTH-2, with Exim's policy (spec 34.3): the first three NUL-separated fields are $auth1
  // (authzid), $auth2 (authcid), $auth3 (password); more are ignored. The authzid is never
  // the identity: only server_set_id (here $auth2) sets $authenticated_id.
  TEST_CASE("PLAIN with 1, 3 or 10 fields; authzid; 8-bit names (T-AUTH-2)") {
    auto auth = [](std::string_view clear) { return "AUTH PLAIN " + b64(clear) + "\r\n"; };
    using namespace std::string_literals;
    {
      Harness h(checking());
      h.run("EHLO c.example\r\n");
      CHECK(h.run(auth("alice")) == "535 Incorrect authentication data\r\n");
      CHECK(h.run(auth("\0alice\0wrong\0s3cret\0\0\0\0\0\0\0"s)) ==
            "535 Incorrect authentication data\r\n");  // 10 fields, the 3rd is the password
      CHECK(h.var("authenticated_id").empty());
    }
    {
      Harness h(checking());
      h.run("EHLO c.example\r\n");
      CHECK(h.run(auth("\0alice\0s3cret\0x\0x\0x\0x\0x\0x\0x"s)) ==
            "235 Authentication succeeded\r\n");  // as Exim: the extra fields are ignored
      CHECK(h.var("authenticated_id") == "alice");
    }
    {
      Harness h(checking());
      h.run("EHLO c.example\r\n");
      CHECK(h.run(auth("mallory\0alice\0s3cret"s)) == "235 Authentication succeeded\r\n");
      CHECK(h.var("authenticated_id") == "alice");  // not the authzid
      h.run("MAIL FROM:<a@b.example>\r\n");
      CHECK(h.session->transaction().auth_sender.empty());
    }
    {
      Harness h(checking());
      h.run("EHLO c.example\r\n");
      CHECK(h.run(auth("\0\xc3\xa5lice\xff\0s3cret"s)) == "235 Authentication succeeded\r\n");
      CHECK(h.var("authenticated_id") == "\\303\\245lice\\377");  // printable, as Exim
    }
  }

  TEST_CASE("'*' cancels the exchange: 501 and a fresh start (T-AUTH-2)") {
    Harness h(checking());
    h.run("EHLO c.example\r\n");
    CHECK(h.run("AUTH PLAIN\r\n") == "334 \r\n");
    CHECK(h.run("*\r\n") == "501 Authentication cancelled\r\n");
    CHECK(h.var("auth1").empty());
    CHECK(h.var("authenticated_fail_id").empty());
    CHECK(h.session->authenticated_by().empty());
    CHECK(h.run("NOOP\r\n") == "250 OK\r\n");  // the next line is a command again
    CHECK(h.run(kGood) == "235 Authentication succeeded\r\n");
    CHECK(h.var("authenticated_id") == "alice");
  }

  TEST_CASE("replies are paced to a constant time") {
    Harness h;  // not host checking: the pacing applies
    h.run("EHLO c.example\r\n");
    for (const std::string* in : {&kBad, &kGood}) {
      auto start = std::chrono::steady_clock::now();
      h.run(*in);
      CHECK(std::chrono::steady_clock::now() - start >= Session::kAuthDuration);
    }
  }

  TEST_CASE("STARTTLS forgets the authentication (T-TLS-6)") {
    SessionSettings st = checking();
    st.tls_can_start = true;
    Harness h(st);
    h.run("EHLO c.example\r\n");
    h.run(kGood);
    CHECK(h.run("STARTTLS\r\n").rfind("220", 0) == 0);
    h.session->tls_started(
        {"TLS1.3:TLS_AES_256_GCM_SHA384:256", "", false, "TLS1.3", "TLS_AES_256_GCM_SHA384", 256});
    CHECK(h.session->authenticated_by().empty());
    CHECK(h.var("authenticated_id").empty());
    h.run("EHLO c.example\r\n");
    CHECK(h.var("received_protocol") == "esmtps");
    CHECK(h.run("MAIL FROM:<a@b.example>\r\nRCPT TO:<x@remote.example>\r\n") ==
          "250 OK\r\n550 relay not permitted\r\n");
  }

  TEST_CASE("AUTH= is kept only when server_mail_auth_condition allows it") {
    Harness h(checking());
    h.run("EHLO c.example\r\n");
    h.run(kGood);
    h.run("MAIL FROM:<a@b.example> AUTH=ok@example.org\r\n");
    CHECK(h.session->transaction().auth_sender == "ok@example.org");
    h.run("RSET\r\nMAIL FROM:<a@b.example> AUTH=other@example.org\r\n");
    CHECK(h.session->transaction().auth_sender.empty());
    CHECK(h.var("authenticated_sender").empty());
  }

  TEST_CASE("AUTH not advertised: refused before any check (T-TLS-5)") {
    Harness h(checking(), "auth_advertise_hosts = ${if eq{$tls_cipher}{}{}{*}}\n" + kConf);
    CHECK(h.run("EHLO c.example\r\n").find("AUTH") == std::string::npos);
    CHECK(h.run(kGood) == "503 AUTH command used when not advertised\r\n");
    CHECK(h.logs().find("authenticator failed") == std::string::npos);
  }

  TEST_CASE("a brute-force client is dropped after repeated failures (T-AUTH-5)") {
    Harness h(checking());
    h.run("EHLO c.example\r\n");
    std::string out;
    for (int i = 0; i < 6 && !h.session->finished(); ++i) out += h.run(kBad);
    // The ratelimit counts from the second failure (the first AUTH has no failure behind
    // it): rates 1.0, 1.99..., then 2.99... reaches the limit of 2, as Exim computes them.
    CHECK(out ==
          "535 Incorrect authentication data\r\n535 Incorrect authentication data\r\n"
          "535 Incorrect authentication data\r\n503 too many failed authentications\r\n");
    CHECK(h.session->finished());
  }
}
