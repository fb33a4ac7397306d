#include "engine/sendmail_mode.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>

namespace {

std::string read(const char* input, bool dot_ends) {
  std::FILE* f = fmemopen(const_cast<char*>(input), std::strlen(input), "r");
  std::string out = engine::sendmail_read_input(f, dot_ends);
  std::fclose(f);
  return out;
}

engine::config::Config config() {
  auto c = engine::config::read_string(
      "primary_hostname = mx.example.org\n"
      "qualify_domain = example.org\n"
      "acl_not_smtp = not_smtp\nbegin acl\nnot_smtp:\n"
      "  deny message = no spam ($h_subject:)\n"
      "       condition = ${if match{$h_subject:}{spam}}\n"
      "  accept\n",
      "t.conf");
  REQUIRE(c.ok());
  return std::move(*c);
}

engine::CommandLine cmdline(std::vector<std::string> args, bool t = false) {
  engine::CommandLine cl;
  cl.args = std::move(args);
  cl.extract_recipients = t;
  return cl;
}

}  // namespace

TEST_SUITE("sendmail_mode") {
  TEST_CASE("input: line ends, the lone dot, -i") {
    CHECK(read("a\r\nb\rc\nd", true) == "a\nb\nc\nd\n");
    CHECK(read("a\n.\nb\n", true) == "a\n");
    CHECK(read("a\n.\nb\n", false) == "a\n.\nb\n");
    CHECK(read("a\n..\n", true) == "a\n..\n");
  }

  TEST_CASE("recipients: lists, qualification, -t with exclusions and Resent-") {
    auto cfg = config();
    engine::LocalCaller caller;
    auto m = engine::sendmail_message(cfg, cmdline({"Joe <joe@x.example>, bob"}), caller, "b\n");
    REQUIRE(m.ok());
    REQUIRE(m->recipients.size() == 2);
    CHECK(m->recipients[0].address == "joe@x.example");
    CHECK(m->recipients[1].address == "bob@example.org");
    CHECK(m->sender == "root@example.org");
    m = engine::sendmail_message(cfg, cmdline({"c@x.example"}, true), caller,
                                 "To: a@x.example, team: b@x.example, c@x.example;\n"
                                 "Bcc: d@x.example\n\nbody\n");
    REQUIRE(m.ok());
    REQUIRE(m->recipients.size() == 3);
    CHECK(m->recipients[2].address == "d@x.example");
    CHECK(m->remove_bcc);
    m = engine::sendmail_message(cfg, cmdline({}, true), caller,
                                 "To: a@x.example\nResent-To: r@x.example\n\nbody\n");
    REQUIRE(m.ok());
    REQUIRE(m->recipients.size() == 1);
    CHECK(m->recipients[0].address == "r@x.example");
    auto none = engine::sendmail_message(cfg, cmdline({}, true), caller, "Subject: x\n\nb\n");
    CHECK(none.error().message == "no recipients found in headers");
    CHECK(engine::sendmail_message(cfg, cmdline({}), caller, "b\n").error().message ==
          "no recipients given");
  }

  TEST_CASE("-f is believed from trusted callers only (and <> from anyone)") {
    auto cfg = config();
    engine::LocalCaller joe;
    joe.login = "joe";
    joe.trusted = false;
    auto cl = cmdline({"x@y.example"});
    cl.sender_given = true;
    cl.sender = "boss@example.org";
    CHECK(engine::sendmail_message(cfg, cl, joe, "b\n")->sender == "joe@example.org");
    cl.sender = "<>";
    CHECK(engine::sendmail_message(cfg, cl, joe, "b\n")->sender.empty());
    engine::LocalCaller root;
    cl.sender = "boss";
    CHECK(engine::sendmail_message(cfg, cl, root, "b\n")->sender == "boss@example.org");
  }

  TEST_CASE("acl_not_smtp sees the headers") {
    auto cfg = config();
    auto acls = engine::acl::load(cfg);
    REQUIRE(acls.ok());
    engine::LocalCaller caller;
    auto m =
        engine::sendmail_message(cfg, cmdline({"x@y.example"}), caller, "Subject: buy spam\n\nb\n");
    REQUIRE(m.ok());
    CHECK(engine::sendmail_check_acl(cfg, *acls, *m) == "no spam (buy spam)");
    m->text = "Subject: hello\n\nb\n";
    CHECK(engine::sendmail_check_acl(cfg, *acls, *m).empty());
  }
}
