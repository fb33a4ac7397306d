// Tests for engine/smtp/command: verbs, arguments, ESMTP parameters, xtext.
#include <doctest/doctest.h>

#include "engine/smtp/command.h"

using namespace engine::smtp;

TEST_SUITE("engine.smtp.command") {
  TEST_CASE("verbs") {
    struct Case {
      const char* line;
      Verb verb;
      const char* arg;
    } cases[] = {
        {"EHLO x.example", Verb::Ehlo, "x.example"},
        {"ehlo   x.example  ", Verb::Ehlo, "x.example"},
        {"MAIL FROM:<a@b>", Verb::Mail, "<a@b>"},
        {"mail from: <a@b>", Verb::Mail, "<a@b>"},
        {"RCPT TO:<u@example.org>   ", Verb::Rcpt, "<u@example.org>"},
        {"MAIL FROM :<a@b>", Verb::Unknown, "MAIL FROM :<a@b>"},
        {"DATA", Verb::Data, ""},
        {"QUIT now", Verb::BadArg, "now"},
        {"RSET x", Verb::BadArg, "x"},
        {"STARTTLS foo", Verb::BadArg, "foo"},
        {"NOOP with arguments", Verb::Noop, "with arguments"},
        {"NOOPX", Verb::Unknown, "NOOPX"},
        {"HELP MAIL", Verb::Help, "MAIL"},
        {"BDAT 10 LAST", Verb::Bdat, "10 LAST"},
        {"VRFY", Verb::Vrfy, ""},
        {"", Verb::Unknown, ""},
        {"GET / HTTP/1.1", Verb::Unknown, "GET / HTTP/1.1"},
    };
    for (const auto& c : cases) {
      Command cmd = parse_command(c.line);
      INFO("line: ", std::string(c.line));
      CHECK(cmd.verb == c.verb);
      CHECK(cmd.arg == c.arg);
    }
    CHECK(parse_command("QUIT now").named == Verb::Quit);
    CHECK(parse_command(std::string("MAIL FROM:<a\0b@c>", 17)).verb == Verb::BadChar);
  }

  TEST_CASE("parameters are taken from the end") {
    std::string arg = "<a@b.example> SIZE=100 BODY=8BITMIME";
    Param p;
    std::string restored;
    REQUIRE(take_last_param(arg, p, restored));
    CHECK(p.name == "BODY");
    CHECK(p.value == "8BITMIME");
    REQUIRE(take_last_param(arg, p, restored));
    CHECK(p.name == "SIZE");
    CHECK(p.value == "100");
    CHECK(arg == "<a@b.example>");
    CHECK(!take_last_param(arg, p, restored));
  }

  TEST_CASE("an unknown word goes back into the address as written (checked with Exim 4.96)") {
    Param p;
    std::string restored;
    std::string arg = "<u@example.org >";
    REQUIRE(take_last_param(arg, p, restored));
    CHECK(!p.has_value);
    CHECK(restored == "<u@example.org >");
    arg = "<a b@c.example>";
    REQUIRE(take_last_param(arg, p, restored));
    CHECK(p.name == "b@c.example>");
    CHECK(restored == "<a b@c.example>");
    arg = "<a b@c.example>";
    REQUIRE(take_last_param(arg, p, restored, ParamVerb::Rcpt));
    CHECK(restored == "<a=b@c.example>");
    arg = "<u@example.org >";
    REQUIRE(take_last_param(arg, p, restored, ParamVerb::Rcpt));
    CHECK(restored == "<u@example.org=>");
    arg = "<a@b> X=Y =Z";
    REQUIRE(take_last_param(arg, p, restored));
    CHECK(p.name.empty());
    CHECK(restored == "<a@b> X=Y =Z");
    arg = "<a@b>SIZE=10";
    CHECK(!take_last_param(arg, p, restored));
    arg = "<\"a b\"@x>";
    CHECK(!take_last_param(arg, p, restored));
    arg = "<a@b> FOO=bar";
    REQUIRE(take_last_param(arg, p, restored));
    CHECK(restored == "<a@b> FOO=bar");
  }

  TEST_CASE("xtext and decimals") {
    std::string out;
    CHECK(xtext_decode("foo+2Bbar", out));
    CHECK(out == "foo+bar");
    CHECK(!xtext_decode("foo+ZZ", out));
    CHECK(!xtext_decode("foo+2", out));
    CHECK(!xtext_decode("a=b", out));
    CHECK(!xtext_decode("x+0A-local", out) == false);  // decodes to a newline: caller decides
    uint64_t n = 0;
    CHECK(parse_decimal("10240", 1u << 30, n));
    CHECK(n == 10240);
    CHECK(parse_decimal("99999999999999999999999", 2147483647, n));
    CHECK(n == 2147483647);
    CHECK(!parse_decimal("", 100, n));
    CHECK(!parse_decimal("-5", 100, n));
    CHECK(parse_decimal("18446744073709551615", UINT64_MAX / 2, n));
    CHECK(n == UINT64_MAX / 2);
  }
}
