// Tests for engine/daemon/session_host: the worker side of a connection, driven by batches
// of events as the event loop sends them; and the session events it relies on
// (smtp_accept_reserve, the TLS client certificate policy, timeouts, SIGTERM).
#include "engine/daemon/session_host.h"

#include <doctest/doctest.h>
#include <poll.h>
#include <stdlib.h>

#include <filesystem>

#include "engine/config/config.h"

using namespace engine::daemon;
using engine::smtp::TlsVerify;

namespace {

constexpr const char* kConfig = R"(
primary_hostname = mx.example.org
domainlist local_domains = example.org
smtp_accept_max = 3
smtp_accept_reserve = 1
smtp_reserve_hosts = 192.0.2.0/24
tls_verify_hosts = 203.0.113.5
tls_try_verify_hosts = 198.51.100.0/24
acl_smtp_rcpt = rcpt
begin acl
rcpt:
  accept domains = +local_domains
         message = verified=$tls_in_certificate_verified dn=$tls_in_peerdn
)";

struct Fixture {
  Fixture() {
    char tmpl[] = "/tmp/facteur-host-XXXXXX";
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
    sh.logger = std::make_unique<engine::Logger>(engine::LogConfig{});  // logs nowhere
  }
  ~Fixture() {
    sh.committer.reset();
    std::filesystem::remove_all(dir);
  }
  std::unique_ptr<SessionHost> host(const std::string& ip, int accept_count = 0) {
    engine::smtp::SessionSettings st;
    st.client_address = ip;
    st.event_loop = true;
    st.tls_can_start = st.tls_available = true;
    st.accept_count = accept_count;
    return std::make_unique<SessionHost>(rt, sh, 7, st);
  }
  static SessionReport feed(SessionHost& h, std::string bytes) {
    SessionInput in;
    in.bytes = std::move(bytes);
    return h.run(std::move(in));
  }
  std::string dir;
  std::shared_ptr<const Runtime> rt;
  DaemonShared sh;
};

SessionReport start(SessionHost& h) {
  SessionInput in;
  in.start = true;
  return h.run(std::move(in));
}

}  // namespace

