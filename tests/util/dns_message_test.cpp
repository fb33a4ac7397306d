#include <doctest/doctest.h>

#include <string>

#include "util/dns_message.h"

using namespace util::dns;

namespace {

std::string u16(unsigned v) {
  return std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xff)};
}
std::string u32(unsigned long v) {
  return u16(static_cast<unsigned>(v >> 16)) + u16(static_cast<unsigned>(v & 0xffff));
}
std::string labels(std::initializer_list<std::string> ls) {
  std::string s;
  for (const auto& l : ls) s += static_cast<char>(l.size()) + l;
  return s + std::string(1, '\0');
}
// A response header with the question "example.test A" at offset 12.
std::string header(unsigned flags, unsigned an, unsigned ns = 0) {
  return u16(0x1234) + u16(flags) + u16(1) + u16(an) + u16(ns) + u16(0) +
         labels({"example", "test"}) + u16(kA) + u16(1);
}
std::string rr(const std::string& name, unsigned type, unsigned long ttl, const std::string& rd) {
  return name + u16(type) + u16(1) + u32(ttl) + u16(static_cast<unsigned>(rd.size())) + rd;
}
const std::string kPtr12 = std::string("\xc0\x0c", 2);  // pointer to the question name

Message parse_ok(const std::string& wire) {
  Message m;
  std::string err;
  REQUIRE_MESSAGE(parse_message(wire, m, err), err);
  return m;
}

std::string parse_error(const std::string& wire) {
  Message m;
  std::string err;
  CHECK_FALSE(parse_message(wire, m, err));
  return err;
}

}  // namespace

