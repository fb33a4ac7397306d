// Tests for engine/smtp/session: dialogues fed as bytes, checked reply by reply, including the
// security cases of notes/security-tests.md (T-SMUG-*, T-TLS-*, T-BDAT-*, T-LIM-*, T-PROXY-1,
// T-SPOOL-2).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/acl.h"
#include "engine/config/config.h"
#include "engine/smtp/session.h"
#include "engine/smtp/spool_message.h"
#include "engine/spool_format.h"

using namespace engine::smtp;

namespace {

constexpr const char* kConfig = R"(
primary_hostname = mx.example.org
qualify_domain = example.org
domainlist local_domains = example.org
tls_advertise_hosts = *
smtp_max_synprot_errors = 5
recipients_max = 3
message_size_limit = 2k
acl_smtp_rcpt = rcpt
begin acl
rcpt:
  accept domains = +local_domains
  deny   message = relay not permitted
)";

class Recorder : public SessionServices {
 public:
  bool store_message(const Transaction& t, const std::string& id, std::string&) override {
    stored.push_back(t);
    ids.push_back(id);
    return true;
  }
  std::vector<Transaction> stored;
  std::vector<std::string> ids;
};

struct Harness {
  explicit Harness(SessionSettings st = {}, const char* conf = kConfig,
                   SessionServices* services = nullptr) {
    auto c = engine::config::read_string(conf, "test.conf");
    REQUIRE(c.ok());
    cfg = std::make_unique<engine::config::Config>(std::move(c.value()));
    auto a = engine::acl::load(*cfg);
    REQUIRE(a.ok());
    acls = std::make_unique<engine::acl::AclSet>(std::move(a.value()));
    if (st.client_address.empty()) st.client_address = "203.0.113.5";
    session = std::make_unique<Session>(*cfg, *acls, services ? *services : rec, st);
    session->start();
  }
  // Feeds `input` and returns the reply codes (of the last line of each reply) seen so far.
  std::vector<std::string> run(std::string_view input) {
    session->feed(input);
    collect();
    return codes;
  }
  void collect() {
    std::string out = session->take_output();
    all += out;
    size_t pos = 0;
    while (pos < out.size()) {
      size_t e = out.find("\r\n", pos);
      if (e == std::string::npos) break;
      std::string line = out.substr(pos, e - pos);
      if (line.size() >= 4 && line[3] == ' ') codes.push_back(line.substr(0, 3));
      if (line.size() == 3) codes.push_back(line);
      pos = e + 2;
    }
  }
  std::unique_ptr<engine::config::Config> cfg;
  std::unique_ptr<engine::acl::AclSet> acls;
  Recorder rec;
  std::unique_ptr<Session> session;
  std::vector<std::string> codes;
  std::string all;
};

using Codes = std::vector<std::string>;

// A recorder that keeps the log lines too.
struct Logs : Recorder {
  std::vector<std::string> lines;
  void log(std::string_view line) override { lines.emplace_back(line); }
};

// kConfig with a DATA ACL named "data", whose lines the test appends.
std::string data_acl_config() {
  std::string conf = kConfig;
  conf.insert(conf.find("begin acl"), "acl_smtp_data = data\n");
  return conf;
}

const char* kEnvelope = "EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<u@example.org>\r\n";

}  // namespace

