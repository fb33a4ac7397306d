// Tests for authenticators/plaintext: the PLAIN and LOGIN server dialogues (RFC 4616, spec
// chapter 34) and the client_send side, which is run against a facteur session.
#include <doctest/doctest.h>

#include "authenticators/common.h"
#include "tests/authenticators/auth_fixture.h"

using authenticators::ServerOutcome;
using authtest::b64;

namespace {

const std::string kConf = R"(
primary_hostname = mx.example.org
begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${if and{{eq{$auth2}{alice}}{eq{$auth3}{s3cret}}}}
  server_set_id = $auth2
  client_send = ^alice^s3cret
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = ${if eq{$auth1:$auth2}{alice:s3cret}}
  client_send = : alice : ${if eq{$auth2}{Password::}{s3cret}{wrong}}
odd:
  driver = plaintext
  server_condition = maybe $auth2
  server_prompts = :
)";

}  // namespace

TEST_SUITE("authenticators.plaintext") {
  TEST_CASE("PLAIN with an initial response") {
    authtest::Fixture f(kConf);
    const auto& a = f.get("plain");
    CHECK(a.is_server());
    CHECK(a.is_client());
    CHECK(a.public_name() == "PLAIN");
    auto d = a.server_start(f.ctx);
    CHECK(d->step(b64(std::string("\0alice\0s3cret", 13)), true).outcome == ServerOutcome::Ok);
    d = a.server_start(f.ctx);
    CHECK(d->step(b64(std::string("\0alice\0S3cret", 13)), true).outcome == ServerOutcome::Fail);
  }

  TEST_CASE("PLAIN after an empty prompt; '=' and empty answers") {
    authtest::Fixture f(kConf);
    auto d = f.get("plain").server_start(f.ctx);
    auto r = d->step("", true);
    CHECK(r.outcome == ServerOutcome::Challenge);
    CHECK(r.challenge == "");
    CHECK(d->step(b64(std::string("\0alice\0s3cret", 13)), false).outcome == ServerOutcome::Ok);
    d = f.get("plain").server_start(f.ctx);
    CHECK(d->step("=", true).outcome == ServerOutcome::Fail);  // one empty item, no prompt left
    d = f.get("plain").server_start(f.ctx);
    CHECK(d->step("", true).outcome == ServerOutcome::Challenge);
    CHECK(d->step("", false).outcome == ServerOutcome::Fail);
  }

  TEST_CASE("LOGIN prompts, one item per answer") {
    authtest::Fixture f(kConf);
    auto d = f.get("login").server_start(f.ctx);
    auto r = d->step("", true);
    CHECK(r.challenge == b64("Username:"));
    CHECK(d->step(b64("alice"), false).challenge == b64("Password:"));
    CHECK(d->step(b64("s3cret"), false).outcome == ServerOutcome::Ok);
    // An initial response answers the first prompt (Exim accepts it).
    d = f.get("login").server_start(f.ctx);
    CHECK(d->step(b64("alice"), true).challenge == b64("Password:"));
  }

  TEST_CASE("bad base64 (T-AUTH-1)") {
    authtest::Fixture f(kConf);
    for (const char* bad : {"!!!", "AGFsaWNl=", "AGFsaWN", "A=Fs", "AGFs aWNl"}) {
      auto d = f.get("plain").server_start(f.ctx);
      CHECK_MESSAGE(d->step(bad, true).outcome == ServerOutcome::Bad64, bad);
    }
  }

  TEST_CASE("a condition that is neither true nor false defers, password hidden") {
    authtest::Fixture f(kConf);
    auto d = f.get("odd").server_start(f.ctx);
    auto r = d->step(b64(std::string("\0bob\0hunter2", 12)), true);
    CHECK(r.outcome == ServerOutcome::Defer);
    CHECK(r.client == ": maybe bob");
    d = f.get("odd").server_start(f.ctx);
    r = d->step(b64(std::string("\0hunter2\0hunter2", 16)), true);
    CHECK(r.log == "maybe <hidden>");
  }

  TEST_CASE("$auth1..$auth3 are the data items") {
    authtest::Fixture f(kConf);
    auto d = f.get("plain").server_start(f.ctx);
    (void)d->step(b64(std::string("authz\0alice\0pw", 14)), true);
    CHECK(f.ctx.item_vars["auth1"] == "authz");
    CHECK(f.ctx.item_vars["auth2"] == "alice");
    CHECK(f.ctx.item_vars["auth3"] == "pw");
    authenticators::clear_auth_vars(f.ctx);
    CHECK(f.ctx.item_vars.count("auth1") == 0);
  }

  TEST_CASE("client PLAIN and LOGIN against a facteur session") {
    authtest::Fixture f(kConf);
    {
      authtest::SessionChannel ch(*f.cfg);
      auto r = f.get("plain").client_authenticate(ch, f.ctx);
      CHECK(r.outcome == authenticators::ClientOutcome::Ok);
      CHECK(ch.sent[1] == "AUTH PLAIN " + b64(std::string("\0alice\0s3cret", 13)));
    }
    {
      authtest::SessionChannel ch(*f.cfg);
      auto r = f.get("login").client_authenticate(ch, f.ctx);
      CHECK_MESSAGE(r.outcome == authenticators::ClientOutcome::Ok, r.message);
      CHECK(ch.sent[1] == "AUTH LOGIN");
    }
  }
}
