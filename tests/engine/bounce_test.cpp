#include "engine/bounce.h"

#include <doctest/doctest.h>

namespace {

engine::SpoolMessage original() {
  engine::SpoolMessage m;
  m.id = "1xYiks-0002wi-1F";
  m.sender = "sender@client.example";
  m.headers = {
      {'P',
       "Received: from root by mx.example.org with local (Exim 4.96)\n"
       "\t(envelope-from <sender@client.example>)\n\tid 1xYiks-0002wi-1F;\n"
       "\tWed, 02 Dec 2026 11:44:10 +0000\n"},
      {' ', "Subject: hi\n"},
      {'I', "Message-Id: <orig@client.example>\n"},
      {'*', "Bcc: hidden@x.example\n"},
      {'F', "From: sender@client.example\n"},
      {' ', "Date: Wed, 02 Dec 2026 11:44:10 +0000\n"},
  };
  return m;
}

engine::ReportOptions options() {
  engine::ReportOptions o;
  o.primary_hostname = o.qualify_domain = "mx.example.org";
  o.now = 1796211850;
  o.boundary_random = 281710350;
  return o;
}

const char* kHeaders =
    "Received: from root by mx.example.org with local (Exim 4.96)\n"
    "\t(envelope-from <sender@client.example>)\n\tid 1xYiks-0002wi-1F;\n"
    "\tWed, 02 Dec 2026 11:44:10 +0000\n"
    "Subject: hi\n"
    "Message-Id: <orig@client.example>\n"
    "From: sender@client.example\n"
    "Date: Wed, 02 Dec 2026 11:44:10 +0000\n";

}  // namespace