TEST_SUITE("engine.smtp.session") {
  TEST_CASE("a whole message") {
    Harness h;
    auto codes = h.run(std::string(kEnvelope) +
                       "DATA\r\nSubject: hi\r\n\r\n..dotted\r\nbody\r\n.\r\nQUIT\r\n");
    CHECK(codes == Codes{"220", "250", "250", "250", "354", "250", "221"});
    CHECK(h.session->finished());
    CHECK(h.all.rfind("220 mx.example.org ESMTP facteur ", 0) == 0);  // the default banner
    REQUIRE(h.rec.stored.size() == 1);
    const Transaction& t = h.rec.stored[0];
    CHECK(t.sender == "a@c.example");
    REQUIRE(t.recipients.size() == 1);
    CHECK(t.recipients[0].address == "u@example.org");
    CHECK(t.data == "Subject: hi\n\n.dotted\nbody\n");
    CHECK(t.data.substr(0, t.header_end) == "Subject: hi\n");
    CHECK(t.received.find("Received: from [203.0.113.5] (helo=c.example)") == 0);
  }

  TEST_CASE("bytes may arrive one at a time") {
    Harness h;
    std::string in = std::string(kEnvelope) + "DATA\r\nSubject: x\r\n\r\nb\r\n.\r\nQUIT\r\n";
    for (char c : in) h.session->feed(std::string_view(&c, 1));
    h.collect();
    CHECK(h.codes == Codes{"220", "250", "250", "250", "354", "250", "221"});
  }

  // helo_verify_hosts (spec 14), as exim4 -bh 203.0.113.5 answers: MAIL before a verified
  // HELO gets 503, an address literal that is not the client's 550, the right one 250.
  TEST_CASE("helo_verify_hosts: HELO/EHLO must match the client") {
    std::string conf = kConfig;
    conf.insert(conf.find("begin acl"), "helo_verify_hosts = 203.0.113.0/24\n");
    Harness h(SessionSettings{}, conf.c_str());
    auto codes = h.run(
        "MAIL FROM:<a@c.example>\r\nEHLO [192.0.2.2]\r\nMAIL FROM:<a@c.example>\r\n"
        "HELO [203.0.113.5]\r\nMAIL FROM:<a@c.example>\r\n");
    CHECK(codes == Codes{"220", "503", "550", "503", "250", "250"});
    CHECK(h.all.find("550 EHLO argument does not match calling host\r\n") != std::string::npos);
    Harness other(SessionSettings{}, kConfig);  // not in the list: anything goes
    CHECK(other.run("EHLO [192.0.2.2]\r\nMAIL FROM:<a@c.example>\r\n") ==
          Codes{"220", "250", "250"});
  }

  // verify = not_blind and verify = header_sender in the DATA ACL, as exim4 -bh 192.0.2.1
  // answers the same dialogues (local part exact, domain without case; Resent-To/Cc count;
  // Sender:, Reply-To:, From: tried in order; a syntax error fails at once).
  TEST_CASE("verify = not_blind and verify = header_sender") {
    struct Verifier : Recorder {
      std::vector<std::string> asked;
      std::vector<std::string> logs;
      VerifyResult verify_address(const VerifyRequest& req, lang::EvalContext&) override {
        asked.push_back(req.address);
        VerifyResult r;
        r.address = req.address;
        r.status = req.address == "ann@example.org"    ? VerifyStatus::Ok
                   : req.address == "slow@example.org" ? VerifyStatus::Defer
                                                       : VerifyStatus::Fail;
        return r;
      }
      void log(std::string_view line) override { logs.emplace_back(line); }
    };
    std::string conf = kConfig;
    conf.insert(conf.find("begin acl"), "acl_smtp_data = data\n");
    conf += "data:\n  deny !verify = not_blind\n  deny !verify = header_sender\n  accept\n";
    auto dialogue = [&](const std::string& headers, std::string* log = nullptr) {
      Verifier v;
      Harness h(SessionSettings{}, conf.c_str(), &v);
      auto codes = h.run(
          "EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<bob@example.org>\r\n"
          "DATA\r\n" +
          headers + "\r\nhi\r\n.\r\n");
      if (log)
        for (const auto& l : v.logs)
          if (l.find("rejected after DATA") != std::string::npos) *log = l;
      return codes.back();
    };
    std::string log;
    CHECK(dialogue("From: ann@example.org\r\nTo: ann@example.org\r\n", &log) == "550");
    CHECK(log.find("rejected after DATA: bcc recipient detected") != std::string::npos);
    CHECK(dialogue("From: ann@example.org\r\nTo: BOB@EXAMPLE.ORG\r\n") == "550");
    CHECK(dialogue("From: ann@example.org\r\nTo: x <bob@EXAMPLE.org>\r\n") == "250");
    CHECK(dialogue("From: ann@example.org\r\nCc: \"B\" <bob@example.org>, z@x\r\n") == "250");
    CHECK(dialogue("From: ann@example.org\r\nResent-To: bob@example.org\r\n") == "250");
    CHECK(dialogue("To: bob@example.org\r\n", &log) == "550");
    CHECK(log.find("rejected after DATA: there is no valid sender in any header line") !=
          std::string::npos);
    CHECK(dialogue("From: nobody@example.org\r\nTo: bob@example.org\r\n") == "550");
    CHECK(dialogue("From: ann\r\nTo: bob@example.org\r\n") == "550");
    CHECK(dialogue("From: a@example.org, ann@example.org\r\nTo: bob@example.org\r\n") == "250");
    CHECK(dialogue("From: nobody@example.org\r\nReply-To: ann@example.org\r\n"
                   "To: bob@example.org\r\n") == "250");
    CHECK(dialogue("From: garbage <<\r\nTo: bob@example.org\r\n", &log) == "550");
    CHECK(log.find("syntax error in 'From:' header when scanning for sender: missing or "
                   "malformed local part in \"garbage <<\"") != std::string::npos);
    CHECK(dialogue("From: slow@example.org\r\nTo: bob@example.org\r\n") == "451");
    std::string ci = conf;
    ci.replace(ci.find("not_blind"), 9, "not_blind/case_insensitive");
    std::swap(conf, ci);
    CHECK(dialogue("From: ann@example.org\r\nTo: BOB@EXAMPLE.ORG\r\n") == "250");
    std::swap(conf, ci);
  }

  // verify = header_syntax reads every address header line, not only the first of a name;
  // the text goes to the log and $acl_verify_message stays empty (Exim 4.96).
  TEST_CASE("verify = header_syntax checks every line, logs Exim's text") {
    std::string conf = data_acl_config();
    conf +=
        "data:\n  deny !verify = header_syntax\n       message = bad: $acl_verify_message\n"
        "  accept\n";
    Logs logs;
    Harness h(SessionSettings{}, conf.c_str(), &logs);
    h.run(std::string(kEnvelope) +
          "DATA\r\nTo: u@example.org\r\nTo: garbage <<\r\n\r\nhi\r\n.\r\n");
    CHECK(h.all.find("550 bad: \r\n") != std::string::npos);
    bool logged = false;
    for (const auto& l : logs.lines)
      logged |= l.find(
                    "rejected after DATA: missing or malformed local part: failing address in "
                    "\"To:\" header is: garbage <<") != std::string::npos;
    CHECK(logged);
  }

  // The DATA ACL sees the message as exim4 -bh shows it: $message_body (newlines as spaces),
  // $body_linecount of the body only, $message_headers with Received: first; `regex` reads
  // header and body lines one at a time, $regex_match_string is the pattern that matched.
  TEST_CASE("the DATA ACL's message variables and regex") {
    std::string conf = data_acl_config();
    conf +=
        "data:\n  warn logwrite = B=[$message_body] BL=[$body_linecount] "
        "MH=[${escape:$message_headers}]\n"
        "  deny regex = v(i)agra : ^X-Bad\n       message = spam [$regex_match_string] [$regex1]\n"
        "  accept\n";
    auto dialogue = [&](const std::string& message, std::vector<std::string>* logs = nullptr) {
      Logs l;
      Harness h(SessionSettings{}, conf.c_str(), &l);
      h.run(std::string(kEnvelope) + "DATA\r\n" + message + ".\r\n");
      if (logs) *logs = l.lines;
      std::string last = h.all.substr(h.all.rfind("\r\n", h.all.size() - 3) + 2);
      return last.substr(0, last.size() - 2);
    };
    std::vector<std::string> logs;
    CHECK(dialogue("Subject: x y\r\nX-A: 1\r\n\r\nhi\r\nthere\r\n", &logs).rfind("250 OK", 0) == 0);
    bool seen = false;
    for (const auto& l : logs) {
      if (l.find("B=[") == std::string::npos) continue;
      seen = true;
      CHECK(l.find("B=[hi there ] BL=[2] MH=[Received: from ") != std::string::npos);
      CHECK(l.find("\\nSubject: x y\\nX-A: 1]") != std::string::npos);
    }
    CHECK(seen);
    CHECK(dialogue("Subject: cheap viagra\r\n\r\nhi\r\n") == "550 spam [v(i)agra] [i]");
    CHECK(dialogue("Subject: ok\r\nX-Bad: 1\r\n\r\nhi\r\n") == "550 spam [^X-Bad] []");
    CHECK(dialogue("Subject: ok\r\n\r\nX-Bad in the body\r\n") == "550 spam [^X-Bad] []");
    CHECK(dialogue("Subject: ok\r\n\r\nnot at X-Bad line start\r\n").rfind("250 OK", 0) == 0);
  }

  // control = submission fixes a message up before the DATA ACL, as exim4 -bh shows it:
  // Message-Id:, From: (the envelope sender) and Date: appended when missing, for that
  // message only.
  TEST_CASE("control = submission adds Message-Id:, From: and Date:") {
    std::string conf = kConfig;
    conf.insert(conf.find("  accept domains = +local_domains"),
                "  accept local_parts = u\n         domains = +local_domains\n"
                "         control = submission\n");
    Harness h(SessionSettings{}, conf.c_str());
    h.run(std::string(kEnvelope) + "DATA\r\nSubject: x\r\nSender: s@x.example\r\n\r\nhi\r\n.\r\n" +
          "MAIL FROM:<a@c.example>\r\nRCPT TO:<w@example.org>\r\n" +
          "DATA\r\nSubject: y\r\n\r\nhi\r\n.\r\n");
    REQUIRE(h.rec.stored.size() == 2);
    const Transaction& t = h.rec.stored[0];
    std::string headers = t.data.substr(0, t.header_end);
    CHECK(headers.rfind("Subject: x\nSender: s@x.example\nMessage-Id: <E" + h.rec.ids[0] +
                            "@mx.example.org>\nFrom: a@c.example\nDate: ",
                        0) == 0);
    CHECK(t.data.substr(t.header_end) == "\nhi\n");
    CHECK(t.sender == "a@c.example");  // not authenticated: the envelope stays
    const Transaction& u = h.rec.stored[1];
    CHECK(u.data.substr(0, u.header_end) == "Subject: y\n");  // reset with the transaction
  }

  // As exim4 -bh: the VRFY ACL sees the address as $local_part/$domain, and a failed verify's
  // $acl_verify_message does not outlive its statement.
  TEST_CASE("VRFY ACL variables; $acl_verify_message lasts one statement") {
    std::string conf = kConfig;
    conf.insert(conf.find("begin acl"), "acl_smtp_vrfy = vrfy\nacl_smtp_mail = mail\n");
    conf +=
        "vrfy:\n  deny local_parts = ann\n       domains = example.org\n"
        "       message = saw $local_part at $domain\n"
        "mail:\n  accept senders = x@y\n         verify = sender\n"
        "  deny message = last [$acl_verify_message]\n";
    struct Fails : Recorder {
      VerifyResult verify_address(const VerifyRequest& req, lang::EvalContext&) override {
        VerifyResult r;
        r.address = req.address;
        r.status = VerifyStatus::Fail;
        r.user_message = "Unrouteable address";
        return r;
      }
    } fails;
    Harness h(SessionSettings{}, conf.c_str(), &fails);
    h.run("EHLO c.example\r\nVRFY Ann@Example.ORG\r\nMAIL FROM:<x@y>\r\n");
    CHECK(h.all.find("252 saw ann at example.org\r\n") != std::string::npos);  // Exim: 252
    CHECK(h.all.find("550 last []\r\n") != std::string::npos);
  }

  // $rcpt_count in the RCPT ACL counts the RCPT commands of the transaction, this one
  // included, refused ones too (spec: "its value includes the current command").
  TEST_CASE("$rcpt_count includes the current RCPT") {
    std::string conf = kConfig;
    conf.insert(conf.find("rcpt:\n") + 5,
                "  deny condition = ${if >{$rcpt_count}{2}}\n       message = count $rcpt_count\n");
    Harness h(SessionSettings{}, conf.c_str());
    auto codes = h.run(
        "EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<x@other.example>\r\n"
        "RCPT TO:<u@example.org>\r\nRCPT TO:<v@example.org>\r\n");
    CHECK(codes == Codes{"220", "250", "250", "550", "250", "550"});
    CHECK(h.all.find("550 count 3\r\n") != std::string::npos);
  }

  TEST_CASE("sequencing errors") {
    Harness h;
    auto codes = h.run(
        "MAIL FROM:<a@c.example>\r\nEHLO c\r\nRCPT TO:<u@example.org>\r\n"
        "DATA\r\nMAIL FROM:<a@c.example>\r\nMAIL FROM:<b@c.example>\r\nQUIT\r\n");
    CHECK(codes == Codes{"220", "503", "250", "503", "503", "250", "503", "221"});
  }

  TEST_CASE("a space inside the address is not a parameter separator (checked with Exim 4.96)") {
    Harness h;
    auto codes = h.run(
        "EHLO c\r\nMAIL FROM:<a b@c.example>\r\nMAIL FROM:<a@c .example>\r\n"
        "RSET\r\nMAIL FROM:<a@c.example >\r\n"
        // RCPT puts '=' back for an unknown word, as Exim 4.96 does
        "RCPT TO:<u@example.org >\r\nRCPT TO:<u@example.org> FOO\r\nQUIT\r\n");
    CHECK(codes == Codes{"220", "250", "501", "250", "250", "250", "501", "501", "221"});
  }

  TEST_CASE("RCPT limits and relay refusal") {
    Harness h;
    auto codes = h.run(
        "EHLO c\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<x@remote.example>\r\n"
        "RCPT TO:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n"
        "RCPT TO:<c@example.org>\r\nRCPT TO:<d@example.org>\r\nQUIT\r\n");
    CHECK(codes == Codes{"220", "250", "250", "550", "250", "250", "250", "452", "221"});
  }

  TEST_CASE("SIZE over the limit and overflowing SIZE (T-SMTP-1)") {
    Harness h;
    auto codes = h.run(
        "EHLO c\r\nMAIL FROM:<a@c.example> SIZE=99999999999999999999\r\n"
        "MAIL FROM:<a@c.example> SIZE=100 BODY=8BITMIME\r\nQUIT\r\n");
    CHECK(codes == Codes{"220", "250", "552", "250", "221"});
  }

  TEST_CASE("data over message_size_limit is refused after the data") {
    Harness h;
    std::string big(3000, 'x');
    auto codes = h.run(std::string(kEnvelope) + "DATA\r\n" + big + "\r\n.\r\nQUIT\r\n");
    CHECK(codes == Codes{"220", "250", "250", "250", "354", "552", "221"});
    CHECK(h.rec.stored.empty());
  }

  TEST_CASE("overlong command lines get two 500s (T-LIM-3)") {
    Harness h;
    std::string line = "MAIL FROM:<" + std::string(20000, 'a') + "@c.example>\r\n";
    auto codes = h.run("EHLO c\r\n" + line + "NOOP\r\nQUIT\r\n");
    CHECK(codes == Codes{"220", "250", "500", "500", "250", "221"});
  }

  TEST_CASE("NUL bytes in commands") {
    Harness h;
    auto codes = h.run(std::string("EHLO c\r\nMAIL FROM:<a\0b@c.example>\r\nQUIT\r\n", 42));
    CHECK(codes == Codes{"220", "250", "501", "221"});
  }

  TEST_CASE("too many syntax errors end the session") {
    Harness h;
    auto codes = h.run(
        "EHLO c\r\nRCPT TO:<a@b>\r\nRCPT TO:<a@b>\r\nRCPT TO:<a@b>\r\n"
        "RCPT TO:<a@b>\r\nRCPT TO:<a@b>\r\nRCPT TO:<a@b>\r\nNOOP\r\n");
    CHECK(codes == Codes{"220", "250", "503", "503", "503", "503", "503", "503"});
    CHECK(h.session->finished());
  }

  // T-SMUG-1..10: on a network session no bare CR/LF variant ends the data; the message is
  // refused as a whole and the smuggled commands are never executed.
  TEST_CASE("SMTP smuggling variants (T-SMUG-1..10)") {
    const char* variants[] = {"\n.\n",   "\r.\r",   "\r.\n",   "\n.\r",      "\n.\r\n",
                              "\r\n.\n", "\r.\r\n", "\r\n.\r", "\r\n\0.\r\n"};
    for (size_t i = 0; i < sizeof variants / sizeof *variants; ++i) {
      std::string v = i == 8 ? std::string("\r\n\0.\r\n", 6) : variants[i];
      Harness h;
      std::string in = std::string(kEnvelope) + "DATA\r\nSubject: a\r\n\r\nbody" + v +
                       "MAIL FROM:<evil@x.example>\r\nRCPT TO:<u@example.org>\r\nDATA\r\n"
                       "Subject: smuggled\r\n\r\nx\r\n.\r\nQUIT\r\n";
      auto codes = h.run(in);
      INFO("variant ", i + 1);
      // One DATA reply (354), one end-of-data reply, QUIT: never a second transaction.
      CHECK(std::count(codes.begin(), codes.end(), "354") == 1);
      CHECK(codes.back() == "221");
      CHECK(h.rec.stored.size() <= 1);
      for (const auto& t : h.rec.stored) CHECK(t.data.find("smuggled") != std::string::npos);
    }
    // T-SMUG-10: a header line ending in bare LF does not switch to an LF-only mode.
    Harness h;
    auto codes = h.run(std::string(kEnvelope) +
                       "DATA\r\nSubject: a\nX: b\r\n\r\nbody\n.\nMAIL FROM:<evil@x>\r\n.\r\n"
                       "QUIT\r\n");
    CHECK(codes == Codes{"220", "250", "250", "250", "354", "550", "221"});
    CHECK(h.rec.stored.empty());
  }

  TEST_CASE("stdin sessions take LF-only lines, in DATA too") {
    SessionSettings st;
    st.lf_line_endings = true;
    Harness h(st);
    auto codes = h.run(
        "EHLO c\nMAIL FROM:<a@c.example>\nRCPT TO:<u@example.org>\nDATA\n"
        "Subject: x\n\nbody\n.\nQUIT\n");
    CHECK(codes == Codes{"220", "250", "250", "250", "354", "250", "221"});
    REQUIRE(h.rec.stored.size() == 1);
    CHECK(h.rec.stored[0].data == "Subject: x\n\nbody\n");
  }

  TEST_CASE("end of input") {
    Harness h;
    h.run(std::string(kEnvelope) + "DATA\r\nSubject: x\r\n");
    h.session->end_of_input();
    h.collect();
    CHECK(h.codes.back() == "421");
    CHECK(h.all.find("421 Lost incoming connection") != std::string::npos);
    CHECK(h.rec.stored.empty());
  }

  // T-TLS-1: plaintext pipelined behind STARTTLS is dropped.
  TEST_CASE("STARTTLS command injection (T-TLS-1)") {
    SessionSettings st;
    st.tls_can_start = true;
    Harness h(st);
    auto codes = h.run("EHLO c\r\nSTARTTLS\r\nRSET\r\n");
    CHECK(codes == Codes{"220", "250", "220"});
    REQUIRE(h.session->tls_pending());
    h.session->tls_started({"TLS1.3:TLS_AES_256_GCM_SHA384:256", "", false});
    codes = h.run("NOOP\r\n");
    CHECK(codes == Codes{"220", "250", "220", "250"});  // no reply to the injected RSET
  }

  // T-TLS-2: the sender given before STARTTLS is forgotten, and EHLO is needed again
  // (RFC 3207 section 4.2).
  TEST_CASE("STARTTLS discards the transaction and the EHLO (T-TLS-2)") {
    SessionSettings st;
    st.tls_can_start = true;
    Harness h(st);
    auto codes = h.run("EHLO c\r\nMAIL FROM:<a@c.example>\r\nSTARTTLS\r\n");
    CHECK(codes == Codes{"220", "250", "250", "220"});
    h.session->tls_started({"TLS1.3:TLS_AES_256_GCM_SHA384:256", "", false});
    size_t before = h.all.size();
    codes = h.run("RCPT TO:<u@example.org>\r\nMAIL FROM:<a@c.example>\r\n");
    CHECK(h.all.substr(before) == "503 sender not yet given\r\n503 HELO or EHLO required\r\n");
    CHECK(h.session->transaction().sender.empty());
    CHECK_FALSE(h.session->transaction().mail_given);
    codes = h.run("EHLO c\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<u@example.org>\r\n");
    CHECK(codes.back() == "250");
  }

  // T-TLS-3: STARTTLS is not offered inside TLS, and refused there, with or without a new
  // EHLO; what was advertised before the handshake counts for nothing.
  TEST_CASE("no STARTTLS inside TLS (T-TLS-3)") {
    SessionSettings st;
    st.tls_can_start = true;
    Harness h(st);
    h.run("EHLO c\r\nSTARTTLS\r\n");
    h.session->tls_started({"TLS1.3:TLS_AES_256_GCM_SHA384:256", "", false});
    size_t before = h.all.size();
    h.run("STARTTLS\r\n");  // before EHLO: the earlier advertisement is gone
    CHECK(h.all.substr(before) == "503 STARTTLS command used when not advertised\r\n");
    CHECK_FALSE(h.session->tls_pending());
    before = h.all.size();
    auto codes = h.run("EHLO c\r\nSTARTTLS\r\nQUIT\r\n");
    std::string after = h.all.substr(before);
    CHECK(after.find("250-PIPELINING") != std::string::npos);
    CHECK(after.find("STARTTLS\r\n") == std::string::npos);
    CHECK(after.find("503 STARTTLS command used when not advertised") != std::string::npos);
    CHECK_FALSE(h.session->tls_pending());
    CHECK(codes.back() == "221");
  }

  TEST_CASE("STARTTLS with an argument (T-TLS-4)") {
    SessionSettings st;
    st.tls_can_start = true;
    Harness h(st);
    auto codes = h.run("EHLO c\r\nSTARTTLS foo\r\nNOOP\r\n");
    CHECK(codes == Codes{"220", "250", "501", "250"});
    CHECK_FALSE(h.session->tls_pending());
  }

  TEST_CASE("STARTTLS that the transport cannot do") {
    Harness h;
    auto codes = h.run("EHLO c\r\nSTARTTLS\r\nNOOP\r\n");
    CHECK(codes == Codes{"220", "250", "454", "250"});
  }

  TEST_CASE("BDAT without MAIL (T-BDAT-1)") {
    Harness h;
    auto codes = h.run("EHLO c\r\nBDAT 0 LAST\r\n");
    CHECK(codes == Codes{"220", "250", "503"});
  }

  // T-BDAT-2: a chunk is so many bytes, whatever they hold; commands inside it are data.
  TEST_CASE("BDAT counts bytes, not lines (T-BDAT-2)") {
    Harness h;
    auto codes = h.run(std::string(kEnvelope) + "BDAT 10\r\n12345NOOP\r\n");
    // The chunk took "12345NOOP\r"; the "\n" left is an empty line between chunks, not a NOOP.
    CHECK(codes == Codes{"220", "250", "250", "250", "250", "503"});
    CHECK(h.all.find("250 10 byte chunk received\r\n503 only BDAT permissible after non-LAST "
                     "BDAT\r\n") != std::string::npos);
    Harness h2;
    codes = h2.run(std::string(kEnvelope) +
                   "BDAT 6\r\nQUIT\r\nBDAT 20 LAST\r\nSubject: x\r\n\r\nRSET\r\n");
    CHECK(codes == Codes{"220", "250", "250", "250", "250", "250"});
    CHECK_FALSE(h2.session->finished());
    REQUIRE(h2.rec.stored.size() == 1);
    CHECK(h2.rec.stored[0].data == "QUIT\nSubject: x\n\nRSET\n");
    // Anything after the size but LAST is a chunk that is not the last (exim4 -bh): its bytes
    // are data all the same, never a command.
    Harness h3;
    codes = h3.run(std::string(kEnvelope) + "BDAT 6 LASTX\r\nQUIT\r\nBDAT 0 LAST\r\n");
    CHECK(codes == Codes{"220", "250", "250", "250", "250", "250"});
    CHECK(h3.all.find("250 6 byte chunk received\r\n") != std::string::npos);
    CHECK_FALSE(h3.session->finished());
  }

  // T-BDAT-3: a refused BDAT leaves nothing behind: its chunk is read and thrown away (never
  // run as commands), DATA cannot join a BDAT transaction, and RSET ends the chunk sequence.
  TEST_CASE("BDAT after refusals, DATA after BDAT, RSET between chunks (T-BDAT-3)") {
    Harness h;
    // After a refused RCPT: the chunk "NOOP\r\nXYZW" is dropped, the "\r\n" after it is an
    // empty line (500) and the NOOP after that is the first command.
    auto codes = h.run(
        "EHLO c\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<x@remote.example>\r\n"
        "BDAT 10 LAST\r\nNOOP\r\nXYZW\r\nNOOP\r\nDATA\r\n");
    CHECK(codes == Codes{"220", "250", "250", "550", "503", "500", "250", "503"});
    CHECK(h.all.find("503 Valid RCPT command must precede BDAT\r\n") != std::string::npos);
    CHECK(h.all.find("503 valid RCPT command must precede DATA\r\n") != std::string::npos);
    CHECK(h.rec.stored.empty());
    // A non-LAST chunk refused in the same way: not even its bytes are kept for later.
    Harness h1;
    codes = h1.run("EHLO c\r\nMAIL FROM:<a@c.example>\r\nBDAT 6\r\nRSET\r\n");
    CHECK(codes == Codes{"220", "250", "250", "503"});
    codes = h1.run("RCPT TO:<u@example.org>\r\nBDAT 3 LAST\r\nx\r\n");
    CHECK(codes.back() == "250");
    REQUIRE(h1.rec.stored.size() == 1);
    CHECK(h1.rec.stored[0].data == "x\n");

    // DATA between chunks: refused, then only RSET is taken (RFC 3030: the state is in doubt).
    Harness h2;
    codes = h2.run(std::string(kEnvelope) + "BDAT 3\r\nabcDATA\r\nBDAT 3 LAST\r\ndefRSET\r\n");
    CHECK(codes == Codes{"220", "250", "250", "250", "250", "503", "503", "250"});
    CHECK(h2.all.find("503 only BDAT permissible after non-LAST BDAT\r\n503 only RSET accepted "
                      "now\r\n") != std::string::npos);
    CHECK(h2.rec.stored.empty());
    codes = h2.run(std::string(kEnvelope).substr(16) + "DATA\r\nSubject: y\r\n\r\n.\r\n");
    CHECK(codes.back() == "250");  // after RSET a DATA transaction is fine
    REQUIRE(h2.rec.stored.size() == 1);

    // RSET between chunks ends the sequence: a later BDAT needs MAIL and RCPT again (no message
    // without a sender or recipients from a dangling chunk sequence, CVE-2020-28019 shape).
    Harness h3;
    codes =
        h3.run(std::string(kEnvelope) + "BDAT 10\r\n0123456789NOOP\r\nRSET\r\nBDAT 3 LAST\r\nabc");
    CHECK(codes == Codes{"220", "250", "250", "250", "250", "250", "250", "503"});
    CHECK(h3.rec.stored.empty());
    codes = h3.run("MAIL FROM:<a@c.example>\r\nRCPT TO:<u@example.org>\r\nDATA\r\n");
    CHECK(codes.back() == "354");
  }

  // T-BDAT-4: a size over any limit ends the session at once; nothing is allocated for it.
  TEST_CASE("BDAT with a huge size (T-BDAT-4)") {
    for (const char* size :
         {"18446744073709551615", "18446744073709551616", "99999999999999999999999"}) {
      Harness h;
      auto codes = h.run(std::string(kEnvelope) + "BDAT " + size + "\r\nNOOP\r\n");
      CHECK_MESSAGE((codes == Codes{"220", "250", "250", "250", "552"}), size);
      CHECK(h.session->finished());
      CHECK(h.rec.stored.empty());
    }
    // Without message_size_limit the chunk is simply long: what arrives is data, the session
    // waits for the rest and a lost connection ends it.
    std::string conf = kConfig;
    conf.replace(conf.find("message_size_limit = 2k"), 23, "message_size_limit = 0");
    Harness h(SessionSettings{}, conf.c_str());
    auto codes = h.run(std::string(kEnvelope) + "BDAT 18446744073709551615\r\nNOOP\r\nQUIT\r\n");
    CHECK(codes == Codes{"220", "250", "250", "250"});
    h.session->end_of_input();
    h.collect();
    CHECK(h.codes.back() == "421");
    CHECK(h.rec.stored.empty());
  }

  TEST_CASE("BDAT chunks with a bare CR (T-SMUG-11)") {
    Harness h;
    // The chunks hold "12345NOOP\rSubject: x\r\n\r\nb\r\n", a bare CR: refused.
    auto codes = h.run(std::string(kEnvelope) +
                       "BDAT 10\r\n12345NOOP\rBDAT 17 LAST\r\nSubject: x\r\n\r\nb\r\n");
    CHECK(codes.back() == "550");
    CHECK(h.rec.stored.empty());
    codes = h.run(
        "MAIL FROM:<a@c.example>\r\nRCPT TO:<u@example.org>\r\n"
        "BDAT 14\r\nSubject: x\r\n\r\nBDAT 6 LAST\r\nbody\r\n");
    CHECK(codes.back() == "250");
    REQUIRE(h.rec.stored.size() == 1);
    CHECK(h.rec.stored[0].data == "Subject: x\n\nbody\n");
  }

  // T-PROXY-1: the PROXY protocol (hosts_proxy) is not implemented. A host in hosts_proxy is
  // refused at once (its mail would otherwise be taken as the proxy's). From any other host
  // the headers are SMTP input like any other: refused as commands, with fixed texts (nothing
  // of the header, nothing uninitialised, is sent back); the v2 signature holds "QUIT\n",
  // which ends the session.
  TEST_CASE("PROXY protocol: proxies refused, headers refused as commands (T-PROXY-1)") {
    std::string conf = kConfig;
    conf.insert(conf.find("begin acl"), "hosts_proxy = 192.0.2.66\n");
    SessionSettings proxy;
    proxy.client_address = "192.0.2.66";
    Harness p(proxy, conf.c_str());
    CHECK(p.run("PROXY TCP4 192.0.2.99 192.0.2.1 1234 25\r\n") == Codes{"554"});
    CHECK(p.session->finished());
    const std::string sig("\r\n\r\n\0\r\nQUIT\n", 12);
    // v2, PROXY command, family 0x21 (TCP over IPv6), address length 0.
    std::string v2_empty = sig + std::string("\x21\x21\x00\x00", 4);
    // v2 claiming 0xffff bytes of addresses, with 12 given.
    std::string v2_long = sig + std::string("\x21\x11\xff\xff", 4) + std::string(12, '\x7f');
    for (const std::string& header : {v2_empty, v2_long}) {
      Harness h(SessionSettings{}, conf.c_str());
      auto codes = h.run(header + "EHLO c\r\n");
      CHECK(codes == Codes{"220", "500", "500", "501", "221"});
      CHECK(h.session->finished());
      CHECK(h.all.find('\x7f') == std::string::npos);
    }
    // v1 with a 200-character line: one unknown command, then the session goes on as plain
    // SMTP from the connecting host (the header's addresses are not believed).
    Harness h(SessionSettings{}, conf.c_str());
    std::string v1 = "PROXY TCP4 192.0.2.99 192.0.2.1 " + std::string(160, '9') + " 25\r\n";
    auto codes = h.run(v1 + "EHLO c\r\n");
    CHECK(codes == Codes{"220", "500", "250"});
    CHECK(h.all.find("192.0.2.99") == std::string::npos);
    std::string ip;
    REQUIRE(h.session->variables().get("sender_host_address", ip));
    CHECK(ip == "203.0.113.5");
  }

  TEST_CASE("unknown commands and HTTP (T-SMTP-3)") {
    Harness h;
    auto codes = h.run("GET / HTTP/1.1\r\nHost: x\r\nAccept: */*\r\nUser-Agent: y\r\n");
    CHECK(codes == Codes{"220", "500", "500", "500", "500"});
    CHECK(h.session->finished());
  }

  // smtp_enforce_sync (T-SMUG-12): pipelining where the client must wait is refused.
  TEST_CASE("synchronization errors on network sessions") {
    SessionSettings st;
    st.enforce_sync = true;
    Harness h(st);
    auto codes = h.run("EHLO c\r\n");
    CHECK(codes == Codes{"220", "250"});
    codes = h.run("MAIL FROM:<a@c.example>\r\nRCPT TO:<u@example.org>\r\nDATA\r\n");
    CHECK(codes == Codes{"220", "250", "250", "250", "354"});  // allowed pipelining
    codes = h.run(".\r\nMAIL FROM:<evil@x.example>\r\n");
    CHECK(codes.back() == "250");
    Harness h2(st);
    codes = h2.run("EHLO c\r\nNOOP\r\n");  // EHLO must be the last of a group
    CHECK(codes == Codes{"220", "554"});
    CHECK(h2.session->finished());
    SessionSettings bh;  // -bh never reports synchronization errors
    Harness h3(bh);
    codes = h3.run("EHLO c\r\nNOOP\r\n");
    CHECK(codes == Codes{"220", "250", "250"});
  }
}

