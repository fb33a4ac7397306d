#include "engine/log_lines.h"

#include <doctest/doctest.h>

using engine::ArrivalLog;

namespace {

ArrivalLog smtp_arrival() {
  ArrivalLog a;
  a.id = "1xVkgq-0007RL-11";
  a.sender = "alice@example.org";
  a.host_name = "client.host";
  a.helo_name = "client.example";
  a.host_address = "192.0.2.7";
  a.host_port = 4321;
  a.interface_address = "10.0.0.1";
  a.interface_port = 25;
  a.ident = "root";
  a.protocol = "esmtp";
  a.pipelining = "L.-";
  a.size = 321;
  a.body_8bitmime = 8;
  a.receive_time = 0.0031;
  a.message_id = "abc@example.org";
  a.subject = "caf\xc3\xa9 \"quoted\"";
  a.original_sender = "alice@example.org";
  a.recipients = {"bob@example.net", "carol@example.net"};
  return a;
}

}  // namespace

TEST_SUITE("engine.log_lines") {
  TEST_CASE("arrival lines as Exim 4.96 wrote them") {
    // Default selectors (line from exim4 -bs with -oMa/-oMi/-oMs, log_selector unset).
    engine::LogSelector dflt;
    ArrivalLog a = smtp_arrival();
    a.size = 362;
    CHECK(engine::log_arrival_line(a, dflt) ==
          "1xVkgq-0007RL-11 <= alice@example.org H=client.host (client.example) [192.0.2.7] "
          "U=root P=esmtp S=362 id=abc@example.org");
    // log_selector = +all
    auto all = engine::log_selector_parse("+all");
    REQUIRE(all);
    CHECK(engine::log_arrival_line(smtp_arrival(), *all) ==
          "1xVkgq-0007RL-11 <= alice@example.org H=client.host (client.example) "
          "[192.0.2.7]:4321 I=[10.0.0.1]:25 U=root P=esmtp L.- S=321 M8S=8 RT=0.003s "
          "id=abc@example.org T=\"caf\\303\\251 \\\"quoted\\\"\" from <alice@example.org> for "
          "bob@example.net carol@example.net");
    CHECK(engine::log_msglog_received(smtp_arrival(), *all) ==
          "Received from alice@example.org H=client.host (client.example) [192.0.2.7]:4321 "
          "I=[10.0.0.1]:25 U=root P=esmtp L.- S=321 M8S=8 RT=0.003s id=abc@example.org "
          "T=\"caf\\303\\251 \\\"quoted\\\"\"");
  }

  TEST_CASE("a local bounce") {
    ArrivalLog b;
    b.id = "1xVkc5-0000bI-13";
    b.bounce_ref = "1xVkc5-0000aW-0n";
    b.ident = "nobody";
    b.protocol = "local";
    b.size = 1510;
    CHECK(engine::log_arrival_line(b, engine::LogSelector()) ==
          "1xVkc5-0000bI-13 <= <> R=1xVkc5-0000aW-0n U=nobody P=local S=1510");
  }

  TEST_CASE("TLS and authentication fields") {
    ArrivalLog a;
    a.id = "1xVkgq-0007RL-11";
    a.sender = "u@example.org";
    a.helo_name = "laptop";
    a.host_address = "2001:db8::5";
    a.protocol = "esmtpsa";
    a.tls_cipher = "TLS1.3:TLS_AES_256_GCM_SHA384:256";
    a.tls_resumed = true;
    a.tls_cert_verified = "no";
    a.tls_peerdn = "CN=laptop";
    a.authenticator = "plain";
    a.authenticated_id = "u";
    a.authenticated_sender = "u@example.org";
    a.chunking = true;
    a.size = 99;
    engine::LogSelector dflt;
    CHECK(engine::log_arrival_line(a, dflt) ==
          "1xVkgq-0007RL-11 <= u@example.org H=(laptop) [2001:db8::5] P=esmtpsa "
          "X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=plain:u K S=99");
    auto more =
        engine::log_selector_parse("+tls_peerdn +tls_resumption +smtp_mailauth -tls_cipher");
    REQUIRE(more);
    CHECK(engine::log_arrival_line(a, *more) ==
          "1xVkgq-0007RL-11 <= u@example.org H=(laptop) [2001:db8::5] P=esmtpsa CV=no "
          "DN=\"CN=laptop\" A=plain:u:u@example.org K S=99");
  }

  TEST_CASE("host fields, quoting, durations") {
    CHECK(engine::log_host_field("", "", "1.2.3.4", 25, false) == "[1.2.3.4]");
    CHECK(engine::log_host_field("", "", "1.2.3.4", 25, true) == "[1.2.3.4]:25");
    CHECK(engine::log_host_field("a.b", "a.b", "1.2.3.4", 0, false) == "a.b [1.2.3.4]");
    CHECK(engine::log_host_field("a.b", "[1.2.3.4]", "1.2.3.4", 0, false) ==
          "a.b ([1.2.3.4]) [1.2.3.4]");
    CHECK(engine::log_quote("a\tb\\c\x01\xff") == "\"a\\tb\\\\c\\001\\377\"");
    struct {
      double s;
      bool ms;
      const char* want;
    } d[] = {{0, false, "0s"},         {0.9, false, "0s"},      {4, false, "4s"},
             {65, false, "1m5s"},      {7380, false, "2h3m"},   {90061, false, "1d1h1m1s"},
             {0.2049, true, "0.204s"}, {12.5, true, "12.500s"}, {65, true, "1m5s"},
             {691200, false, "1w1d"}};
    for (auto& c : d) CHECK_MESSAGE(engine::log_duration(c.s, c.ms) == c.want, c.s);
  }
}
