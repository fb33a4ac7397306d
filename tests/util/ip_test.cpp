#include <doctest/doctest.h>

#include "util/ip.h"

namespace {
std::string norm(std::string_view s) {
  auto a = util::IpAddress::parse(s);
  return a ? a->str() : "-";
}
}  // namespace

TEST_SUITE("util.ip") {
  TEST_CASE("parse follows inet_pton") {
    struct {
      const char* in;
      bool ok;
    } cases[] = {
        {"1.2.3.4", true},
        {"0.0.0.0", true},
        {"255.255.255.255", true},
        {"1.2.3.256", false},
        {"01.2.3.4", false},
        {"1.2.3", false},
        {"1.2.3.4.5", false},
        {" 1.2.3.4", false},
        {"1..2.3", false},
        {"::", true},
        {"::1", true},
        {":::", false},
        {"1:2:3:4:5:6:7:8", true},
        {"1:2:3:4:5:6:7:8:9", false},
        {"1:2:3:4", false},
        {"1:2:3:4:5:6:7::", true},
        {"1::2:3:4:5:6:7:8", false},
        {"1:2:3:4::5:6:7:8", false},
        {"2001:db8:::1", false},
        {":1::2", false},
        {"1::2:", false},
        {"12345::1", false},
        {"00001::1", false},
        {"FE80::A", true},
        {"::ffff:1.2.3.4", true},
        {"1:2:3:4:5:6:1.2.3.4", true},
        {"1:2:3:4:5:6:7:1.2.3.4", false},
        {"::01.2.3.4", false},
        {"::1.2.3", false},
        {"", false},
        {"1.2.3.4/24", false},
        {"fe80::1%eth0", false},
    };
    for (const auto& c : cases) {
      CHECK_MESSAGE(util::IpAddress::parse(c.in).has_value() == c.ok, "input: ", c.in);
    }
  }
  TEST_CASE("formatting") {
    CHECK(norm("1.2.3.4") == "1.2.3.4");
    CHECK(norm("::") == "::");
    CHECK(norm("2001:0DB8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");
    CHECK(norm("1:0:2:3:4:5:6:7") == "1:0:2:3:4:5:6:7");
    CHECK(norm("::ffff:10.0.0.1") == "::ffff:10.0.0.1");
    auto a = util::IpAddress::parse("fe80::192.168.0.1");
    REQUIRE(a);
    CHECK(a->full() == "fe80:0000:0000:0000:0000:0000:c0a8:0001");
    CHECK(a->full('.') == "fe80.0000.0000.0000.0000.0000.c0a8.0001");
    CHECK(util::IpAddress::parse("10.20.30.40")->reverse_labels() == "40.30.20.10");
    CHECK(util::IpAddress::parse("2001:db8::")->reverse_labels() ==
          "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2");
  }
  TEST_CASE("mapping and masking") {
    auto m = *util::IpAddress::parse("::ffff:1.2.3.4");
    CHECK(m.is_v4_mapped());
    CHECK(m.unmapped() == *util::IpAddress::parse("1.2.3.4"));
    CHECK(util::IpAddress::parse("1.2.3.4")->to_v6() == m);
    CHECK(util::IpAddress::parse("192.168.10.206")->masked(28).str() == "192.168.10.192");
    CHECK(util::IpAddress::parse("192.168.10.206")->masked(0).str() == "0.0.0.0");
    CHECK(util::IpAddress::parse("192.168.10.206")->masked(40).str() == "192.168.10.206");
    CHECK(util::IpAddress::parse("2a00:2:3:4:5:6:7:8")->masked(79).str() == "2a00:2:3:4:4::");
    auto net = *util::IpAddress::parse("10.1.0.0");
    CHECK(net.same_prefix(*util::IpAddress::parse("10.1.200.3"), 16));
    CHECK_FALSE(net.same_prefix(*util::IpAddress::parse("10.2.0.1"), 16));
    CHECK_FALSE(net.same_prefix(net.to_v6(), 0));  // families differ
  }
  TEST_CASE("parse_ip_text: zone and mask as Exim reads them") {
    auto t = util::parse_ip_text("fe80::1%eth0", false);
    REQUIRE(t);
    CHECK(t->has_zone);
    CHECK_FALSE(util::parse_ip_text("1.2.3.4%x", false));
    CHECK_FALSE(util::parse_ip_text("::1% x", false));
    CHECK_FALSE(util::parse_ip_text("1.2.3.4/8", false));
    struct {
      const char* in;
      int mask;  // -999: rejected
    } cases[] = {
        {"1.2.3.4/24", 24},         {"1.2.3.4/", 0},        {"1.2.3.4/024", 24},
        {"1.2.3.4/ 8", 8},          {"1.2.3.4/+8", 8},      {"1.2.3.4/-0", 0},
        {"1.2.3.4/-1", -999},       {"1.2.3.4/8x", -999},   {"1.2.3.4/ ", -999},
        {"1.2.3.4/8/8", -999},      {"fe80::1%e/64", -999}, {"1.2.3.4/4294967304", 8},
        {"1.2.3.4/4294967295", -1},
    };
    for (const auto& c : cases) {
      auto r = util::parse_ip_text(c.in, true);
      if (c.mask == -999) {
        CHECK_MESSAGE(!r, "input: ", c.in);
      } else {
        REQUIRE_MESSAGE(r, "input: ", c.in);
        CHECK_MESSAGE(r->mask == c.mask, "input: ", c.in);
      }
    }
  }
}
