#include "engine/callout.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using engine::CalloutOptions;
using engine::CalloutOutcome;
using engine::CalloutProbe;
using engine::CalloutRequest;
using engine::CalloutTarget;
using routers::RouterResult;

namespace {

// Answers RCPT from a table (local part → result), records every request; restores the
// registered client when it goes.
class FakeClient : public engine::CalloutClient {
 public:
  FakeClient() : saved_(engine::callout_client()) { engine::set_callout_client(this); }
  ~FakeClient() override { engine::set_callout_client(saved_); }
  CalloutProbe probe(const CalloutRequest& r) override {
    requests.push_back(r);
    CalloutProbe p;
    p.sent = "RCPT TO:<" + r.rcpt_to + ">";
    std::string lp = r.rcpt_to.substr(0, r.rcpt_to.find('@'));
    if (refuse_connection) {
      p.error = "Connection refused";
    } else if (refuse_mail) {
      p.result = CalloutProbe::Result::Rejected;
      p.sent = "MAIL FROM:<>";
      p.response = "550 no";
      p.error = "response to \"MAIL FROM:<>\" was: 550 no";
    } else if (lp.rfind("bad", 0) == 0 || (lp.rfind("postmaster", 0) == 0 && !postmaster_ok)) {
      p.result = CalloutProbe::Result::Rejected;
      p.at_rcpt = true;
      p.response = "550 unknown " + lp;
      p.error = "SMTP error from remote mail server after " + p.sent + ": " + p.response;
    } else {
      p.result = CalloutProbe::Result::Accepted;
    }
    return p;
  }
  std::vector<CalloutRequest> requests;
  bool refuse_connection = false, refuse_mail = false, postmaster_ok = true;

