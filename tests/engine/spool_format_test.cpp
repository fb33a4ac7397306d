#include "engine/spool_format.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

using engine::SpoolMessage;

namespace {

template <class R>
std::string why(const R& r) {
  return r.ok() ? std::string() : r.error().message;
}

std::string read_data(const char* name) {
  std::ifstream f(std::string(FACTEUR_SOURCE_DIR) + "/tests/engine/spool_data/" + name);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

SpoolMessage sample() {
  SpoolMessage m;
  m.id = "1xVkSX-0008Qu-3A";
  m.login = "Debian-exim";
  m.uid = 101;
  m.gid = 102;
  m.sender = "alice@example.org";
  m.received_time = 1795503417;
  m.set_var("received_time_usec", ".982833");
  m.set_var("helo_name", "client.example", true);
  m.set_var("host_address", engine::spool_format_host_address("192.0.2.7", 4321), true);
  m.set_var("received_protocol", "esmtps");
  m.set_var("body_linecount", "3");
  m.set_flag("deliver_firsttime");
  m.acl_vars.push_back({'c', "_bar", "multi\nline", false});
  m.acl_vars.push_back({'m', "0", "", true});
  engine::SpoolRecipient bob;
  bob.address = "bob@example.net";
  m.recipients.push_back(bob);
  engine::SpoolRecipient carol;
  carol.address = "carol@example.net";
  carol.has_dsn = carol.has_parent = true;
  carol.orcpt = "rfc822;carol@example.net";
  carol.dsn_flags = engine::kDsnSuccess | engine::kDsnFailure;
  m.recipients.push_back(carol);
  m.headers.push_back({'P', "Received: from x\n\tby y; Tue, 24 Nov 2026 06:56:53 +0000\n"});
  m.headers.push_back({' ', "Subject: test\n"});
  m.headers.push_back({'*', "X-Old: gone\n"});
  return m;
}

}  // namespace

TEST_SUITE("engine.spool_format") {
  TEST_CASE("the -H text, line by line") {
    std::string want =
        "1xVkSX-0008Qu-3A-H\n"
        "Debian-exim 101 102\n"
        "<alice@example.org>\n"
        "1795503417 0\n"
        "-received_time_usec .982833\n"
        "--helo_name client.example\n"
        "--host_address [192.0.2.7]:4321\n"
        "-received_protocol esmtps\n"
        "-body_linecount 3\n"
        "-deliver_firsttime\n"
        "-aclc _bar 10\n"
        "multi\nline\n"
        "--aclm 0 0\n"
        "\n"
        "XX\n"
        "2\n"
        "bob@example.net\n"
        "carol@example.net rfc822;carol@example.net 24,12  0,-1#3\n"
        "\n"
        "056P Received: from x\n\tby y; Tue, 24 Nov 2026 06:56:53 +0000\n"
        "014  Subject: test\n"
        "012* X-Old: gone\n";
    CHECK(engine::spool_header_format(sample()) == want);
    CHECK(sample().header_size() == 56 + 14);
  }

  TEST_CASE("round trip") {
    SpoolMessage m = sample();
    m.non_recipients = {"a@x", "b@x", "c@x", "d@x", "e@x", "f@x", "g@x"};
    engine::SpoolRecipient one_time;
    one_time.address = "child@example.net";
    one_time.has_parent = true;
    one_time.errors_to = "owner@example.net";
    one_time.parent = 0;
    m.recipients.push_back(one_time);
    std::string text = engine::spool_header_format(m);
    CHECK(text.find("child@example.net owner@example.net 17,0#1\n") != std::string::npos);
    auto back = engine::spool_header_parse(text, m.id);
    REQUIRE_MESSAGE(back, why(back));
    std::sort(back->non_recipients.begin(), back->non_recipients.end());
    CHECK(*back == m);
    CHECK(back->delivered("d@x"));
    CHECK_FALSE(back->delivered("bob@example.net"));
  }

  TEST_CASE("files written by Exim 4.96") {
    auto r = engine::spool_header_parse(read_data("exim_deferred.H"));
    REQUIRE_MESSAGE(r, why(r));
    CHECK(r->id == "1xVkc9-00012o-2x");
    CHECK(r->sender == "alice@example.org");
    CHECK(r->received_time == 1795504013);
    CHECK(r->value("helo_name") == "client.example");
    CHECK(r->var("helo_name")->tainted);
    CHECK_FALSE(r->var("ident")->tainted);
    std::string ip;
    int port = 0;
    REQUIRE(engine::spool_parse_host_address(r->value("host_address"), ip, port));
    CHECK(ip == "192.0.2.7");
    CHECK(port == 4321);
    REQUIRE(r->acl_vars.size() == 2);
    CHECK(r->acl_vars[0].value == "multi\nline");
    CHECK(r->acl_vars[1].name == "_foo");
    CHECK(r->non_recipients.size() == 4);
    CHECK(r->delivered("eve@example.net"));
    CHECK_FALSE(r->delivered("defer1@example.net"));
    REQUIRE(r->recipients.size() == 5);
    CHECK(r->recipients[1].orcpt == "rfc822;carol@example.net");
    CHECK(r->recipients[1].dsn_flags == 12);
    CHECK(r->recipients[1].parent == -1);
    REQUIRE(r->headers.size() == 4);
    CHECK(r->headers[0].type == 'P');
    CHECK(r->headers[2].text == "To: bob@example.net,\n  carol@example.net\n");
    // Written back and read again, nothing is lost.
    auto again = engine::spool_header_parse(engine::spool_header_format(*r));
    REQUIRE(again);
    CHECK(again->recipients == r->recipients);
    CHECK(again->headers == r->headers);
    CHECK(again->vars == r->vars);

    auto b = engine::spool_header_parse(read_data("exim_bounce.H"), "1xVkc9-000131-34");
    REQUIRE_MESSAGE(b, why(b));
    CHECK(b->sender.empty());
    CHECK(b->flag("localerror"));
    CHECK(b->login == "nobody");
    CHECK(b->uid == 65534);
  }

  TEST_CASE("host addresses, old and new forms") {
    std::string ip;
    int port = 0;
    CHECK(engine::spool_parse_host_address("[2001:db8::1]:25", ip, port));
    CHECK(ip == "2001:db8::1");
    CHECK(port == 25);
    CHECK(engine::spool_parse_host_address("192.0.2.1.1234", ip, port));
    CHECK(ip == "192.0.2.1");
    CHECK(port == 1234);
    CHECK_FALSE(engine::spool_parse_host_address("[1.2.3.4:25", ip, port));
    CHECK_FALSE(engine::spool_parse_host_address("nothing", ip, port));
    CHECK_FALSE(engine::spool_parse_host_address("[1.2.3.4]:x", ip, port));
  }

  TEST_CASE("corrupt files give a clear error") {
    struct {
      const char* text;
      const char* want;
    } cases[] = {
        {"", "line 1: file ends before the id line"},
        {"1xVkSX-0008Qu-3A-D\n", "line 1: first line is not the file's name"},
        {"1xVkSX-0008Qu-3A-H\nroot 0\n", "line 2: bad caller line"},
        {"1xVkSX-0008Qu-3A-H\nroot 0 0\nalice\n", "line 3: sender not in <>"},
        {"1xVkSX-0008Qu-3A-H\nroot 0 0\n<>\n12x 0\n", "line 4: bad time line"},
        {"1xVkSX-0008Qu-3A-H\nroot 0 0\n<>\n1 0\n-aclm _x 99\nabc\n",
         "ACL variable value is cut short"},
        {"1xVkSX-0008Qu-3A-H\nroot 0 0\n<>\n1 0\nYY a@b\nNN c@d\n", "file ends before the end"},
        {"1xVkSX-0008Qu-3A-H\nroot 0 0\n<>\n1 0\nXX\n3\na@b\n", "file ends before the last"},
        {"1xVkSX-0008Qu-3A-H\nroot 0 0\n<>\n1 0\nXX\n1\na@b\nc@d\n", "more recipients than"},
        {"1xVkSX-0008Qu-3A-H\nroot 0 0\n<>\n1 0\nXX\n1\na@b x 99,0#1\n\n", "errors_to field"},
        {"1xVkSX-0008Qu-3A-H\nroot 0 0\n<>\n1 0\nXX\n0\n\n050  Subject: x\n", "cut short"},
        {"1xVkSX-0008Qu-3A-H\nroot 0 0\n<>\n1 0\nXX\n0\n\n003  abcd\n", "does not end a line"},
        {"1xVkSX-0008Qu-3A-H\nroot 0 0\n<>\n1 0\nXX\n0\n\nSubject: x\n", "length prefix"},
        {"1xVkSX-0008Qu-3A-H\nroot 0 0\n<>\n1 0\nXX\n0\n", "blank line before the headers"},
    };
    for (auto& c : cases) {
      auto r = engine::spool_header_parse(c.text);
      REQUIRE_FALSE_MESSAGE(r, c.text);
      CHECK_MESSAGE(r.error().message.find(c.want) != std::string::npos, r.error().message);
      CHECK(r.error().message.starts_with("format error in spool file "));
    }
    auto other =
        engine::spool_header_parse(engine::spool_header_format(sample()), "1xVkSX-0008Qu-00");
    REQUIRE_FALSE(other);
    CHECK(other.error().message ==
          "format error in spool file 1xVkSX-0008Qu-00-H: line 1: file is named for another id");
  }

  TEST_CASE("every truncation and random damage is handled") {
    std::string good = read_data("exim_deferred.H");
    REQUIRE(engine::spool_header_parse(good));
    for (size_t n = 0; n < good.size(); ++n) {
      auto r = engine::spool_header_parse(std::string_view(good).substr(0, n));
      // A cut exactly between two headers is a complete file with fewer headers.
      if (r) CHECK(good[n - 1] == '\n');
    }
    std::mt19937 rng(42);
    for (int i = 0; i < 2000; ++i) {
      std::string bad = good;
      for (int k = 0; k < 4; ++k)
        bad[rng() % bad.size()] = static_cast<char>("\n -#0123456789YNX,"[rng() % 18]);
      (void)engine::spool_header_parse(bad);
    }
    // A very deep tree is read without recursion.
    std::string deep = "1xVkSX-0008Qu-3A-H\nroot 0 0\n<>\n1 0\n";
    for (int i = 0; i < 100000; ++i) deep += "YN a@b\n";
    deep += "NN a@b\n0\n\n";
    auto d = engine::spool_header_parse(deep);
    REQUIRE(d);
    CHECK(d->non_recipients.size() == 100001);
  }
}
