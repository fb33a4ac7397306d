// Tests for util/services: numbers, the built-in mail services, other names through
// getservbyname_r, and what is refused.
#include "util/services.h"

#include <doctest/doctest.h>

TEST_SUITE("util.services") {
  TEST_CASE("numbers and names") {
    CHECK(util::tcp_port("25") == 25);
    CHECK(util::tcp_port("65535") == 65535);
    CHECK(util::tcp_port("smtp") == 25);
    CHECK(util::tcp_port("lmtp") == 24);
    CHECK(util::tcp_port("smtps") == 465);
    CHECK(util::tcp_port("submission") == 587);
  }
  TEST_CASE("refused") {
    CHECK(util::tcp_port("") == -1);
    CHECK(util::tcp_port("0") == -1);
    CHECK(util::tcp_port("65536") == -1);
    CHECK(util::tcp_port("123456") == -1);
    CHECK(util::tcp_port("25x") == -1);
    CHECK(util::tcp_port("no-such-service-here") == -1);
  }
}
