// Tests for engine/acl_ratelimit: the ratelimit condition outside a session (as ${acl} runs
// it), with its rates in a temporary spool's hints database. Expected rates worked out from
// the smoothing formula: events in a quick burst add up (1, 2, 3 ...).
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/engine/acl_fixture.h"

namespace fs = std::filesystem;

namespace {

constexpr const char* kConfig = R"(begin acl
rl:
  accept ratelimit = $acl_arg1
  deny
)";

struct Vars : lang::VariableSource {
  std::string spool, host = "192.0.2.1", size = "0";
  bool get(std::string_view name, std::string& out) const override {
    if (name == "spool_directory")
      out = spool;
    else if (name == "sender_host_address")
      out = host;
    else if (name == "message_size")
      out = size;
    else
      return false;
    return true;
  }
};

struct Env : acltest::AclFixture {
  Env() : AclFixture(kConfig) {
    char tmpl[] = "/tmp/facteur-rl-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    vars.spool = tmpl;
    ctx.vars = &vars;
  }
  ~Env() { fs::remove_all(vars.spool); }
  // True when the condition is true (the rate reached the limit); `rate` gets $sender_rate.
  lang::AclVerdict check(const std::string& spec, std::string* rate = nullptr) {
    std::string msg;
    lang::AclVerdict v = eval->run("rl", {spec}, msg);
    if (rate) *rate = ctx.item_vars["sender_rate"];
    return v;
  }
  std::string error(const std::string& spec) {
    REQUIRE(check(spec) == lang::AclVerdict::Error);
    return eval->log_message();
  }
  Vars vars;
};

constexpr auto kOver = lang::AclVerdict::Accept;  // the condition is true
constexpr auto kUnder = lang::AclVerdict::Deny;   // it is false

}  // namespace

TEST_SUITE("engine.acl_ratelimit") {
  TEST_CASE("a burst adds up; leaky stops recording at the limit, strict does not") {
    Env e;
    std::string rate;
    CHECK(e.check("3 / 1h", &rate) == kUnder);
    CHECK(rate == "1.0");
    CHECK(e.check("3 / 1h", &rate) == kUnder);
    CHECK(rate == "2.0");
    CHECK(e.check("3 / 1h", &rate) == kUnder);  // 2.99...: a little decay since the first
    CHECK(rate == "3.0");
    CHECK(e.check("3 / 1h", &rate) == kOver);  // 3.99...: over, and leaky: not recorded
    CHECK(rate == "4.0");
    CHECK(e.check("3 / 1h", &rate) == kOver);
    CHECK(rate == "4.0");
    CHECK(e.check("3 / 1h / strict", &rate) == kOver);  // strict: recorded
    CHECK(rate == "4.0");
    CHECK(e.check("3 / 1h / strict", &rate) == kOver);
    CHECK(rate == "5.0");
    CHECK(e.check("3 / 1h / readonly", &rate) == kOver);
    CHECK(rate == "5.0");
    CHECK(e.check("3 / 1h / noupdate", &rate) == kOver);
    CHECK(rate == "5.0");
    CHECK(e.check("1 / 1h / first", &rate) == kOver);  // a new key starts at the count
    CHECK(e.ctx.item_vars["sender_rate_limit"] == "1");
    CHECK(e.ctx.item_vars["sender_rate_period"] == "1h");
  }

  TEST_CASE("keys, modes and unique= keep separate rates") {
    Env e;
    std::string rate;
    e.check("5 / 1h / per_cmd");
    e.check("5 / 1h / per_cmd", &rate);
    CHECK(rate == "2.0");
    e.check("5 / 1h / per_conn", &rate);
    CHECK(rate == "1.0");
    e.check("5 / 1d / per_cmd", &rate);  // another period, another key
    CHECK(rate == "1.0");
    e.check("5 / 1h / per_cmd / someone@example.org", &rate);
    CHECK(rate == "1.0");
    e.check("5 / 1h / unique=a", &rate);
    e.check("5 / 1h / unique=a", &rate);  // seen already: not counted again
    CHECK(rate == "1.0");
    e.check("5 / 1h / unique=b", &rate);
    CHECK(rate == "2.0");
    e.vars.size = "1000";
    CHECK(e.check("100 / 1d / per_byte", &rate) == kOver);
    CHECK(rate == "1000.0");
    e.check("5 / 1h / count=2.5 / k", &rate);
    CHECK(rate == "2.5");
  }

  TEST_CASE("rates survive the process: another one sees and adds to them") {
    Env e;
    e.check("9 / 1h / per_cmd");
    pid_t pid = fork();
    if (pid == 0) {  // another process: it opens the database afresh
      std::string rate;
      e.check("9 / 1h / per_cmd", &rate);
      _exit(rate == "2.0" ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    std::string rate;
    e.check("9 / 1h / per_cmd", &rate);
    CHECK(rate == "3.0");
    CHECK(fs::exists(e.vars.spool + "/db/ratelimit.fdb"));
  }

  TEST_CASE("malformed values are errors with Exim's texts") {
    Env e;
    const std::string head = "error in arguments to \"ratelimit\" condition: ";
    CHECK(e.error("x / 1h") == head + "\"x\" is not a positive number");
    CHECK(e.error("-1 / 1h") == head + "\"-1\" is not a positive number");
    CHECK(e.error("2") == head + "\"NULL\" is not a time value");
    CHECK(e.error("2 / 0s") == head + "\"0s\" is not a time value");
    CHECK(e.error("2 / 1h / per_mail / per_rcpt") == head + "conflicting per_* options");
    CHECK(e.error("2 / 1h / strict / readonly") == head + "conflicting update modes");
    CHECK(e.error("2 / 1h / count=x") == head + "\"count=x\" is not a positive number");
  }

  TEST_CASE("a spool that cannot hold the database makes the condition defer") {
    Env e;
    e.vars.spool = "/proc/no-spool-here";
    CHECK(e.check("2 / 1h") == lang::AclVerdict::Defer);
    CHECK(e.eval->log_message() == "ratelimit database not available");
  }
}