 private:
  engine::CalloutClient* saved_;
};

struct TempSpool {
  TempSpool() {
    char tmpl[] = "/tmp/facteur-callout-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempSpool() { fs::remove_all(path); }
  std::string path;
};

CalloutTarget target(int hosts = 1) {
  CalloutTarget t;
  for (int i = 1; i <= hosts; ++i) {
    engine::Host h;
    h.name = "h" + std::to_string(i);
    h.address = "192.0.2." + std::to_string(i);
    t.hosts.push_back(h);
  }
  t.port = 2525;
  t.helo = "me.test";
  t.random_local_part = "rnd-testing";
  return t;
}

CalloutOptions options(std::string_view text) {
  CalloutOptions o;
  REQUIRE(engine::parse_callout_options(text, o) == "");
  return o;
}

}  // namespace

TEST_CASE("callout: parameters") {
  CalloutOptions o = options("=10s,connect=1s,maxwait=1m,defer_ok,use_sender,no_cache");
  CHECK(o.timeout == 10);
  CHECK(o.connect == 1);
  CHECK(o.maxwait == 60);
  CHECK(o.defer_ok);
  CHECK(o.use_sender);
  CHECK(o.no_cache);
  CHECK_FALSE(o.postmaster_mailfrom);
  CHECK(options("").timeout == 30);
  CHECK(*options("=postmaster_mailfrom=a@b,postmaster").postmaster_mailfrom == "");
  CHECK(*options("=postmaster,postmaster_mailfrom=a@b").postmaster_mailfrom == "a@b");
  CHECK(options("=fullpostmaster").postmaster_mailfrom.has_value());
  CalloutOptions bad;
  CHECK(engine::parse_callout_options("=frobnicate", bad) ==
        "unknown callout parameter \"frobnicate\"");
  CHECK(engine::parse_callout_options("=10x", bad) == "bad time value in callout \"10x\"");
  CHECK(engine::parse_callout_options("_defer_ok", bad) == "unknown option \"callout_defer_ok\"");
}

TEST_CASE("callout: a 2xx verifies, a 5xx to RCPT fails with Exim's texts") {
  FakeClient c;
  CalloutOutcome ok = engine::run_callout("u@d.test", false, "", target(), options(""), nullptr);
  CHECK(ok.status == RouterResult::Accept);
  REQUIRE(c.requests.size() == 1);
  CHECK(c.requests[0].port == 2525);
  CHECK(c.requests[0].helo == "me.test");
  CHECK(c.requests[0].mail_from == "");
  CalloutOutcome no = engine::run_callout("bad@d.test", false, "", target(), options(""), nullptr);
  CHECK(no.status == RouterResult::Fail);
  CHECK(no.message ==
        "h1 [192.0.2.1] : SMTP error from remote mail server after RCPT TO:<bad@d.test>: 550 "
        "unknown bad");
  CHECK(no.user_message == "Callout verification failed:\n550 unknown bad");
  CalloutOutcome s = engine::run_callout("bad@d.test", true, "", target(), options(""), nullptr);
  CHECK(s.user_message ==
        "Called:   192.0.2.1\nSent:     RCPT TO:<bad@d.test>\nResponse: 550 unknown bad");
}

TEST_CASE("callout: hosts that cannot be reached defer, or succeed with defer_ok") {
  FakeClient c;
  c.refuse_connection = true;
  CalloutOutcome d = engine::run_callout("u@d.test", false, "", target(2), options(""), nullptr);
  CHECK(d.status == RouterResult::Defer);
  CHECK(c.requests.size() == 2);  // every host is tried
  CHECK(d.user_message == "Could not complete recipient verify callout");
  CHECK(d.message ==
        "Could not complete recipient verify callout: h2 [192.0.2.2] : Connection refused");
  CHECK(
      engine::run_callout("u@d.test", false, "", target(), options("=defer_ok"), nullptr).status ==
      RouterResult::Accept);
  CHECK(engine::run_callout("u@d.test", true, "", target(), options(""), nullptr).user_message ==
        "Could not complete sender verify callout");
}

TEST_CASE("callout: random and postmaster checks") {
  FakeClient c;
  CalloutOutcome r =
      engine::run_callout("bad@d.test", false, "", target(), options("=random"), nullptr);
  CHECK(r.status == RouterResult::Accept);  // the host accepts anything: no point asking
  REQUIRE(c.requests.size() == 1);
  CHECK(c.requests[0].rcpt_to == "rnd-testing@d.test");
  c.requests.clear();
  c.postmaster_ok = false;
  CalloutOutcome p =
      engine::run_callout("u@d.test", false, "", target(), options("=fullpostmaster"), nullptr);
  CHECK(p.status == RouterResult::Fail);
  REQUIRE(c.requests.size() == 3);
  CHECK(c.requests[1].rcpt_to == "postmaster@d.test");
  CHECK(c.requests[2].rcpt_to == "postmaster");
}

TEST_CASE("callout: results are cached per address and per domain") {
  TempSpool spool;
  engine::CalloutCache cache(spool.path, {});
  FakeClient c;
  CHECK(engine::run_callout("bad@d.test", false, "", target(), options(""), &cache).status ==
        RouterResult::Fail);
  CalloutOutcome again =
      engine::run_callout("bad@d.test", false, "", target(), options(""), &cache);
  CHECK(again.status == RouterResult::Fail);
  CHECK(again.user_message == "Previous (cached) callout verification failure");
  CHECK(c.requests.size() == 1);
  CHECK(engine::run_callout("bad@d.test", false, "", target(), options("=no_cache"), &cache)
            .user_message == "Callout verification failed:\n550 unknown bad");
  CHECK(c.requests.size() == 2);
  c.refuse_mail = true;
  CHECK(engine::run_callout("u@m.test", false, "", target(), options(""), &cache).status ==
        RouterResult::Fail);
  CalloutOutcome dom = engine::run_callout("v@m.test", false, "", target(), options(""), &cache);
  CHECK(dom.message == "(result of an earlier callout reused).");
  CHECK(c.requests.size() == 3);
  // A non-empty MAIL address keys its own record.
  c.refuse_mail = false;
  CHECK(
      engine::run_callout("bad@d.test", false, "s@x", target(), options(""), &cache).user_message ==
      "Callout verification failed:\n550 unknown bad");
}

TEST_CASE("callout cache: records expire") {
  TempSpool spool;
  engine::CalloutCache cache(spool.path, {0, 0, 0, 0});
  cache.set_address("a@b", true);
  cache.set_domain("b", "accept pm_accept");
  usleep(2000);
  CHECK_FALSE(cache.address("a@b"));
  CHECK_FALSE(cache.domain("b"));
  engine::CalloutCache lasting(spool.path, {});
  CHECK(lasting.address("a@b") == "accept");
  CHECK(engine::callout_words_have("accept pm_accept", "pm_accept"));
  CHECK_FALSE(engine::callout_words_have("accept pm_accept", "reject"));
  engine::CalloutCache none("", {});
  none.set_address("a@b", false);
  CHECK_FALSE(none.address("a@b"));
}
