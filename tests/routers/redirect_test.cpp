// Tests for routers/redirect (spec chapter 22): aliases through -bt as Exim 4.96 prints them
// (the outputs were checked against exim4 -bt with the same files), files and pipes and
// their transports, forbid_*, the `file` option, check_ancestor, qualify_preserve_domain,
// skip_syntax_errors, filters.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "tests/engine/route_helper.h"

using routers::RouterResult;
using testroute::conf;
using testroute::Routing;

namespace {

const std::string kDir = "/tmp/facteur-redirect-test-" + std::to_string(::getpid());
struct Cleanup {
  ~Cleanup() { (void)std::system(("rm -rf " + kDir).c_str()); }
} kCleanup;

std::string write(const std::string& name, const std::string& text, mode_t mode = 0644) {
  (void)std::system(("mkdir -p " + kDir).c_str());
  std::string path = kDir + "/" + name;
  std::ofstream(path) << text;
  ::chmod(path.c_str(), mode);
  return path;
}

Routing aliases() {
  std::string file = write("aliases",
                           "gone: :fail: Gone away\n"
                           "nomsg: :fail:\n"
                           "later: :defer: later please, bob\n"
                           "staff: alice, bob\n"
                           "pipe: |/bin/cat\n"
                           "file: /tmp/x, alice\n"
                           "dir: /tmp/dir/\n"
                           "bh: alice, :blackhole:, bob\n"
                           "unk: alice, :unknown:, bob\n"
                           "bad: alice@, bob\n"
                           "one: alice\n"
                           "chain: staff\n");
  return Routing(
      conf("aliases:\n driver = redirect\n data = ${lookup{$local_part}lsearch{" + file +
           "}}\n allow_fail\n allow_defer\n file_transport = address_file\n"
           " pipe_transport = address_pipe\n"
           "nopipe:\n driver = redirect\n domains = np.example\n"
           " data = |/bin/true, /tmp/f\n forbid_pipe\n pipe_transport = address_pipe\n"
           "users:\n driver = accept\n local_parts = alice : bob\n transport = local\n"));
}

}  // namespace

