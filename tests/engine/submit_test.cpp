#include "engine/submit.h"

#include <doctest/doctest.h>

namespace {

engine::config::Config config(std::string extra = "") {
  auto c = engine::config::read_string(
      "primary_hostname = mx.example.org\nqualify_domain = example.org\n" + extra, "t.conf");
  REQUIRE(c.ok());
  return std::move(*c);
}

std::string headers_of(const engine::SpoolMessage& m) {
  std::string s;
  for (const auto& h : m.headers) s += std::string(1, h.type) + h.text;
  return s;
}

}  // namespace

TEST_SUITE("submit") {
  // What Exim 4.96 wrote for: printf 'Subject: hi\nTo: a@b.example, c@d.example\nBcc: ...'
  //   | exim -odq -t -F 'Joe User'   (recorded, times and ids replaced)
  TEST_CASE("local fix-ups as Exim makes them: Received, Bcc deleted, Message-Id, From, Date") {
    auto cfg = config();
    lang::EvalContext ctx;
    engine::LocalMessage m;
    m.sender = "root@example.org";
    m.caller.full_name = "Joe User";
    m.remove_bcc = true;
    for (auto r : {"a@b.example", "c@d.example", "hidden@x.example"}) {
      engine::SpoolRecipient sr;
      sr.address = r;
      m.recipients.push_back(sr);
    }
    m.text = "Subject: hi\nTo: a@b.example, c@d.example\nBcc: hidden@x.example\n\nbody\n";
    std::string body;
    auto out = engine::submit_build(cfg, ctx, m, "1xYika-0002lV-1X", 1796211832, body);
    REQUIRE(out.ok());
    std::string date = engine::rfc822_date(1796211832);
    CHECK(headers_of(*out) ==
          "PReceived: from root by mx.example.org with local (Exim 4.96)\n"
          "\t(envelope-from <root@example.org>)\n\tid 1xYika-0002lV-1X;\n\t" +
              date +
              "\n"
              " Subject: hi\n"
              "TTo: a@b.example, c@d.example\n"
              "*Bcc: hidden@x.example\n"
              "IMessage-Id: <E1xYika-0002lV-1X@mx.example.org>\n"
              "FFrom: Joe User <root@example.org>\n"
              " Date: " +
              date + "\n");
    CHECK(body == "body\n");
    CHECK(out->value("received_protocol") == "local");
    CHECK(out->value("ident") == "root");
    CHECK(out->value("body_linecount") == "1");
    CHECK(out->flag("local"));
    CHECK(out->flag("deliver_firsttime"));
    CHECK(engine::message_size(*out, 5) == out->header_size() + 1 + 5);
  }

  TEST_CASE("a bounce: null sender, R=, -localerror, one recipient in Received") {
    auto cfg = config();
    lang::EvalContext ctx;
    engine::LocalMessage m;
    m.generated = true;
    m.caller.login = "Debian-exim";
    engine::SpoolRecipient sr;
    sr.address = "sender@client.example";
    m.recipients.push_back(sr);
    m.text = "From: Mail Delivery System <Mailer-Daemon@example.org>\nSubject: x\n\nb\n";
    std::string body;
    auto out = engine::submit_build(cfg, ctx, m, "1xYiks-0002ws-1e", 1796211850, body);
    REQUIRE(out.ok());
    CHECK(out->headers[0].text ==
          "Received: from Debian-exim by mx.example.org with local (Exim 4.96)\n"
          "\tid 1xYiks-0002ws-1e\n\tfor sender@client.example;\n\t" +
              engine::rfc822_date(1796211850) + "\n");
    CHECK(out->flag("localerror"));
    CHECK_FALSE(out->flag("local"));
    CHECK(out->sender.empty());
  }

  TEST_CASE("an untrusted caller whose From: is not theirs gets Sender:") {
    auto cfg = config();
    lang::EvalContext ctx;
    engine::LocalMessage m;
    m.sender = "joe@example.org";
    m.caller.login = "joe";
    m.caller.trusted = false;
    engine::SpoolRecipient sr;
    sr.address = "x@y.example";
    m.recipients.push_back(sr);
    m.text = "From: boss@example.org\nMessage-Id: <given@x>\nDate: today\n\nb\n";
    std::string body;
    auto out = engine::submit_build(cfg, ctx, m, "1xYiks-0002ws-1e", 1796211850, body);
    REQUIRE(out.ok());
    std::string h = headers_of(*out);
    CHECK(h.find("SSender: joe@example.org\n") != std::string::npos);
    CHECK(h.find("IMessage-Id: <E") == std::string::npos);
  }

  TEST_CASE("message_split: a UUCP From line, headers without a blank line, no headers") {
    std::string h;
    std::string_view b;
    engine::message_split("From x Fri Jan  5\nSubject: a\n\nbody\n", h, b);
    CHECK(h == "Subject: a\n");
    CHECK(b == "body\n");
    engine::message_split("Subject: a\n folded\nno header here\n", h, b);
    CHECK(h == "Subject: a\n folded\n");
    CHECK(b == "no header here\n");
    engine::message_split("just a body\n", h, b);
    CHECK(h.empty());
    CHECK(b == "just a body\n");
  }
}
