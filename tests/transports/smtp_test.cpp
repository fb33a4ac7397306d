// Unit tests of the smtp transport against real peers: the Python sink (pipelining, replies
// at every step, timeouts, lost connections, STARTTLS with test certificates, AUTH through a
// client authenticator) and a second facteur daemon with STARTTLS.
#include <doctest/doctest.h>

#include <glob.h>

#include "engine/spool.h"
#include "tests/transports/peer.h"
#include "transports/smtp_hosts.h"

using namespace transport_test;
using transports::ErrorKind;
using transports::Outcome;
using transports::RetryScope;

namespace {

std::string smtp_conf(int port, const std::string& extra = "") {
  return "t:\n  driver = smtp\n  hosts = 127.0.0.1\n  port = " + std::to_string(port) +
         "\n  allow_localhost\n  tls_verify_certificates =\n" + extra;
}

std::vector<transports::DeliveryAddress> addresses(std::vector<std::string> locals) {
  std::vector<transports::DeliveryAddress> out;
  for (auto& l : locals) out.push_back(address(l, "example.net"));
  return out;
}

// A plaintext client authenticator (authenticators/plaintext.cpp) sending `user`/`pass`.
// client_condition is set so that it may send the password without TLS to the test sink.
std::string plain_auth(const std::string& user, const std::string& pass) {
  return "begin authenticators\nplain:\n  driver = plaintext\n  public_name = PLAIN\n"
         "  client_send = ^" +
         user + "^" + pass +
         "\n  client_condition = yes\n"
         "  client_set_id = " +
         user + "\n";
}

}  // namespace