TEST_SUITE("routers.redirect") {
  TEST_CASE("aliases: specials as -bt shows them") {
    Routing r = aliases();
    struct {
      const char* in;
      int rc;
      const char* want;
    } cases[] = {
        {"gone@example.org", 2, "gone@example.org is undeliverable: Gone away\n"},
        {"nomsg@example.org", 2, "nomsg@example.org is undeliverable: \n"},
        {"later@example.org", 1,
         "later@example.org cannot be resolved at this time: later please, bob\n"},
        {"bh@example.org", 0, "mail to bh@example.org is discarded\n"},
        {"unk@example.org", 0,
         "bob@example.org\n    <-- unk@example.org\n  router = users, transport = local\n"
         "alice@example.org\n    <-- unk@example.org\n  router = users, transport = local\n"},
        {"pipe@example.org", 0, "pipe@example.org -> |/bin/cat\n  transport = address_pipe\n"},
        {"file@example.org", 0,
         "file@example.org -> /tmp/x\n  transport = address_file\n"
         "alice@example.org\n    <-- file@example.org\n  router = users, transport = local\n"},
        {"dir@example.org", 0,
         "dir@example.org -> /tmp/dir/\n*** Error in setting up pipe, file, or autoreply:\n"
         "directory_transport unset in aliases router\n"},
        {"bad@example.org", 1,
         "bad@example.org cannot be resolved at this time: error in redirect data: domain "
         "missing or malformed in \"alice@\"\n"},
        {"x@np.example", 0,
         "x@np.example -> |/bin/true *** forbidden ***\nx@np.example -> /tmp/f\n"
         "*** Error in setting up pipe, file, or autoreply:\nfile_transport unset in nopipe "
         "router\n"},
        {"chain@example.org", 0,
         "bob@example.org\n    <-- staff@example.org\n    <-- chain@example.org\n"
         "  router = users, transport = local\n"
         "alice@example.org\n    <-- staff@example.org\n    <-- chain@example.org\n"
         "  router = users, transport = local\n"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.in);
      CHECK(r.bt({c.in}) == std::pair<int, std::string>{c.rc, c.want});
    }
  }

  TEST_CASE("-bv: one child is followed, several are not; messages of the top address") {
    Routing r = aliases();
    CHECK(r.bv({"one@example.org"}).second == "one@example.org verified\n");
    CHECK(r.bv({"staff@example.org"}).second == "staff@example.org verified\n");
    CHECK(r.bv({"gone@example.org"}) ==
          std::pair<int, std::string>{2, "gone@example.org failed to verify: Gone away\n"});
    auto v = r.verify("gone@example.org");
    CHECK(v.user_message == "Gone away");
    CHECK(v.pass_message);
  }

  TEST_CASE("forbid_smtp_code, check_ancestor, qualify_preserve_domain, skip_syntax_errors") {
    Routing r(conf(R"(
codes:
  driver = redirect
  domains = codes.example
  data = :fail: 550 5.1.1 no such user
  allow_fail
  forbid_smtp_code
ancestor:
  driver = redirect
  domains = example.org
  local_parts = jb
  data = joe.bloggs, other
  check_ancestor
names:
  driver = redirect
  domains = example.org
  local_parts = joe.bloggs
  data = jb
preserve:
  driver = redirect
  domains = example.net
  local_parts = p
  data = unq, \unq2
  qualify_preserve_domain
skip:
  driver = redirect
  local_parts = skip : allbad
  data = ${if eq{$local_part}{skip}{good, bad@}{bad@}}
  skip_syntax_errors
users:
  driver = accept
  transport = local
)"));
    auto v = r.verify("x@codes.example");
    CHECK(v.status == RouterResult::Fail);
    CHECK(v.user_message == "no such user");
    // joe.bloggs -> jb -> (joe.bloggs is an ancestor: replaced by jb) -> jb delivered.
    auto f = r.route("joe.bloggs@example.org");
    std::vector<std::string> got;
    for (const auto& a : f.lists.local) got.push_back(a->address);
    CHECK(got == std::vector<std::string>{"other@example.org", "jb@example.org"});
    f = r.route("p@example.net");
    got.clear();
    for (const auto& a : f.lists.local) got.push_back(a->address);
    CHECK(got == std::vector<std::string>{"unq2@example.net", "unq@example.net"});
    f = r.route("skip@example.org");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->address == "good@example.org");
    f = r.route("allbad@example.org");  // every item skipped: declines
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->address == "allbad@example.org");
  }

  TEST_CASE("the file option: contents, a missing file, bad modes") {
    std::string good = write("forward", "alice, # a comment\nbob\n");
    std::string loose = write("loose", "alice\n", 0666);
    Routing r(conf("fwd:\n driver = redirect\n file = " + kDir +
                   "/${if eq{$local_part}{g}{forward}{${if eq{$local_part}{l}{loose}{none}}}}\n"
                   "rel:\n driver = redirect\n local_parts = rel\n file = relative\n"
                   "users:\n driver = accept\n transport = local\n"));
    auto f = r.route("g@example.org");
    CHECK(f.lists.local.size() == 2);
    f = r.route("none@example.org");  // no such file: declines
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->address == "none@example.org");
    f = r.route("l@example.org");
    CHECK(f.top == RouterResult::Defer);
    CHECK(f.address->message == "bad mode (0666) for " + loose + ": 022 bit(s) unexpected");
    f = r.route("rel@example.org");
    CHECK(f.top == RouterResult::Defer);
    CHECK(f.address->message == "\"relative\" is not an absolute path");
  }

  TEST_CASE("generated addresses carry address_data, errors_to and start at redirect_router") {
    Routing r(conf(R"(
aliases:
  driver = redirect
  local_parts = list
  address_data = from-list
  data = member
  redirect_router = users
again:
  driver = redirect
  local_parts = member
  data = elsewhere
users:
  driver = accept
  transport = local
)"));
    auto f = r.route("list@example.org");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->address == "member@example.org");
    CHECK(f.lists.local[0]->prop.address_data == "from-list");
    CHECK(f.lists.succeeded.size() == 1);
  }

  TEST_CASE("one_time: generated addresses remember their top-level ancestor") {
    Routing r(conf(R"(
outer:
  driver = redirect
  local_parts = outer
  data = list
list:
  driver = redirect
  local_parts = list
  one_time
  data = a, b
users:
  driver = accept
  transport = local
)"));
    auto f = r.route("outer@example.org");
    REQUIRE(f.lists.local.size() == 2);
    for (const auto& a : f.lists.local) CHECK(a->onetime_parent == "outer@example.org");
    CHECK(f.lists.succeeded.size() == 2);
    for (const auto& a : f.lists.succeeded) CHECK(a->onetime_parent.empty());
  }

  TEST_CASE("filters: significant deliveries, no significant delivery, fail, errors") {
    std::string filter =
        write("filter",
              "# Exim filter\n"
              "if $local_part is \"alice\" then\n"
              "  deliver bob@example.org\n"
              "  unseen save /tmp/rt/saved\n"
              "elif $local_part begins \"car\" and not $local_part ends \"x\" then\n"
              "  pipe \"/bin/cat -n\"\n"
              "  unseen deliver dave\n"
              "endif\n"
              "if $local_part is \"fin\" then seen finish endif\n"
              "if $local_part is \"zed\" then fail text \"zed is gone\" endif\n"
              "if $local_part is \"mailer\" then mail to x@y.z endif\n");
    Routing r(
        conf("filter:\n driver = redirect\n domains = example.org\n"
             " local_parts = ! bob : ! dave\n file = " +
             filter +
             "\n allow_filter\n allow_fail\n user = root\n file_transport = address_file\n"
             " pipe_transport = address_pipe\n reply_transport = local\n"
             "users:\n driver = accept\n transport = local\n"));
    struct {
      const char* in;
      int rc;
      const char* want;
    } cases[] = {
        {"alice@example.org", 0,
         "alice@example.org -> /tmp/rt/saved\n  transport = address_file\n"
         "bob@example.org\n    <-- alice@example.org\n  router = users, transport = local\n"},
        {"carol@example.org", 0,
         "carol@example.org -> |/bin/cat -n\n  transport = address_pipe\n"
         "dave@example.org\n    <-- carol@example.org\n  router = users, transport = local\n"},
        {"carx@example.org", 0, "carx@example.org\n  router = users, transport = local\n"},
        {"fin@example.org", 0, "mail to fin@example.org is discarded\n"},
        {"zed@example.org", 2, "zed@example.org is undeliverable: zed is gone\n"},
        {"mailer@example.org", 0,
         "mailer@example.org -> mail x@y.z\n  transport = local\n"
         "mailer@example.org\n    <-- mailer@example.org\n  router = users, transport = local\n"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.in);
      CHECK(r.bt({c.in}) == std::pair<int, std::string>{c.rc, c.want});
    }
    Routing off(conf("filter:\n driver = redirect\n file = " + filter + "\n user = root\n"));
    CHECK(off.bt({"alice@example.org"}).second ==
          "alice@example.org cannot be resolved at this time: error in filter file: filtering "
          "not enabled\n");
  }
}