TEST_SUITE("daemon session_host") {
  TEST_CASE("start, input and QUIT, one batch at a time") {
    Fixture f;
    auto h = f.host("203.0.113.9");
    SessionReport r = start(*h);
    CHECK(r.output.rfind("220 mx.example.org ESMTP", 0) == 0);
    CHECK_FALSE(r.finished);
    r = Fixture::feed(*h, "EHLO c.example\r\n");
    CHECK(r.output.find("250 HELP\r\n") != std::string::npos);
    r = Fixture::feed(*h, "QUIT\r\n");
    CHECK(r.output == "221 mx.example.org closing connection\r\n");
    CHECK(r.finished);
  }

  TEST_CASE("smtp_accept_reserve: the last slot only for smtp_reserve_hosts") {
    Fixture f;
    auto h = f.host("203.0.113.9", 2);
    SessionReport r = start(*h);
    CHECK(r.output ==
          "421 mx.example.org: Too many concurrent SMTP connections; please try again later\r\n");
    CHECK(r.finished);
    CHECK(start(*f.host("192.0.2.7", 2)).output.rfind("220 ", 0) == 0);
    CHECK(start(*f.host("203.0.113.9", 1)).output.rfind("220 ", 0) == 0);
  }

  TEST_CASE("the client certificate policy, before start (TLS on connect) and after STARTTLS") {
    Fixture f;
    auto ask = [&](const std::string& ip) {
      SessionInput in;
      in.tls_policy = true;
      return f.host(ip)->run(std::move(in)).tls_verify;
    };
    CHECK(ask("203.0.113.5") == TlsVerify::Require);
    CHECK(ask("198.51.100.20") == TlsVerify::Try);
    CHECK(ask("192.0.2.7") == TlsVerify::None);
    auto h = f.host("198.51.100.20");
    start(*h);
    Fixture::feed(*h, "EHLO c.example\r\n");
    SessionReport r = Fixture::feed(*h, "STARTTLS\r\nNOOP\r\n");
    CHECK(r.output == "220 TLS go ahead\r\n");
    CHECK(r.tls_pending);
    CHECK(r.tls_verify == TlsVerify::Try);
    SessionInput in;
    in.tls = engine::smtp::TlsInfo{"TLS1.3:TLS_AES_256_GCM_SHA384:256",
                                   "/CN=c.example",
                                   true,
                                   "TLS1.3",
                                   "TLS_AES_256_GCM_SHA384",
                                   256};
    r = h->run(std::move(in));
    CHECK(r.output.empty());  // the NOOP sent in clear is gone
    CHECK_FALSE(r.tls_pending);
    r = Fixture::feed(*h,
                      "EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.org>\r\n");
    CHECK(r.output.find("250 verified=1 dn=/CN=c.example\r\n") != std::string::npos);
  }

  TEST_CASE("a message released to the committer; the 250 waits for the store event") {
    Fixture f;
    auto h = f.host("203.0.113.9");
    start(*h);
    SessionReport r = Fixture::feed(*h,
                                    "EHLO c.example\r\nMAIL FROM:<a@b.example>\r\n"
                                    "RCPT TO:<u@example.org>\r\nDATA\r\n");
    CHECK(r.output.find("354 ") != std::string::npos);
    r = Fixture::feed(*h, "Subject: t\r\n\r\nbody\r\n.\r\nNOOP\r\n");
    CHECK(r.output.empty());
    CHECK(r.store_pending);
    REQUIRE(h->store_waiting());
    CHECK(engine::spool_list_ids(f.sh.layout).empty());  // not before the commit
    h->release_store();
    CHECK_FALSE(h->store_waiting());
    pollfd p{f.sh.events.fd(), POLLIN, 0};
    REQUIRE(::poll(&p, 1, 10000) == 1);
    auto evs = f.sh.events.take();
    REQUIRE(evs.size() == 1);
    CHECK(evs[0].kind == LoopEvent::Kind::StoreDone);
    CHECK(evs[0].serial == 7);
    CHECK(evs[0].ok);
    CHECK(engine::spool_list_ids(f.sh.layout).size() == 1);
    SessionInput in;
    in.store = StoreResult{true, ""};
    r = h->run(std::move(in));
    CHECK(r.output.rfind("250 OK id=", 0) == 0);
    CHECK(r.output.ends_with("250 OK\r\n"));  // the NOOP pipelined after the data
    CHECK_FALSE(r.store_pending);
  }

  TEST_CASE("a message committed on the worker: no event, the 250 follows at once") {
    Fixture f;
    auto h = f.host("203.0.113.9");
    start(*h);
    Fixture::feed(
        *h, "EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.org>\r\nDATA\r\n");
    SessionReport r = Fixture::feed(*h, "Subject: t\r\n\r\nbody\r\n.\r\n");
    CHECK(r.store_pending);
    REQUIRE(h->store_waiting());
    SessionInput in;
    in.store = h->commit_store();
    CHECK(in.store->ok);
    CHECK_FALSE(h->store_waiting());
    CHECK(engine::spool_list_ids(f.sh.layout).size() == 1);
    CHECK(f.sh.events.take().empty());
    r = h->run(std::move(in));
    CHECK(r.output.rfind("250 OK id=", 0) == 0);
  }

  TEST_CASE("timeouts and SIGTERM end the session with Exim's 421s") {
    Fixture f;
    auto h = f.host("203.0.113.9");
    start(*h);
    SessionInput in;
    in.timeout = true;
    SessionReport r = h->run(std::move(in));
    CHECK(r.output == "421 mx.example.org: SMTP command timeout - closing connection\r\n");
    CHECK(r.finished);
    h = f.host("203.0.113.9");
    start(*h);
    Fixture::feed(*h, "EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.org>\r\nDATA\r\n");
    in = SessionInput{};
    in.timeout = true;
    r = h->run(std::move(in));
    CHECK(r.output == "421 mx.example.org SMTP incoming data timeout - closing connection.\r\n");
    h = f.host("203.0.113.9");
    start(*h);
    in = SessionInput{};
    in.shutdown = true;
    r = h->run(std::move(in));
    CHECK(r.output == "421 mx.example.org: Service not available - closing connection\r\n");
    CHECK(r.finished);
  }
}
