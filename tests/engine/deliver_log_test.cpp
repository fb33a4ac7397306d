// Unit tests of the host field of delivery log lines (engine/deliver_log.cpp): the port only
// with +outgoing_port, and the "*" of a delivery down a connection carried on from an earlier
// message kept after the address or the port (spec 53.7).
#include <doctest/doctest.h>

#include "engine/deliver_internal.h"

using engine::deliver_detail::log_host;

TEST_SUITE("engine.deliver_log") {
  TEST_CASE("H= with and without the port, continued connections marked") {
    CHECK(log_host("mx.example [192.0.2.1]:2525", false) == "H=mx.example [192.0.2.1]");
    CHECK(log_host("mx.example [192.0.2.1]:2525", true) == "H=mx.example [192.0.2.1]:2525");
    CHECK(log_host("mx.example [192.0.2.1]:2525*", false) == "H=mx.example [192.0.2.1]*");
    CHECK(log_host("mx.example [192.0.2.1]:2525*", true) == "H=mx.example [192.0.2.1]:2525*");
    CHECK(log_host("mx.example [192.0.2.1]*", false) == "H=mx.example [192.0.2.1]*");
  }
}
