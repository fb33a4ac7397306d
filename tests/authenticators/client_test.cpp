// Tests for authenticators/client: which client authenticators are tried against a server,
// hosts_require_auth versus hosts_try_auth, and no password in clear without TLS unless
// client_condition says so. The server is a facteur session.
#include <doctest/doctest.h>

#include <algorithm>

#include "authenticators/client.h"
#include "tests/authenticators/auth_fixture.h"

using authenticators::ClientAuthOutcome;
using authenticators::ClientAuthRequest;

namespace {

const std::string kConf = R"(
primary_hostname = mx.example.org
begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${if eq{$auth2:$auth3}{alice:s3cret}}
  client_send = ^alice^s3cret
  client_set_id = alice
cram:
  driver = cram_md5
  public_name = CRAM-MD5
  server_secret = ${if eq{$auth1}{alice}{s3cret}fail}
  client_name = alice
  client_secret = ${if eq{$primary_hostname}{mx.example.org}{wrong}fail}
)";

}  // namespace

TEST_SUITE("authenticators.client") {
  TEST_CASE("over TLS: a refused CRAM-MD5 is followed by PLAIN") {
    authtest::Fixture f(kConf);
    authtest::SessionChannel ch(*f.cfg);
    // PLAIN is listed first by the server but configuration order decides.
    ClientAuthRequest req{{"PLAIN", "CRAM-MD5"}, true, true};
    std::reverse(f.auths.begin(), f.auths.end());
    auto out = authenticators::client_authenticate_host(f.auths, req, ch, f.ctx);
    CHECK(out.kind == ClientAuthOutcome::Authenticated);
    CHECK(out.authenticator == "plain");
    CHECK(out.client_id == "alice");
    CHECK(ch.sent[1] == "AUTH CRAM-MD5");
  }

  TEST_CASE("no password in clear without TLS") {
    authtest::Fixture f(kConf);
    authtest::SessionChannel ch(*f.cfg);
    ClientAuthRequest req{{"PLAIN"}, false, false};
    auto out = authenticators::client_authenticate_host(f.auths, req, ch, f.ctx);
    CHECK(out.kind == ClientAuthOutcome::NotAuthenticated);
    CHECK(out.message.find("in clear") != std::string::npos);
    CHECK(ch.sent.size() == 1);  // only EHLO: nothing was sent
    req.require = true;
    out = authenticators::client_authenticate_host(f.auths, req, ch, f.ctx);
    CHECK(out.kind == ClientAuthOutcome::Defer);
    CHECK(out.message.find("authentication required but") == 0);
  }

  TEST_CASE("a mechanism the server does not offer is not tried") {
    authtest::Fixture f(kConf);
    authtest::SessionChannel ch(*f.cfg);
    ClientAuthRequest req{{"LOGIN"}, false, true};
    auto out = authenticators::client_authenticate_host(f.auths, req, ch, f.ctx);
    CHECK(out.kind == ClientAuthOutcome::NotAuthenticated);
    CHECK(ch.sent.size() == 1);
  }
}
