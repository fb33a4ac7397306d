// Unit tests of the lmtp transport against a real LMTP server (the Python sink) over a
// Unix-domain socket and as a command: per-recipient replies at RCPT and after the data.
#include <doctest/doctest.h>

#include "tests/transports/peer.h"

using namespace transport_test;
using transports::Outcome;

TEST_SUITE("transports.lmtp") {
  TEST_CASE("over a socket: several recipients, each with its own reply") {
    TempDir dir;
    fs::create_directory(dir / "store");
    Peer sink(sink_args({"--lmtp", "--unix", dir / "lmtp.sock", "--store", dir / "store"}));
    Harness h("t:\n  driver = lmtp\n  socket = " + dir / "lmtp.sock" +
              "\n  batch_max = 10\n  envelope_to_add\n");
    auto d = h.run({address("bob", "example.net"), address("reject", "example.net"),
                    address("tempfail", "example.net"), address("datafail", "example.net"),
                    address("datatemp", "example.net"), address("carol", "example.net")},
                   test_envelope(), ".dot line\nbody\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(d.results[0].confirmation == "250 2.1.5 <bob@example.net> delivered");
    CHECK(outcome_text(d.results[1]) ==
          "fail: LMTP error after RCPT TO:<reject@example.net>: 550 5.1.1 <reject@example.net> "
          "unknown user");
    CHECK(outcome_text(d.results[2]) ==
          "defer: LMTP error after RCPT TO:<tempfail@example.net>: 451 4.2.1 "
          "<tempfail@example.net> try later");
    CHECK(d.results[2].error == transports::ErrorKind::Rcpt4xx);
    CHECK(outcome_text(d.results[3]) ==
          "fail: LMTP error after end of data: 552 5.2.2 <datafail@example.net> mailbox full");
    CHECK(d.results[4].outcome == Outcome::Defer);
    CHECK(outcome_text(d.results[5]) == "ok");
    auto msgs = stored_messages(dir / "store");
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].rfind("X-Sink-From: FROM:<alice@example.org>\nX-Sink-To: bob@example.net "
                        "datafail@example.net datatemp@example.net carol@example.net\n",
                        0) == 0);
    CHECK(msgs[0].find("\nEnvelope-to: bob@example.net,\n reject@example.net,") !=
          std::string::npos);
    CHECK(msgs[0].ends_with("\n.dot line\nbody\n"));
  }

  TEST_CASE("as a command on stdin/stdout, without pipelining; IGNOREQUOTA") {
    TempDir dir;
    fs::create_directory(dir / "store");
    Harness h("t:\n  driver = lmtp\n  command = /usr/bin/python3 " + sink_script() +
              " --lmtp --stdio --no-pipelining --store " + dir / "store" +
              "\n  ignore_quota\n  batch_max = 2\n");
    auto d = h.run({address("bob", "example.net"), address("carol", "example.net")},
                   test_envelope(), "hello\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(outcome_text(d.results[1]) == "ok");
    CHECK(stored_messages(dir / "store").size() == 1);
  }

  TEST_CASE("a server that is not there, or goes away") {
    TempDir dir;
    Harness h("t:\n  driver = lmtp\n  socket = " + dir / "none.sock" + "\n");
    auto d = h.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(d.results[0].outcome == Outcome::Defer);
    CHECK(d.results[0].message.rfind("failed to connect to socket " + dir / "none.sock", 0) == 0);
    Peer sink(sink_args({"--lmtp", "--unix", dir / "lmtp.sock", "--close-after", "DATA"}));
    Harness h2("t:\n  driver = lmtp\n  socket = " + dir / "lmtp.sock" + "\n");
    d = h2.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "defer: Remote host closed connection in response to DATA");
    CHECK(d.results[0].error == transports::ErrorKind::LostConnection);
  }

  TEST_CASE("configuration: socket or command, not both") {
    auto c = engine::config::read_string(
        "begin transports\nt:\n  driver = lmtp\n  socket = /a\n  command = /b\n", "t.conf");
    REQUIRE(c.ok());
    auto t = transports::transport_create(*c, c->transports[0]);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().message ==
          "transport t: exactly one of \"command\" or \"socket\" must be set for the lmtp "
          "transport");
  }
}