TEST_SUITE("util.dns_message") {
  TEST_CASE("build_query: header, labels, type, EDNS") {
    std::string q;
    REQUIRE(build_query("mx1.example.test.", kMX, {}, 0x0102, q));
    CHECK(q == u16(0x0102) + std::string("\x01\x00", 2) + u16(1) + u16(0) + u16(0) + u16(0) +
                   labels({"mx1", "example", "test"}) + u16(kMX) + u16(1));
    QueryFlags f;
    f.want_ad = true;
    f.edns_size = 1232;
    f.dnssec_ok = true;
    REQUIRE(build_query("a", kA, f, 7, q));
    CHECK(q.substr(2, 2) == std::string("\x01\x20", 2));
    CHECK(q.substr(q.size() - 11) ==
          std::string(1, '\0') + u16(kOPT) + u16(1232) + u16(0) + u16(0x8000) + u16(0));
  }

  TEST_CASE("build_query: escapes and bad names") {
    std::string q;
    REQUIRE(build_query("a\\.b.c", kTXT, {}, 1, q));
    CHECK(q.substr(12, 7) == std::string("\x03"
                                         "a.b"
                                         "\x01"
                                         "c",
                                         6) +
                                 std::string(1, '\0'));
    REQUIRE(build_query("\\065b", kA, {}, 1, q));
    CHECK(q.substr(12, 4) == std::string("\x02"
                                         "Ab",
                                         3) +
                                 std::string(1, '\0'));
    REQUIRE(build_query(".", kNS, {}, 1, q));
    CHECK(q.substr(12, 1) == std::string(1, '\0'));
    const char* bad[] = {"a..b", ".a", "\\", "\\25", "\\999x"};
    for (const char* b : bad) CHECK_MESSAGE(!build_query(b, kA, {}, 1, q), b);
    CHECK_FALSE(build_query(std::string(64, 'a'), kA, {}, 1, q));
    std::string long_name;
    for (int i = 0; i < 60; ++i) long_name += "abcd.";
    long_name += "ef";
    CHECK_FALSE(build_query(long_name, kA, {}, 1, q));
  }

  TEST_CASE("parse_message: typed records with compressed names") {
    std::string mxname = labels({"mx1"}).substr(0, 4) + kPtr12;  // mx1.example.test
    std::string w =
        header(0x8580, 7) + rr(kPtr12, kA, 300, std::string("\xc0\x00\x02\x01", 4)) +
        rr(kPtr12, kAAAA, 60, std::string("\x20\x01\x0d\xb8", 4) + std::string(11, '\0') + "\x01") +
        rr(kPtr12, kMX, 10, u16(10) + mxname) +
        rr(kPtr12, kSRV, 10, u16(10) + u16(5) + u16(25) + kPtr12) +
        rr(kPtr12, kTXT, 10,
           std::string("\x05hello\x00\x03"
                       "a;b",
                       11)) +
        rr(kPtr12, kSOA, 10,
           kPtr12 + labels({"host", "master"}) + u32(1) + u32(2) + u32(3) + u32(4) + u32(5)) +
        rr(kPtr12, kTLSA, 10, std::string("\x03\x01\x01\xab\xcd", 5));
    Message m = parse_ok(w);
    CHECK(m.id == 0x1234);
    CHECK(m.authoritative);
    CHECK(m.rcode == kNoError);
    REQUIRE(m.answers.size() == 7);
    CHECK(m.answers[0].name == "example.test");
    CHECK(m.answers[0].host == "192.0.2.1");
    CHECK(m.answers[0].ttl == 300);
    CHECK(m.answers[1].host == "2001:db8::1");
    CHECK(m.answers[2].host == "mx1.example.test");
    CHECK(m.answers[2].num[0] == 10);
    CHECK(m.answers[3].num[2] == 25);
    CHECK(m.answers[3].host == "example.test");
    CHECK(m.answers[4].texts == std::vector<std::string>{"hello", "", "a;b"});
    CHECK(m.answers[5].mailbox == "host.master");
    CHECK(m.answers[5].num[4] == 5);
    CHECK(m.answers[6].num[0] == 3);
    CHECK(m.answers[6].data == "\xab\xcd");
  }

  TEST_CASE("parse_message: names with special bytes are escaped") {
    std::string target = std::string(
                             "\x03"
                             "a.b"
                             "\x02"
                             "\x01 ",
                             7) +
                         std::string(1, '\0');
    Message m = parse_ok(header(0x8180, 1) + rr(kPtr12, kPTR, 1, target));
    CHECK(m.answers[0].host == "a\\.b.\\001\\032");
    m = parse_ok(header(0x8180, 1) + rr(kPtr12, kMX, 1, u16(0) + std::string(1, '\0')));
    CHECK(m.answers[0].host == ".");
  }

  TEST_CASE("T-DNS-1: hostile PTR names: NUL escaped, over-long names and labels refused") {
    std::string nul = std::string(
                          "\x04"
                          "ev\0l",
                          5) +
                      labels({"example"});
    Message m = parse_ok(header(0x8180, 1) + rr(kPtr12, kPTR, 1, nul));
    CHECK(m.answers[0].host == "ev\\000l.example");
    // 5 labels of 63 bytes: 320 bytes, over the 255 of RFC 1035.
    std::string l63(63, 'a');
    CHECK(parse_error(header(0x8180, 1) + rr(kPtr12, kPTR, 1, labels({l63, l63, l63, l63, l63}))) ==
          "malformed PTR record");
    // A label length of 0x80 (neither a label, 0-63, nor a pointer) is refused.
    CHECK(parse_error(header(0x8180, 1) + rr(kPtr12, kPTR, 1,
                                             std::string("\x80", 1) + std::string(128, 'a') +
                                                 std::string(1, '\0'))) == "malformed PTR record");
    // 50 PTR records for one name are all read.
    std::string many;
    for (int i = 0; i < 50; ++i) many += rr(kPtr12, kPTR, 1, labels({"n" + std::to_string(i)}));
    CHECK(parse_ok(header(0x8180, 50) + many).answers.size() == 50);
  }

  TEST_CASE("parse_message: rcode, flags, authority section") {
    std::string soa = kPtr12 + kPtr12 + u32(1) + u32(2) + u32(3) + u32(4) + u32(60);
    Message m = parse_ok(header(0x8023, 0, 1) + rr(kPtr12, kSOA, 300, soa));
    CHECK(m.rcode == kNxDomain);
    CHECK(m.authenticated);
    CHECK(m.answers.empty());
    REQUIRE(m.authority.size() == 1);
    CHECK(m.authority[0].num[4] == 60);
  }

  TEST_CASE("parse_message: malformed input is refused, never read beyond the end") {
    CHECK(parse_error("short") == "short DNS message");
    std::string h = header(0x8180, 1);
    CHECK(parse_error(h) == "truncated record");
    CHECK(parse_error(h + rr(kPtr12, kA, 1, "abc")) == "malformed A record");
    std::string cut = h + rr(kPtr12, kA, 1, "abcd");
    CHECK(parse_error(cut.substr(0, cut.size() - 1)) ==
          "record data beyond the end of the message");
    // A pointer to itself, a forward pointer, a pointer beyond the end.
    CHECK(parse_error(h + rr(kPtr12, kPTR, 1, std::string("\xc0\x2b", 2))) ==
          "malformed PTR record");
    CHECK(parse_error(h + rr(std::string("\xc0\xff", 2), kA, 1, "abcd")) == "truncated record");
    CHECK(parse_error(h + rr(kPtr12, kMX, 1, u16(1))) == "malformed MX record");
    CHECK(parse_error(h + rr(kPtr12, kTXT, 1,
                             std::string("\x05"
                                         "abc",
                                         4))) == "malformed TXT record");
    CHECK(parse_error(h + rr(kPtr12, kSOA, 1, kPtr12 + kPtr12 + u32(1))) == "malformed SOA record");
    // An extended label type (0x40) is refused.
    CHECK(parse_error(h + rr(kPtr12, kNS, 1,
                             std::string("\x41"
                                         "a",
                                         2) +
                                 std::string(1, '\0'))) == "malformed NS record");
  }

  TEST_CASE("type_name") {
    CHECK(type_name(kMX) == "MX");
    CHECK(type_name(kTLSA) == "TLSA");
    CHECK(type_name(65) == "TYPE65");
  }
}