TEST_SUITE("bounce") {
  // The text Exim 4.96 wrote for a :fail: redirection (recorded; the boundary fixed).
  TEST_CASE("a bounce as Exim writes it") {
    auto m = original();
    engine::ReportedMessage rm{&m, "body line\n", 10};
    engine::ReportedAddress a{"bad@x.example", {"no such user here"}, "", "", "", "", ""};
    auto out = engine::bounce_build(rm, m.sender, {a}, options());
    std::string want = std::string() +
                       "X-Failed-Recipients: bad@x.example\n"
                       "Auto-Submitted: auto-replied\n"
                       "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
                       "To: sender@client.example\n"
                       "References: <orig@client.example>\n"
                       "Content-Type: multipart/report; report-type=delivery-status; "
                       "boundary=1796211850-eximdsn-281710350\n"
                       "MIME-Version: 1.0\n"
                       "Subject: Mail delivery failed: returning message to sender\n"
                       "\n"
                       "--1796211850-eximdsn-281710350\n"
                       "Content-type: text/plain; charset=us-ascii\n"
                       "\n"
                       "This message was created automatically by mail delivery software.\n"
                       "\n"
                       "A message that you sent could not be delivered to one or more of its\n"
                       "recipients. This is a permanent error. The following address(es) failed:\n"
                       "\n"
                       "  bad@x.example\n"
                       "    no such user here\n"
                       "\n"
                       "--1796211850-eximdsn-281710350\n"
                       "Content-type: message/delivery-status\n"
                       "\n"
                       "Reporting-MTA: dns; mx.example.org\n"
                       "\n"
                       "Action: failed\n"
                       "Final-Recipient: rfc822;bad@x.example\n"
                       "Status: 5.0.0\n"
                       "\n"
                       "--1796211850-eximdsn-281710350\n"
                       "Content-type: message/rfc822\n"
                       "\n"
                       "Return-path: <sender@client.example>\n" +
                       kHeaders +
                       "\n"
                       "body line\n"
                       "\n"
                       "--1796211850-eximdsn-281710350--\n";
    CHECK(out.text == want);
    CHECK(out.sender.empty());
    REQUIRE(out.recipients.size() == 1);
    CHECK(out.recipients[0].address == "sender@client.example");
    CHECK(out.bounce_ref == m.id);
    CHECK(out.generated);
  }

  TEST_CASE("a remote failure: host line, Remote-MTA, Diagnostic-Code, ORCPT, ENVID") {
    auto m = original();
    m.set_var("dsn_envid", "env-1", true);
    engine::ReportedMessage rm{&m, "body\n", 5};
    engine::ReportedAddress a{"bad@up.example",
                              {"host 127.0.0.1 [127.0.0.1]",
                               "SMTP error from remote mail server after RCPT TO:<bad@up.example>:",
                               "550 5.1.1 <bad> User unknown"},
                              "",
                              "127.0.0.1",
                              "550 5.1.1 <bad> User unknown",
                              "rfc822;Bad@up.example",
                              ""};
    auto out = engine::bounce_build(rm, m.sender, {a}, options());
    CHECK(out.text.find("  bad@up.example\n    host 127.0.0.1 [127.0.0.1]\n"
                        "    SMTP error from remote mail server after RCPT TO:<bad@up.example>:\n"
                        "    550 5.1.1 <bad> User unknown\n") != std::string::npos);
    CHECK(out.text.find("Reporting-MTA: dns; mx.example.org\nOriginal-Envelope-ID: env-1\n\n"
                        "Action: failed\nOriginal-Recipient: rfc822;Bad@up.example\n"
                        "Final-Recipient: rfc822;bad@up.example\nStatus: 5.0.0\n"
                        "Remote-MTA: dns; 127.0.0.1\n"
                        "Diagnostic-Code: smtp; 550 5.1.1 <bad> User unknown\n") !=
          std::string::npos);
  }

  TEST_CASE("RET=HDRS, bounce_return_body, bounce_return_message, size limit") {
    auto m = original();
    std::string body(300, 'x');
    body[99] = body[199] = body[299] = '\n';
    engine::ReportedMessage rm{&m, body, 300};
    engine::ReportedAddress a{"bad@x.example", {"gone"}, "", "", "", "", ""};
    auto o = options();
    m.set_var("dsn_ret", "1");
    auto out = engine::bounce_build(rm, m.sender, {a}, o);
    CHECK(out.text.find("Content-type: text/rfc822-headers\n") != std::string::npos);
    CHECK(out.text.find("xxxx") == std::string::npos);
    m.remove_var("dsn_ret");
    o.return_message = false;
    out = engine::bounce_build(rm, m.sender, {a}, o);
    CHECK(out.text.find("Return-path:") == std::string::npos);
    o.return_message = true;
    o.size_limit = 150;
    out = engine::bounce_build(rm, m.sender, {a}, o);
    CHECK(out.text.find("------ The body of the message is 300 characters long; only the first\n"
                        "------ 150 or so are included here.\n") != std::string::npos);
    CHECK(out.text.find(body.substr(0, 100) + "\n--") != std::string::npos);
  }

  TEST_CASE("a bounce to an errors_to address names the sender") {
    auto m = original();
    engine::ReportedMessage rm{&m, "", 0};
    auto out = engine::bounce_build(rm, "postmaster@x.example",
                                    {{"bad@x.example", {"gone"}, "", "", "", "", ""}}, options());
    CHECK(out.text.find("Subject: Mail delivery failed\n") != std::string::npos);
    CHECK(out.text.find("A message sent by\n\n  <sender@client.example>\n\n") != std::string::npos);
  }

  // Recorded from Exim 4.96 with delay_warning = 1s and a :defer: redirection.
  TEST_CASE("a delay warning as Exim writes it") {
    auto m = original();
    m.headers[1].text = "Subject: hi there\n";
    engine::ReportedMessage rm{&m, "body line\n", 10};
    auto o = options();
    engine::ReportedAddress a{"later@x.example", {"mailbox is resting"}, "", "", "", "", ""};
    auto out = engine::warning_build(rm, m.sender, {a}, 2, o);
    CHECK(out.text.find("Subject: Warning: message 1xYiks-0002wi-1F delayed 0 minutes\n\n") !=
          std::string::npos);
    std::string part =
        "This message was created automatically by mail delivery software.\n"
        "A message that you sent has not yet been delivered to one or more of its\n"
        "recipients after more than 0 minutes on the queue on mx.example.org.\n"
        "\n"
        "The message identifier is:     1xYiks-0002wi-1F\n"
        "The subject of the message is: hi there\n"
        "The date of the message is:    Wed, 02 Dec 2026 11:44:10 +0000\n"
        "\n"
        "The address to which the message has not yet been delivered is:\n"
        "\n"
        "  later@x.example\n"
        "    Delay reason: mailbox is resting\n"
        "\n"
        "No action is required on your part. Delivery attempts will continue for\n"
        "some time, and this warning may be repeated at intervals if the message\n"
        "remains undelivered. Eventually the mail delivery software will give up,\n"
        "and when that happens, the message will be returned to you.\n"
        "\n"
        "--1796211850-eximdsn-281710350\n"
        "Content-type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mx.example.org\n"
        "\n"
        "Action: delayed\n"
        "Final-Recipient: rfc822;later@x.example\n"
        "Status: 4.0.0\n"
        "\n"
        "--1796211850-eximdsn-281710350\n"
        "Content-type: text/rfc822-headers\n"
        "\n"
        "Return-path: <sender@client.example>\n";
    CHECK(out.text.find(part) != std::string::npos);
    std::string tail = "+0000\n\n\n--1796211850-eximdsn-281710350--\n";
    REQUIRE(out.text.size() > tail.size());
    CHECK(out.text.substr(out.text.size() - tail.size()) == tail);
  }

  TEST_CASE("warning delays") {
    CHECK(engine::warning_delay_text(0) == "0 minutes");
    CHECK(engine::warning_delay_text(1800) == "30 minutes");
    CHECK(engine::warning_delay_text(86400) == "24 hours");
  }
}
