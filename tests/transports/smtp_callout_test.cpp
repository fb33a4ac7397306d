// The smtp transport's callout client (transports/smtp_callout.cpp), registered with the
// engine at start-up; its SMTP conversation is tested end to end by tests/e2e/callout_test.py.
#include <doctest/doctest.h>

#include "engine/callout.h"

TEST_CASE("smtp callout client: registered, reads a transport's host list") {
  engine::CalloutClient* c = engine::callout_client();
  REQUIRE(c != nullptr);
  std::vector<engine::Host> hosts = c->hosts_from_list("<; 127.0.0.1 ; [::1]:2525");
  REQUIRE(hosts.size() == 2);
  CHECK(hosts[0].address == "127.0.0.1");
  CHECK(hosts[0].port == engine::Host::kNone);
  CHECK(hosts[1].address == "::1");
  CHECK(hosts[1].port == 2525);
  CHECK(c->hosts_from_list("host:notaport").empty());
}

TEST_CASE("smtp callout client: a refused connection is a failure with errno's text") {
  engine::CalloutRequest r;
  r.host.name = r.host.address = "127.0.0.1";
  r.port = 1;  // nothing listens on port 1 here
  r.rcpt_to = "u@d.test";
  r.connect_timeout = r.command_timeout = 2;
  engine::CalloutProbe p = engine::callout_client()->probe(r);
  CHECK(p.result == engine::CalloutProbe::Result::Failed);
  CHECK(p.error == "Connection refused");
}