TEST_SUITE("transports.smtp") {
  TEST_CASE("host lists: names, addresses, ports, groups") {
    auto h = transports::parse_host_list(
        "a.example : [127.0.0.1]::2525 : b.example::26 : "
        "192.0.2.1 : + : c.example",
        false);
    REQUIRE(h.ok());
    REQUIRE(h->size() == 5);
    CHECK((*h)[0] == transports::Host{"a.example", "", -1, -1});
    CHECK((*h)[1] == transports::Host{"127.0.0.1", "127.0.0.1", 2525, -1});
    CHECK((*h)[2] == transports::Host{"b.example", "", 26, -1});
    CHECK((*h)[3] == transports::Host{"192.0.2.1", "192.0.2.1", -1, -1});
    CHECK((*h)[4].name == "c.example");
    auto v6 = transports::parse_host_list("<; [::1]:25 ; ::1", false);
    REQUIRE(v6.ok());
    CHECK((*v6)[1].address == "::1");
    CHECK_FALSE(transports::parse_host_list("host::99999", false).ok());
    auto r = transports::resolve_hosts({{"localhost", "", -1, -1}}, nullptr);
    CHECK_FALSE(r.hosts.empty());
  }

  TEST_CASE("pipelined delivery of several recipients, with per-recipient replies") {
    TempDir dir;
    fs::create_directory(dir / "store");
    Peer sink(sink_args({"--store", dir / "store"}));
    Harness h(smtp_conf(sink.port()));
    std::vector<std::string> debug;
    h.services.debug = [&](std::string_view l) { debug.emplace_back(l); };
    CHECK_FALSE(h.transport->is_local());
    auto d = h.run(addresses({"bob", "reject", "tempfail", "carol"}), test_envelope(),
                   ".starts with a dot\nend\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(d.results[0].confirmation == "250 OK id=sink1");
    CHECK(d.results[0].host == "127.0.0.1 [127.0.0.1]:" + std::to_string(sink.port()));
    CHECK(outcome_text(d.results[1]) ==
          "fail: SMTP error from remote mail server after RCPT TO:<reject@example.net>: 550 "
          "5.1.1 <reject@example.net> unknown user");
    CHECK(outcome_text(d.results[2])
              .rfind("defer: SMTP error from remote mail server after "
                     "RCPT TO:<tempfail@example.net>: 451",
                     0) == 0);
    CHECK(d.results[2].retry == RetryScope::Address);
    CHECK(d.results[2].error == ErrorKind::Rcpt4xx);
    CHECK(outcome_text(d.results[3]) == "ok");
    REQUIRE(d.hosts.size() == 1);
    CHECK(d.hosts[0].outcome == Outcome::Ok);
    auto msgs = stored_messages(dir / "store");
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].rfind("X-Sink-From: FROM:<alice@example.org> SIZE=", 0) == 0);
    CHECK(msgs[0].find("X-Sink-To: bob@example.net carol@example.net\n") != std::string::npos);
    CHECK(msgs[0].ends_with("\n\n.starts with a dot\nend\n"));
    // MAIL, both RCPTs and DATA went in one burst.
    auto mail = std::find_if(debug.begin(), debug.end(), [](const std::string& l) {
      return l.find("SMTP>> MAIL") != std::string::npos;
    });
    REQUIRE(mail != debug.end());
    CHECK(mail[5] == "  SMTP>> DATA");
  }

  TEST_CASE("without pipelining; max_rcpt splits the recipients over transactions") {
    TempDir dir;
    fs::create_directory(dir / "store");
    Peer sink(sink_args({"--store", dir / "store", "--no-pipelining"}));
    Harness h(smtp_conf(sink.port(), "  max_rcpt = 2\n"));
    auto d = h.run(addresses({"a", "b", "c", "d", "e"}), test_envelope(), "x\n");
    for (auto& r : d.results) CHECK(outcome_text(r) == "ok");
    CHECK(d.hosts.size() == 1);
    CHECK(stored_messages(dir / "store").size() == 3);
  }

  TEST_CASE("MAIL and DATA refusals, a refused connection, the next host") {
    Peer perm(sink_args({"--mail-reply", "550"}));
    Harness h(smtp_conf(perm.port()));
    auto d = h.run(addresses({"bob", "carol"}), test_envelope(), "x\n");
    CHECK(d.results[1].outcome == Outcome::Fail);
    CHECK(d.results[0].message.rfind(
              "SMTP error from remote mail server after MAIL FROM:<alice@example.org> SIZE=", 0) ==
          0);
    Peer data_temp(sink_args({"--data-reply", "451"}));
    Harness h2(smtp_conf(data_temp.port()));
    d = h2.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) ==
          "defer: SMTP error from remote mail server after end of data: 451 data refused");
    CHECK(d.results[0].retry == RetryScope::Message);
    CHECK(d.hosts[0].message_specific);

    // The first host refuses connections, the second takes the message.
    TempDir dir;
    fs::create_directory(dir / "store");
    Peer good(sink_args({"--store", dir / "store"}));
    int closed = free_port();
    Harness h3("t:\n  driver = smtp\n  hosts = [127.0.0.1]::" + std::to_string(closed) +
               " : [127.0.0.1]::" + std::to_string(good.port()) + "\n  allow_localhost\n");
    d = h3.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    REQUIRE(d.hosts.size() == 2);
    CHECK(d.hosts[0].outcome == Outcome::Defer);
    CHECK(d.hosts[0].error == ErrorKind::Refused);
    CHECK(d.hosts[0].message == "Connection refused");
    CHECK(d.hosts[1].outcome == Outcome::Ok);
  }

  TEST_CASE("host failures: refused everywhere, banner 554, lost connection, timeout, local host") {
    Harness none("t:\n  driver = smtp\n  hosts = 127.0.0.1\n  port = " +
                 std::to_string(free_port()) + "\n  allow_localhost\n");
    auto d = none.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "defer: Connection refused");
    CHECK(d.results[0].retry == RetryScope::Host);
    Peer busy(sink_args({"--banner", "554"}));
    Harness h(smtp_conf(busy.port()));
    d = h.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) ==
          "defer: SMTP error from remote mail server after initial connection: 554 sink.test "
          "ESMTP ready");
    Peer drop(sink_args({"--close-after", "RCPT", "--no-pipelining"}));
    Harness h2(smtp_conf(drop.port()));
    d = h2.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) ==
          "defer: Remote host closed connection in response to RCPT TO:<bob@example.net>");
    CHECK(d.results[0].error == ErrorKind::LostConnection);
    Peer slow(sink_args({"--sleep-after", "DATA", "3"}));
    Harness h3(smtp_conf(slow.port(), "  command_timeout = 1s\n"));
    d = h3.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "defer: SMTP timeout after DATA");
    CHECK(d.results[0].error == ErrorKind::Timeout);
    Harness local("t:\n  driver = smtp\n  hosts = 127.0.0.1\n");
    d = local.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "defer: remote host address is the local host");
  }

  TEST_CASE("STARTTLS: verified against a test CA; required; failures fall back to clear") {
    TempDir dir;
    fs::create_directory(dir / "store");
    TestCerts certs(dir.path);
    Peer sink(sink_args({"--store", dir / "store", "--tls", certs.cert, certs.key}));
    std::string tls = "  tls_verify_certificates = " + certs.ca + "\n";
    Harness h("t:\n  driver = smtp\n  hosts = localhost\n  port = " + std::to_string(sink.port()) +
              "\n  allow_localhost\n  hosts_require_tls = *\n  tls_verify_hosts = *\n" + tls);
    h.services.resolve = [](const std::string&) -> util::Result<std::vector<std::string>> {
      return std::vector<std::string>{"127.0.0.1"};
    };
    auto d = h.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    REQUIRE(d.hosts.size() == 1);
    CHECK(d.hosts[0].tls_verified);
    CHECK(d.hosts[0].tls_cipher.rfind("TLS1.", 0) == 0);
    CHECK(d.hosts[0].tls_peerdn == "/CN=localhost");
    auto msgs = stored_messages(dir / "store");
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].find("X-Sink-TLS: yes\n") != std::string::npos);

    // Opportunistic by default: an unverifiable certificate is still used.
    Harness opportunistic(smtp_conf(sink.port()));
    d = opportunistic.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK_FALSE(d.hosts[0].tls_verified);
    CHECK_FALSE(d.hosts[0].tls_cipher.empty());

    // Verification required and impossible (no CA): in clear, unless TLS is required.
    Harness must_verify(smtp_conf(sink.port(), "  tls_verify_hosts = *\n"));
    d = must_verify.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(d.hosts.back().tls_cipher.empty());
    CHECK(stored_messages(dir / "store").back().find("X-Sink-TLS: no\n") != std::string::npos);
    Harness strict(smtp_conf(sink.port(), "  tls_verify_hosts = *\n  hosts_require_tls = *\n"));
    d = strict.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(d.results[0].outcome == Outcome::Defer);
    CHECK(d.results[0].error == ErrorKind::TlsRequired);
    CHECK(d.results[0].message.rfind("TLS session failure: certificate verification failed", 0) ==
          0);

    // T-TLS-10: STARTTLS stripped from the EHLO reply (here never offered) with TLS required:
    // a deferral that says why, never the message in clear.
    Peer plain(sink_args({}));
    Harness need_tls(smtp_conf(plain.port(), "  hosts_require_tls = *\n"));
    d = need_tls.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) ==
          "defer: a TLS session is required, but the server did not offer TLS support");
    CHECK(d.results[0].error == ErrorKind::TlsRequired);
    Harness avoid(smtp_conf(sink.port(), "  hosts_avoid_tls = *\n"));
    d = avoid.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(d.hosts[0].tls_cipher.empty());
  }

  TEST_CASE("T-TLS-8: STARTTLS refused, or accepted without TLS: never in clear when required") {
    TempDir dir;
    fs::create_directory(dir / "store");
    for (int code : {454, 500, 501, 502, 530, 220}) {
      CAPTURE(code);
      Peer sink(sink_args({"--store", dir / "store", "--starttls-reply", std::to_string(code)}));
      Harness required(smtp_conf(sink.port(), "  hosts_require_tls = *\n"));
      auto d = required.run(addresses({"bob"}), test_envelope(), "x\n");
      CHECK(d.results[0].outcome == Outcome::Defer);
      CHECK(d.results[0].error == ErrorKind::TlsRequired);
      if (code != 220)
        CHECK(d.results[0].message == "SMTP error from remote mail server after STARTTLS: " +
                                          std::to_string(code) + " STARTTLS answer");
      else
        CHECK(d.results[0].message.rfind("TLS session failure: ", 0) == 0);
      CHECK(stored_messages(dir / "store").empty());

      // Opportunistic (Exim 43.x): after 5xx always in clear; after 4xx or a failed
      // handshake only with tls_tempfail_tryclear (the default), the latter on a new
      // connection and said in the log.
      Harness strict(smtp_conf(sink.port(), "  tls_tempfail_tryclear = false\n"));
      d = strict.run(addresses({"bob"}), test_envelope(), "x\n");
      CHECK(outcome_text(d.results[0]).rfind(code >= 500 ? "ok" : "defer: ", 0) == 0);
      Harness opportunistic(smtp_conf(sink.port()));
      d = opportunistic.run(addresses({"bob"}), test_envelope(), "x\n");
      CHECK(outcome_text(d.results[0]) == "ok");
      CHECK(d.hosts.back().tls_cipher.empty());
      if (code == 220)
        CHECK(d.results[0].log_note.ends_with(
            ": delivering unencrypted to H=127.0.0.1 [127.0.0.1] (not in hosts_require_tls)"));
      else
        CHECK(d.results[0].log_note.empty());
      fs::remove_all(dir / "store");
      fs::create_directory(dir / "store");
    }
  }

  // T-TLS-9 (EAST B_1): a server that sends "250-evil" and "250 AUTH LOGIN" in clear behind
  // its 220 to STARTTLS. Those bytes are dropped before the handshake: the client says EHLO
  // again inside TLS, believes only that reply (no AUTH offered there, so none is tried) and
  // delivers over TLS.
  TEST_CASE("STARTTLS response injection is discarded (T-TLS-9)") {
    TempDir dir;
    fs::create_directory(dir / "store");
    TestCerts certs(dir.path);
    Peer sink(sink_args({"--store", dir / "store", "--tls", certs.cert, certs.key,
                         "--starttls-inject", "--events", dir / "events"}));
    Harness h(smtp_conf(sink.port(), "  hosts_require_tls = *\n  hosts_try_auth = *\n") +
              "begin authenticators\nlogin:\n  driver = plaintext\n  public_name = LOGIN\n"
              "  client_send = : bob : secret\n");
    auto d = h.run(addresses({"bob"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    REQUIRE(d.hosts.size() == 1);
    CHECK_FALSE(d.hosts[0].tls_cipher.empty());
    CHECK_FALSE(d.hosts[0].authenticated);
    std::string events = slurp(dir / "events");
    CHECK(events.find("ehlo-tls\n") != std::string::npos);
    CHECK(events.find("auth\n") == std::string::npos);
    auto msgs = stored_messages(dir / "store");
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].find("X-Sink-TLS: yes\n") != std::string::npos);
  }

  // T-SMUG-13: the spool holds LF-only lines; a stored "\n.\n" followed by commands goes out
  // as CRLF lines with the dot doubled, so the receiver sees one message, its data intact.
  TEST_CASE("a stored \\n.\\n never ends the data downstream (T-SMUG-13)") {
    TempDir dir;
    fs::create_directory(dir / "store");
    Peer sink(sink_args({"--store", dir / "store", "--strict-crlf", "--events", dir / "events"}));
    Harness h(smtp_conf(sink.port()));
    std::string body =
        "a\n.\nMAIL FROM:<evil@x.example>\nRCPT TO:<v@example.net>\nDATA\n"
        "Subject: smuggled\n\n..x\n.\nQUIT\n";
    auto d = h.run(addresses({"bob"}), test_envelope(), body);
    CHECK(outcome_text(d.results[0]) == "ok");
    auto msgs = stored_messages(dir / "store");
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].ends_with("\n" + body));  // after the headers, the body as it was stored
    CHECK(slurp(dir / "events").rfind("connect\nmessage\n", 0) == 0);  // one message only
  }

  TEST_CASE("client AUTH with the configuration's authenticators") {
    TempDir dir;
    fs::create_directory(dir / "store");
    Peer sink(sink_args({"--store", dir / "store", "--auth", "bob:secret"}));
    std::vector<std::string> debug;
    Harness h(smtp_conf(sink.port(), "  hosts_try_auth = *\n") + plain_auth("bob", "secret"));
    h.services.debug = [&](std::string_view l) { debug.emplace_back(l); };
    auto d = h.run(addresses({"carol"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(d.hosts[0].authenticated);
    CHECK(d.hosts[0].authenticator == "plain");
    CHECK(d.hosts[0].auth_id == "bob");
    auto msgs = stored_messages(dir / "store");
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].find("X-Sink-Auth: bob\n") != std::string::npos);
    CHECK(msgs[0].find(" AUTH=<>") != std::string::npos);
    for (const std::string& l : debug) CHECK(l.find("AGJvYgBzZWNyZXQ") == std::string::npos);
    Harness wrong(smtp_conf(sink.port(), "  hosts_try_auth = *\n") + plain_auth("bob", "bad"));
    d = wrong.run(addresses({"carol"}), test_envelope(), "x\n");  // try_auth: goes on without
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK_FALSE(d.hosts[0].authenticated);
    Harness must(smtp_conf(sink.port(), "  hosts_require_auth = *\n") + plain_auth("bob", "bad"));
    d = must.run(addresses({"carol"}), test_envelope(), "x\n");
    CHECK(d.results[0].outcome == Outcome::Defer);
    CHECK(d.results[0].error == ErrorKind::AuthFailed);
    CHECK(d.results[0].message.rfind("authentication required but ", 0) == 0);
    Peer plain(sink_args({}));
    Harness no_auth(smtp_conf(plain.port(), "  hosts_require_auth = *\n") + plain_auth("b", "s"));
    d = no_auth.run(addresses({"carol"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) ==
          "defer: authentication required but the server does not offer AUTH");
  }

  TEST_CASE("LMTP over TCP (protocol = lmtp)") {
    Peer sink(sink_args({"--lmtp"}));
    Harness h(smtp_conf(sink.port(), "  protocol = lmtp\n"));
    auto d = h.run(addresses({"bob", "datafail"}), test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(outcome_text(d.results[1]) ==
          "fail: LMTP error after end of data: 552 5.2.2 <datafail@example.net> mailbox full");
  }

  TEST_CASE("to a second facteur daemon with STARTTLS and AUTH") {
    TempDir dir;
    TestCerts certs(dir.path);
    int port = free_port();
    std::string spool = dir / "spool";
    spit(dir / "peer.conf",
         "primary_hostname = peer.test\nlocal_interfaces = 127.0.0.1\nqueue_only\n"
         "daemon_smtp_ports = " +
             std::to_string(port) + "\ntls_certificate = " + certs.cert + "\ntls_privatekey = " +
             certs.key + "\ntls_advertise_hosts = *\nspool_directory = " + spool +
             "\nlog_file_path = " + dir.path +
             "/%slog\n"
             "acl_smtp_rcpt = acl_rcpt\nbegin acl\nacl_rcpt:\n  accept\n"
             "begin authenticators\nplain_server:\n  driver = plaintext\n"
             "  public_name = PLAIN\n  server_condition = ${if and "
             "{{eq{$auth2}{bob}}{eq{$auth3}{secret}}}}\n  server_set_id = $auth2\n");
    fs::permissions(dir.path, fs::perms::all);  // the daemon may drop to the mail user
    for (const char* f : {"/server.pem", "/server.key"})
      fs::permissions(dir.path + f,
                      fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    Peer peer({FACTEUR_BINARY, "-C", dir / "peer.conf", "-bdf"}, port);
    Harness h("t:\n  driver = smtp\n  hosts = localhost\n  port = " + std::to_string(port) +
              "\n  allow_localhost\n  hosts_require_tls = *\n  tls_verify_hosts = *\n"
              "  tls_verify_certificates = " +
              certs.ca +
              "\n  helo_data = sender.test\n  hosts_require_auth = *\n"
              "begin authenticators\nplain:\n  driver = plaintext\n  public_name = PLAIN\n"
              "  client_send = ^bob^secret\n");
    auto d = h.run(addresses({"bob", "carol"}), test_envelope(), "through facteur\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(outcome_text(d.results[1]) == "ok");
    CHECK(d.results[0].confirmation.rfind("250 OK id=", 0) == 0);
    CHECK(d.hosts[0].tls_verified);
    CHECK(d.hosts[0].authenticated);  // over TLS, so plaintext may send the password
    engine::SpoolLayout layout{spool, false};
    auto ids = engine::spool_list_ids(layout);
    REQUIRE(ids.size() == 1);
    auto msg = engine::spool_read_header(layout, ids[0]);
    REQUIRE(msg.ok());
    CHECK(msg->sender == "alice@example.org");
    REQUIRE(msg->recipients.size() == 2);
    CHECK(msg->recipients[1].address == "carol@example.net");
    CHECK(msg->value("helo_name") == "sender.test");
    CHECK(msg->value("auth_id") == "bob");
  }
}
