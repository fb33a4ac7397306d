// Tests for authenticators/tls (spec chapter 42): server_param1..3 into $auth1..3, the
// server_condition, forced and other expansion failures, never advertised nor reachable by
// AUTH, and a session authenticated by its verified client certificate.
#include <doctest/doctest.h>

#include "tests/authenticators/auth_fixture.h"

using authenticators::ServerOutcome;

namespace {

const std::string kConf = R"(
primary_hostname = mx.example.org
acl_smtp_rcpt = rcpt
begin acl
rcpt:
  accept  authenticated = *
  deny    message = relay not permitted
begin authenticators
cert:
  driver = tls
  server_param = ${if match{$tls_in_peerdn}{CN=([^,/]+)}{$1}fail}
  server_param2 = two
  server_condition = ${if eq{$auth1}{alice}}
  server_set_id = $auth1
plain:
  driver = plaintext
  public_name = PLAIN
  server_condition = yes
)";

engine::smtp::TlsInfo verified_tls(std::string peerdn) {
  return {"TLS1.3:TLS_AES_256_GCM_SHA384:256", std::move(peerdn), true};
}

}  // namespace

TEST_SUITE("authenticators.tls") {
  TEST_CASE("parameters, condition and forced failure") {
    authtest::Fixture f(kConf);
    const auto& a = f.get("cert");
    CHECK(a.is_server());
    CHECK(a.after_tls());
    f.vars->set("tls_in_peerdn", "/CN=alice");
    auto d = a.server_start(f.ctx);
    CHECK(d->step("", true).outcome == ServerOutcome::Ok);
    CHECK(f.ctx.item_vars["auth1"] == "alice");
    CHECK(f.ctx.item_vars["auth2"] == "two");
    f.vars->set("tls_in_peerdn", "/CN=mallory");
    CHECK(a.server_start(f.ctx)->step("", true).outcome == ServerOutcome::Fail);
    f.vars->set("tls_in_peerdn", "/O=nobody");  // server_param forced to fail
    CHECK(a.server_start(f.ctx)->step("", true).outcome == ServerOutcome::Fail);
  }

  TEST_CASE("a verified certificate authenticates the session; AUTH is then not offered") {
    authtest::Fixture f(kConf);
    engine::smtp::SessionSettings st;
    st.tls_can_start = st.tls_available = true;
    authtest::SessionChannel ch(*f.cfg, st);
    CHECK(ch.ehlo.text.find("AUTH PLAIN") != std::string::npos);  // not the tls one
    CHECK(ch.ehlo.text.find("CERT") == std::string::npos);
    CHECK(ch.command("AUTH CERT").code == 504);
    REQUIRE(ch.command("STARTTLS").code == 220);
    ch.session->tls_started(verified_tls("/CN=alice"));
    CHECK(ch.session->authenticated_by() == "cert");
    auto ehlo = ch.command("EHLO client.example");
    CHECK(ehlo.text.find("AUTH") == std::string::npos);
    CHECK(ch.command("MAIL FROM:<alice@example.org>").code == 250);
    CHECK(ch.command("RCPT TO:<x@remote.example>").code == 250);
  }

  TEST_CASE("an unverified or refused certificate leaves the session unauthenticated") {
    authtest::Fixture f(kConf);
    engine::smtp::SessionSettings st;
    st.tls_can_start = st.tls_available = true;
    for (auto tls :
         {verified_tls("/CN=mallory"),
          engine::smtp::TlsInfo{"TLS1.3:TLS_AES_256_GCM_SHA384:256", "/CN=alice", false}}) {
      authtest::SessionChannel ch(*f.cfg, st);
      REQUIRE(ch.command("STARTTLS").code == 220);
      ch.session->tls_started(tls);
      CHECK(ch.session->authenticated_by().empty());
      CHECK(ch.command("EHLO client.example").text.find("AUTH PLAIN") != std::string::npos);
      CHECK(ch.command("MAIL FROM:<a@example.org>").code == 250);
      CHECK(ch.command("RCPT TO:<x@remote.example>").code == 550);
    }
  }
}
