// Tests for engine/verify: -bt and -bv reports and exit codes, EXPN lines, the short form
// used by ACLs and VRFY, and the SMTP session glue (AddressVerifier).
#include "engine/verify.h"

#include <doctest/doctest.h>

#include "tests/engine/route_helper.h"

using routers::RouterResult;
using testroute::conf;
using testroute::Routing;

namespace {

const char* kRouters = R"(
staff:
  driver = redirect
  local_parts = staff : one : bh : pipe : later : gone
  data = ${if eq{$local_part}{staff}{alice, bob}{${if eq{$local_part}{one}{alice}\
         {${if eq{$local_part}{bh}{:blackhole:}{${if eq{$local_part}{pipe}{|/bin/cat}\
         {${if eq{$local_part}{later}{:defer: later}{:fail: gone}}}}}}}}}}
  allow_fail
  allow_defer
  pipe_transport = address_pipe
users:
  driver = accept
  domains = example.org
  local_parts = alice : bob
  address_data = data-$local_part
  transport = local
remote:
  driver = manualroute
  domains = ! +local_domains
  senders = ! :
  route_list = * 192.0.2.1:198.51.100.200
  transport = remote
)";

}  // namespace

TEST_SUITE("engine.verify") {
  TEST_CASE("-bt: parents, hosts padded, duplicates, discards, exit codes") {
    Routing r(conf(kRouters));
    CHECK(r.bt({"staff@example.org", "alice@example.org"}) ==
          std::pair<int, std::string>{
              0,
              "bob@example.org\n    <-- staff@example.org\n  router = users, transport = local\n"
              "alice@example.org\n    <-- staff@example.org\n  router = users, transport = local\n"
              "alice@example.org   [duplicate, would not be delivered]\n"
              "  router = users, transport = local\n"});
    CHECK(r.bt({"x@remote.example"}).second ==
          "x@remote.example\n  router = remote, transport = remote\n"
          "  host 192.0.2.1      [192.0.2.1]     \n"
          "  host 198.51.100.200 [198.51.100.200]\n");
    CHECK(r.bt({"bh"}).second == "mail to bh@example.org is discarded\n");
    CHECK(r.bt({"later", "gone"}) ==
          std::pair<int, std::string>{2,
                                      "later@example.org cannot be resolved at this time: later\n"
                                      "gone@example.org is undeliverable: gone\n"});
    CHECK(r.bt({"later"}).first == 1);
    CHECK(r.bt({"a@"}) == std::pair<int, std::string>{2,
                                                      "syntax error: domain missing or "
                                                      "malformed\n"});
    CHECK(r.bt({"<alice@example.org>"}).first == 0);
  }

  TEST_CASE("-bt -f: the sender decides routers with `senders`") {
    Routing r(conf(kRouters));
    CHECK(r.bt({"x@remote.example"}, "").second ==
          "x@remote.example is undeliverable: Unrouteable address\n");
  }

  TEST_CASE("-bv and the short form") {
    Routing r(conf(kRouters));
    CHECK(r.bv({"one@example.org", "staff@example.org", "pipe@example.org", "nobody"}) ==
          std::pair<int, std::string>{2,
                                      "one@example.org verified\nstaff@example.org verified\n"
                                      "pipe@example.org verified\n"
                                      "nobody@example.org failed to verify: Unrouteable "
                                      "address\n"});
    auto v = r.verify("one@example.org");
    CHECK(v.status == RouterResult::Accept);
    CHECK(v.address_data == "data-alice");  // the child's
    v = r.verify("x@remote.example", engine::RouteMode::VerifySender);
    CHECK(v.status == RouterResult::Fail);  // the sender is <> while a sender is verified
    CHECK(v.user_message == "Unrouteable address");
  }

  TEST_CASE("EXPN: one level, as reply lines") {
    Routing r(conf(kRouters));
    struct {
      const char* in;
      RouterResult status;
      std::vector<std::string> lines;
    } cases[] = {
        {"staff", RouterResult::Accept, {"<alice@example.org>", "<bob@example.org>"}},
        {"one", RouterResult::Accept, {"<alice@example.org>"}},
        {"alice", RouterResult::Accept, {"<alice@example.org>"}},
        {"bh", RouterResult::Accept, {"mail to <bh@example.org> is discarded"}},
        {"pipe", RouterResult::Accept, {"<|/bin/cat>"}},
        {"gone", RouterResult::Fail, {"gone@example.org is undeliverable"}},
        {"later", RouterResult::Defer, {"later@example.org cannot be resolved at this time"}},
    };
    for (const auto& c : cases) {
      CAPTURE(c.in);
      auto v = r.verify(c.in, engine::RouteMode::Expn);
      CHECK(v.status == c.status);
      CHECK(v.expn == c.lines);
    }
  }

  TEST_CASE("AddressVerifier: kinds, the session's sender, a broken chain") {
    Routing r(conf(kRouters));
    engine::AddressVerifier av(*r.cfg);
    r.vars->set("sender_address", "someone@elsewhere.example");
    auto v = av.verify({"x@remote.example", engine::smtp::VerifyKind::Recipient, false, std::nullopt}, r.ctx);
    CHECK(v.status == engine::smtp::VerifyStatus::Ok);
    v = av.verify({"x@remote.example", engine::smtp::VerifyKind::Sender, false, std::nullopt}, r.ctx);
    CHECK(v.status == engine::smtp::VerifyStatus::Fail);
    v = av.verify({"staff", engine::smtp::VerifyKind::Expn, false, std::nullopt}, r.ctx);
    CHECK(v.addresses == std::vector<std::string>{"<alice@example.org>", "<bob@example.org>"});
    v = av.verify({"alice", engine::smtp::VerifyKind::Vrfy, false, std::nullopt}, r.ctx);
    CHECK(v.status == engine::smtp::VerifyStatus::Ok);
    CHECK(v.address == "alice@example.org");
    CHECK(v.address_data == "data-alice");
    Routing broken(conf("r:\n driver = accept\n"));
    engine::AddressVerifier bv(*broken.cfg);
    v = bv.verify({"x@y.example", engine::smtp::VerifyKind::Recipient, false, std::nullopt}, broken.ctx);
    CHECK(v.status == engine::smtp::VerifyStatus::Defer);
    CHECK(v.message == "router r: a transport is required for this router");
  }
}
