// Tests for authenticators/cram_md5 (RFC 2195): the server's challenge and digest check, the
// client against a facteur session. Expected digests are computed here with util::hmac, and
// one is checked against RFC 2195's own example.
#include <doctest/doctest.h>

#include <set>

#include "tests/authenticators/auth_fixture.h"
#include "util/digest.h"

using authenticators::ServerOutcome;
using authtest::b64;

namespace {

const std::string kConf = R"(
primary_hostname = mx.example.org
begin authenticators
cram:
  driver = cram_md5
  public_name = CRAM-MD5
  server_secret = ${if eq{$auth1}{tim}{tanstaaftanstaaf}fail}
  server_condition = ${if eq{$auth1}{tim}{yes}{no}}
  server_set_id = $auth1
  client_name = tim
  client_secret = tanstaaftanstaaf
broken:
  driver = cram_md5
  server_secret = ${lookup{$auth1}lsearch{/nonexistent/file}}
)";

std::string response(std::string_view user, std::string_view secret, std::string_view chal) {
  return b64(std::string(user) + " " +
             util::hex_encode(util::hmac(util::DigestAlgo::Md5, secret, chal)));
}

std::string decode(const std::string& b) {
  std::string out;
  REQUIRE(util::base64_decode(b, out));
  return out;
}

}  // namespace

TEST_SUITE("authenticators.cram_md5") {
  TEST_CASE("RFC 2195 example digest") {
    CHECK(util::hex_encode(util::hmac(util::DigestAlgo::Md5, "tanstaaftanstaaf",
                                      "<1896.697170952@postoffice.reston.mci.net>")) ==
          "b913a602c7eda7a495b4e6e7334d3890");
  }

  TEST_CASE("challenge, right and wrong responses") {
    authtest::Fixture f(kConf);
    const auto& a = f.get("cram");
    auto d = a.server_start(f.ctx);
    auto c = d->step("", true);
    REQUIRE(c.outcome == ServerOutcome::Challenge);
    std::string chal = decode(c.challenge);
    CHECK(chal.front() == '<');
    CHECK(chal.find("@mx.example.org>") != std::string::npos);
    CHECK(d->step(response("tim", "tanstaaftanstaaf", chal), false).outcome == ServerOutcome::Ok);

    d = a.server_start(f.ctx);
    chal = decode(d->step("", true).challenge);
    CHECK(d->step(response("tim", "wrong", chal), false).outcome == ServerOutcome::Fail);
  }

  TEST_CASE("upper-case hex digits are accepted") {
    authtest::Fixture f(kConf);
    auto d = f.get("cram").server_start(f.ctx);
    std::string chal = decode(d->step("", true).challenge);
    std::string hex =
        util::hex_encode(util::hmac(util::DigestAlgo::Md5, "tanstaaftanstaaf", chal), true);
    CHECK(d->step(b64("tim " + hex), false).outcome == ServerOutcome::Ok);
  }

  TEST_CASE("challenges never repeat, so responses cannot be replayed (T-AUTH-3)") {
    authtest::Fixture f(kConf);
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
      seen.insert(f.get("cram").server_start(f.ctx)->step("", true).challenge);
    }
    CHECK(seen.size() == 200);
    auto d1 = f.get("cram").server_start(f.ctx);
    std::string old = response("tim", "tanstaaftanstaaf", decode(d1->step("", true).challenge));
    auto d2 = f.get("cram").server_start(f.ctx);
    (void)d2->step("", true);
    CHECK(d2->step(old, false).outcome == ServerOutcome::Fail);
  }

  TEST_CASE("unknown user, malformed responses, initial data, secret errors") {
    authtest::Fixture f(kConf);
    auto run = [&](const char* name, const std::string& resp) {
      auto d = f.get(name).server_start(f.ctx);
      (void)d->step("", true);
      return d->step(resp, false).outcome;
    };
    CHECK(run("cram", response("bob", "x", "y")) == ServerOutcome::Fail);  // forced failure
    CHECK(run("cram", b64("tim")) == ServerOutcome::Fail);                 // no digest
    CHECK(run("cram", b64("tim 1234")) == ServerOutcome::Fail);            // short digest
    CHECK(run("cram", "***") == ServerOutcome::Bad64);
    CHECK(run("broken", response("tim", "x", "y")) == ServerOutcome::Defer);
    CHECK(f.get("cram").server_start(f.ctx)->step(b64("x"), true).outcome ==
          ServerOutcome::Unexpected);
  }

  TEST_CASE("client against a facteur session") {
    authtest::Fixture f(kConf);
    authtest::SessionChannel ch(*f.cfg);
    auto r = f.get("cram").client_authenticate(ch, f.ctx);
    CHECK_MESSAGE(r.outcome == authenticators::ClientOutcome::Ok, r.message);
    CHECK(ch.sent[1] == "AUTH CRAM-MD5");
    std::string id;
    ch.session->variables().get("authenticated_id", id);
    CHECK(id == "tim");
  }
}
