// Unit tests of the autoreply transport: the reply built from options or from a filter, once
// and once_repeat with a real file, never_mail, file/file_expand, return_message, the log.
#include <doctest/doctest.h>

#include "tests/transports/fixture.h"
#include "transports/once_file.h"

using namespace transport_test;
using transports::Outcome;

namespace {

struct Captured {
  std::vector<transports::NewMessage> sent;
  transports::SubmitFn fn() {
    return [this](const transports::NewMessage& m) -> util::Result<std::string> {
      sent.push_back(m);
      return "1xVkcB-00000" + std::to_string(sent.size()) + "-00";
    };
  }
};

engine::SpoolMessage with_message_id() {
  auto env = test_envelope();
  env.headers.push_back({'I', "Message-Id: <orig@example.org>\n"});
  return env;
}

}  // namespace

TEST_SUITE("transports.autoreply") {
  TEST_CASE("a reply from the transport's options") {
    Captured c;
    Harness h(
        "t:\n  driver = autoreply\n  to = $sender_address\n  from = $local_part@$domain\n"
        "  subject = Re: $h_subject:\n  text = I am away.\n"
        "  headers = X-Away: yes\n");
    h.services.submit = c.fn();
    auto d = h.run({address("bob", "example.net")}, with_message_id(), "body\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(d.results[0].confirmation == "1xVkcB-000001-00");
    REQUIRE(c.sent.size() == 1);
    CHECK(c.sent[0].sender == "");
    CHECK(c.sent[0].recipients == std::vector<std::string>{"alice@example.org"});
    CHECK(c.sent[0].text ==
          "From: bob@example.net\nTo: alice@example.org\nSubject: Re: greetings\n"
          "In-Reply-To: <orig@example.org>\nReferences: <orig@example.org>\n"
          "Auto-Submitted: auto-replied\nX-Away: yes\n\nI am away.\n");
  }

  TEST_CASE("once and once_repeat remember whom they answered") {
    TempDir dir;
    Captured c;
    int64_t now = 1000000;
    Harness h(
        "t:\n  driver = autoreply\n  to = $sender_address\n  subject = away\n"
        "  text = x\n  once = " +
        dir / "once" + "\n  once_repeat = 1h\n");
    h.services.submit = c.fn();
    h.services.now = [&] { return now; };
    for (int i = 0; i < 2; ++i) h.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(c.sent.size() == 1);
    CHECK(slurp(dir / "once") == "1000000 alice@example.org\n");
    now += 3601;
    h.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(c.sent.size() == 2);
    CHECK(slurp(dir / "once") == "1003601 alice@example.org\n");
    CHECK(transports::once_lookup(dir / "once", "ALICE@example.org").value() == 1003601);
    // once_file_size keeps the file small by dropping the oldest entries.
    for (int i = 0; i < 20; ++i)
      REQUIRE(transports::once_record(dir / "small", "u" + std::to_string(i) + "@x.example", i, 60,
                                      0600));
    std::string small = slurp(dir / "small");
    CHECK(small.size() <= 60);
    CHECK(small.ends_with("19 u19@x.example\n"));
  }

  TEST_CASE("never_mail, empty recipients, non-printing characters") {
    Captured c;
    Harness h(
        "t:\n  driver = autoreply\n  to = $sender_address, list@example.org\n  text = x\n"
        "  never_mail = list@example.org\n");
    h.services.submit = c.fn();
    h.run({address("bob", "example.net")}, test_envelope(), "x\n");
    REQUIRE(c.sent.size() == 1);
    CHECK(c.sent[0].recipients == std::vector<std::string>{"alice@example.org"});
    auto bounce = test_envelope();
    bounce.sender = "";
    Harness h2("t:\n  driver = autoreply\n  to = $sender_address\n  text = x\n");
    h2.services.submit = c.fn();
    CHECK(outcome_text(h2.run({address("bob", "example.net")}, bounce, "x\n").results[0]) == "ok");
    CHECK(c.sent.size() == 1);
    Harness h3("t:\n  driver = autoreply\n  to = a@b.example\n  subject = bad\\x01\n");
    h3.services.submit = c.fn();
    CHECK(
        outcome_text(h3.run({address("bob", "example.net")}, test_envelope(), "x\n").results[0]) ==
        "defer: Non-printing character in header for t transport");
  }

  TEST_CASE("file, file_expand, file_optional, return_message, log") {
    TempDir dir;
    spit(dir / "vacation.txt", "Back on $local_part's return.\n");
    Captured c;
    Harness h("t:\n  driver = autoreply\n  to = $sender_address\n  text = Hello\n  file = " +
              dir / "vacation.txt" + "\n  file_expand\n  return_message\n  log = " + dir / "log" +
              "\n  subject = away\n");
    h.services.submit = c.fn();
    CHECK(outcome_text(h.run({address("bob", "example.net")}, test_envelope(), "original body\n")
                           .results[0]) == "ok");
    REQUIRE(c.sent.size() == 1);
    const std::string& t = c.sent[0].text;
    CHECK(t.find("\n\nHello\nBack on bob's return.\n\n------ This is a copy of the message, "
                 "including all the headers. ------\nReceived: ") != std::string::npos);
    CHECK(t.ends_with("\n\noriginal body\n"));
    std::string log = slurp(dir / "log");
    CHECK(log.rfind("==========\nTime: ", 0) == 0);
    CHECK(log.find("\nTo: alice@example.org\nSubject: away\n") != std::string::npos);

    Harness missing("t:\n  driver = autoreply\n  to = a@b.example\n  file = " + dir / "none" +
                    "\n");
    missing.services.submit = c.fn();
    CHECK(missing.run({address("bob", "example.net")}, test_envelope(), "x\n").results[0].outcome ==
          Outcome::Defer);
    Harness optional("t:\n  driver = autoreply\n  to = a@b.example\n  file = " + dir / "none" +
                     "\n  file_optional\n");
    optional.services.submit = c.fn();
    CHECK(outcome_text(
              optional.run({address("bob", "example.net")}, test_envelope(), "x\n").results[0]) ==
          "ok");
  }

  TEST_CASE("a reply specified by a filter replaces the options; no way to submit defers") {
    Captured c;
    Harness h("t:\n  driver = autoreply\n  to = ignored@example.org\n  text = ignored\n");
    h.services.submit = c.fn();
    auto a = address("bob", "example.net");
    auto spec = std::make_shared<transports::ReplySpec>();
    spec->to = "carol@example.org";
    spec->subject = "from the filter";
    spec->text = "filtered";
    a.reply = spec;
    h.run({a}, test_envelope(), "x\n");
    REQUIRE(c.sent.size() == 1);
    CHECK(c.sent[0].recipients == std::vector<std::string>{"carol@example.org"});
    CHECK(
        c.sent[0].text.ends_with("Subject: from the filter\nAuto-Submitted: auto-replied\n\n"
                                 "filtered\n"));
    Harness nosubmit("t:\n  driver = autoreply\n  to = a@b.example\n");
    CHECK(outcome_text(
              nosubmit.run({address("bob", "example.net")}, test_envelope(), "x\n").results[0]) ==
          "defer: cannot send a message from t transport");
  }
}