namespace {

// Authenticates anyone with AUTH PLAIN as "joe", and records the log.
class AuthRecorder : public Recorder {
 public:
  std::vector<std::string> auth_mechanisms(lang::EvalContext&) override { return {"PLAIN"}; }
  std::unique_ptr<AuthExchange> auth_start(std::string_view, lang::EvalContext&) override {
    struct Yes : AuthExchange {
      AuthStep step(std::string_view, bool) override { return {AuthStep::Success, "", "", "joe"}; }
      std::string authenticator() const override { return "plain"; }
    };
    return std::make_unique<Yes>();
  }
  void log(std::string_view line) override { logs.emplace_back(line); }
  std::vector<std::string> logs;
};

constexpr const char* kMailAuthConfig = R"(
primary_hostname = mx.example.org
acl_smtp_mailauth = mailauth
acl_smtp_mail = mail
acl_smtp_rcpt = rcpt
begin acl
mailauth:
  accept condition = ${if eq{$authenticated_sender}{good@x.example}}
  defer  condition = ${if eq{$authenticated_sender}{later@x.example}}
         message   = 451 4.7.0 later
  drop   condition = ${if eq{$authenticated_sender}{drop@x.example}}
  deny
mail:
  accept set acl_m_as = $authenticated_sender
rcpt:
  accept
begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_condition = yes
)";

