#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::Case;
using testlang::ex;

TEST_SUITE("lang.operators.ip") {
  TEST_CASE("mask and mask_n") {
    const Case cases[] = {
        {"${mask:192.168.10.206/28}", "192.168.10.192/28"},
        {"${mask:192.168.10.206/0}", "0.0.0.0/0"},
        {"${mask:1.2.3.4/}", "0.0.0.0/0"},
        {"${mask:3ffe:ffff:836f:0a00:000a:0800:200a:c031/99}",
         "3ffe.ffff.836f.0a00.000a.0800.2000.0000/99"},
        {"${mask:::ffff:1.2.3.4/120}", "0000.0000.0000.0000.0000.ffff.0102.0300/120"},
        {"${mask_n:2a00:2:3:4:5:6:7:8/79}", "2a00:2:3:4:4::/79"},
        {"${mask_n:2001:DB8::1/32}", "2001:db8::/32"},
        {"${mask_n:::1/0}", ":/0"},
        {"${mask:192.168.10.206}", "Failed: missing mask value in \"192.168.10.206\""},
        {"${mask:a.b.c.d/8}", "Failed: \"a.b.c.d/8\" is not an IP address"},
        {"${mask:192.168.10.206/33}", "Failed: mask value too big in \"192.168.10.206/33\""},
        {"${mask:1.2.3.4/4294967295}", "Failed: mask value too big in \"1.2.3.4/4294967295\""},
        {"${mask:::1/129}", "Failed: mask value too big in \"::1/129\""},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("ipv6norm and ipv6denorm") {
    const Case cases[] = {
        {"${ipv6norm:0:0:0::1}", "::1"},
        {"${ipv6norm:2a00::0}", "2a00::"},
        {"${ipv6norm:1:0:1:0:1:0:1:0}", "1::1:0:1:0:1:0"},
        {"${ipv6norm:0:0:1:0:0:0:2:0}", "0:0:1::2:0"},
        {"${ipv6norm:1:2:3:4:5:6:7:0}", "1:2:3:4:5:6:7::"},
        {"${ipv6norm:::}", ":"},
        {"${ipv6norm:192.168.0.1}", "::ffff:c0a8:1"},
        {"${ipv6norm:fe80::1%eth0}", "fe80::1"},
        {"${ipv6denorm:::1}", "0000:0000:0000:0000:0000:0000:0000:0001"},
        {"${ipv6denorm:192.168.0.1}", "0000:0000:0000:0000:0000:ffff:c0a8:0001"},
        {"${ipv6norm:not-an-ip}", "Failed: \"not-an-ip\" is not an IP address"},
        {"${ipv6norm:1.2.3.4/8}", "Failed: \"1.2.3.4/8\" is not an IP address"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("reverse_ip") {
    const Case cases[] = {
        {"${reverse_ip:192.0.2.4}", "4.2.0.192"},
        {"${reverse_ip:1.2.3.4/8}", "4.3.2.1"},
        {"${reverse_ip:::ffff:1.2.3.4}", "4.3.2.1"},
        {"${reverse_ip:::1}", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0"},
        {"${reverse_ip:rhubarb}", "Failed: reverse_ip() not given an IP address [rhubarb]"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}

TEST_SUITE("lang.operators.ip") {
  TEST_CASE("huge and binary input is refused, not a crash") {
    CHECK(ex("${mask:" + std::string(100000, '1') + "/8}").rfind("Failed: \"111", 0) == 0);
    CHECK(ex("${ipv6norm:" + std::string(100000, ':') + "}").rfind("Failed:", 0) == 0);
    CHECK(ex("${reverse_ip:1.2.3.4/" + std::string(1000, '9') + "}") == "4.3.2.1");
    CHECK(ex("${ipv6norm:\\xff\\x00::1}").rfind("Failed:", 0) == 0);
    CHECK(ex("${if isip6{" + std::string(5000, 'f') + "::1}{y}{n}}") == "n");
  }
}