// The services exist before the session that uses them (bases are built in order).
struct AuthHolder {
  AuthRecorder auth;
};
struct AuthHarness : AuthHolder, Harness {
  explicit AuthHarness(const char* conf) : AuthHolder(), Harness(SessionSettings{}, conf, &auth) {}
};

bool logged(const AuthRecorder& r, std::string_view text) {
  for (const auto& l : r.logs)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_SUITE("engine.smtp.session") {
  TEST_CASE("acl_smtp_mailauth decides what AUTH= gives $authenticated_sender") {
    AuthHarness h(kMailAuthConfig);
    auto codes = h.run(
        "EHLO c.example\r\nMAIL FROM:<a@c.example> AUTH=good@x.example\r\n"
        "RCPT TO:<u@example.org>\r\nDATA\r\nSubject: s\r\n\r\nb\r\n.\r\n");
    CHECK(codes == Codes{"220", "250", "250", "250", "354", "250"});
    REQUIRE(h.auth.stored.size() == 1);
    CHECK(h.auth.stored[0].auth_sender == "good@x.example");
    CHECK(h.auth.stored[0].acl_vars.at("acl_m_as") == "good@x.example");

    codes = h.run("MAIL FROM:<a@c.example> AUTH=bad+2Bx@x.example\r\n");
    CHECK(codes.back() == "250");  // refused by the ACL: ignored, and logged
    CHECK(logged(h.auth,
                 "ignoring AUTH=bad+2Bx@x.example from H=(c.example) [203.0.113.5] "
                 "(rejected by ACL)"));
    std::string as;
    CHECK_FALSE(h.session->variables().get("authenticated_sender", as));

    codes = h.run("RSET\r\nMAIL FROM:<a@c.example> AUTH=later@x.example\r\n");
    CHECK(codes.back() == "451");
    CHECK(h.all.find("451 4.7.0 later") != std::string::npos);
    codes = h.run("MAIL FROM:<a@c.example> AUTH=drop@x.example\r\n");
    CHECK(codes.back() == "451");  // drop is not allowed there: a temporary error
    CHECK(logged(h.auth, "\"drop\" verb not allowed in MAILAUTH ACL"));
    CHECK_FALSE(h.session->finished());
  }

  TEST_CASE("without acl_smtp_mailauth AUTH= counts only for an authenticated client") {
    std::string conf = kMailAuthConfig;
    conf.replace(conf.find("acl_smtp_mailauth"), 17, "# no mailauth ACL");
    AuthHarness h(conf.c_str());
    h.run("EHLO c.example\r\nMAIL FROM:<a@c.example> AUTH=who@x.example\r\nRSET\r\n");
    CHECK(logged(h.auth, "(client not authenticated)"));
    auto codes = h.run("AUTH PLAIN AGpvZQBwYXNz\r\nMAIL FROM:<a@c.example> AUTH=who@x.example\r\n");
    CHECK(codes.back() == "250");
    std::string as;
    REQUIRE(h.session->variables().get("authenticated_sender", as));
    CHECK(as == "who@x.example");
  }

  // T-SPOOL-2: AUTH= in xtext may encode CR and LF. The decoded value is data: the spool
  // writes -auth_sender on one line (a LF becomes a space) and the ACL variable that copied it
  // with its length, so no line of it is read as a spool line ("-local", "-acl m_a ...").
  TEST_CASE("AUTH= with encoded newlines makes no spool header line (T-SPOOL-2)") {
    std::string conf = kMailAuthConfig;
    conf.replace(conf.find("acl_smtp_mailauth"), 17, "# no mailauth ACL");
    AuthHarness h(conf.c_str());
    h.run("EHLO c.example\r\nAUTH PLAIN AGpvZQBwYXNz\r\n");
    struct Case {
      const char* xtext;
      std::string value, spooled;
    } cases[] = {
        {"x+0A-local", "x\n-local", "x -local"},
        {"x+0D+0A-local@y", "x\r\n-local@y", "x\r -local@y"},
        {"x+0A-aclm+20_a+201+0A1+0A-local", "x\n-aclm _a 1\n1\n-local", "x -aclm _a 1 1 -local"},
        {"x%0A-local", "x%0A-local", "x%0A-local"}};
    for (const Case& c : cases) {
      INFO(std::string(c.xtext));
      h.auth.stored.clear();
      auto codes = h.run("MAIL FROM:<a@c.example> AUTH=" + std::string(c.xtext) +
                         "\r\nRCPT TO:<u@example.org>\r\nDATA\r\nSubject: s\r\n\r\nb\r\n.\r\n");
      CHECK(codes.back() == "250");
      REQUIRE(h.auth.stored.size() == 1);
      CHECK(h.auth.stored[0].auth_sender == c.value);
      std::string id = "1xVlKL-0007P5-BC";
      engine::SpoolMessage m = build_spool_message(h.auth.stored[0], id);
      auto back = engine::spool_header_parse(engine::spool_header_format(m), id);
      REQUIRE_MESSAGE(back.ok(), back.error().message);
      CHECK(back->value("auth_sender") == c.spooled);
      CHECK(back->vars.size() == m.vars.size());  // not one variable more
      CHECK_FALSE(back->flag("local"));
      REQUIRE(back->acl_vars.size() == 1);  // acl_m_as, set by the MAIL ACL
      CHECK(back->acl_vars[0].value == c.value);
      CHECK(back->recipients.size() == 1);
    }
  }
}
