// Tests for engine/acl_trace: the lines PolicyTrace writes as the Evaluator runs ACLs, in Exim
// 4.96's words (expected lines taken from exim4 -bh / -d+acl runs of the same statements).
#include "engine/acl_trace.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/hostlist_trace.h"
#include "tests/engine/acl_fixture.h"

namespace {

constexpr const char* kConfig = R"(domainlist local = example.org : example.net
domainlist dyn = ${if eq{1}{1}{example.org}{x}}
hostlist lan = 192.168.0.0/16 : +inner
hostlist inner = 10.0.0.0/8
begin acl
top:
  warn    set acl_m_a_very_long_variable_name = ${lc:X}
          set acl_m_n = 1
  accept  condition = ${if eq{$acl_arg1}{go}}
          message = fine
  deny    !acl = inner $acl_arg1
          log_message = denied for $acl_arg1
inner:
  require condition = ${if eq{$acl_arg1}{x}{no}{yes}}
  accept
lists:
  warn    domains = +local
  warn    domains = +local
  warn    domains = +dyn
  warn    domains = +dyn
  accept  domains = !example.org : *
endpass:
  accept  condition = yes
          endpass
          message = not you
          condition = no
nothing:
  warn    condition = no
)";

struct Env : acltest::AclFixture {
  Env() : AclFixture(kConfig) {}
  // Runs `name` with `args` under a trace with `prefix`; the lines written.
  std::vector<std::string> run(std::string_view name, std::vector<std::string> args,
                               std::string prefix = ">>> ") {
    std::vector<std::string> lines;
    engine::acl::PolicyTrace trace(std::move(prefix), true, [&lines](std::string_view l) {
      lines.emplace_back(l.substr(0, l.size() - 1));  // without the newline
    });
    eval->set_tracer(&trace);
    ctx.list_tracer = &trace;
    std::string msg;
    eval->run(name, args, msg);
    eval->set_tracer(nullptr);
    ctx.list_tracer = nullptr;
    return lines;
  }
};

using Lines = std::vector<std::string>;

}  // namespace

TEST_SUITE("engine.acl_trace") {
  TEST_CASE("statements, checks, expanded values, nested ACLs and the end") {
    Env e;
    Lines got = e.run("top", {"stop"});
    Lines want = {
        ">>> using ACL \"top\"",
        ">>> processing \"warn\" (t.conf 7)",
        ">>> check set acl_m_a_very_long_variable_name = ${lc:X}",
        ">>>                              = x",  // the padding stops at 29 spaces
        ">>> check set acl_m_n = 1",
        ">>> warn: condition test succeeded in ACL \"top\"",
        ">>> processing \"accept\" (t.conf 9)",
        ">>> check condition = ${if eq{$acl_arg1}{go}}",
        ">>>                 = ",
        ">>> accept: condition test failed in ACL \"top\"",
        ">>> processing \"deny\" (t.conf 11)",
        ">>> check !acl = inner $acl_arg1",
        ">>>  using ACL \"inner\"",
        ">>>  processing \"require\" (t.conf 14)",
        ">>>  check condition = ${if eq{$acl_arg1}{x}{no}{yes}}",
        ">>>                 = yes",
        ">>>  require: condition test succeeded in ACL \"inner\"",
        ">>>  processing \"accept\" (t.conf 15)",
        ">>>  accept: condition test succeeded in ACL \"inner\"",
        ">>>  end of ACL \"inner\": ACCEPT",
        ">>> deny: condition test failed in ACL \"top\"",
        ">>> end of ACL \"top\": implicit DENY",
    };
    CHECK(got == want);
  }

  TEST_CASE("a failing require says not OK; a message is shown when reached") {
    Env e;
    Lines got = e.run("top", {"x"}, "");  // -d+acl: no prefix
    REQUIRE(got.size() > 15);
    CHECK(got[12] == " using ACL \"inner\"");
    CHECK(got[15] == "                = no");
    CHECK(got[16] == " require: condition test failed in ACL \"inner\"");
    CHECK(got[17] == " end of ACL \"inner\": not OK");
    Lines go = e.run("top", {"go"});
    CHECK(go[go.size() - 3] == ">>>   message: fine");
    CHECK(go.back() == ">>> end of ACL \"top\": ACCEPT");
  }

  TEST_CASE("named lists: inner list first, cached results, lists with $ never cached") {
    struct Domain : lang::VariableSource {
      bool get(std::string_view name, std::string& out) const override {
        if (name != "domain") return false;
        out = "example.org";
        return true;
      }
    } vars;
    Env e;
    e.ctx.vars = &vars;
    Lines lists;
    for (const auto& l : e.run("lists", {}))
      if (l.find(" in \"") != std::string::npos) lists.push_back(l);
    Lines want = {
        ">>> example.org in \"example.org : example.net\"? yes (matched \"example.org\")",
        ">>> example.org in \"+local\"? yes (matched \"+local\")",
        ">>> example.org in \"+local\"? yes (matched \"+local\" - cached)",
        ">>> example.org in \"example.org\"? yes (matched \"example.org\")",
        ">>> example.org in \"+dyn\"? yes (matched \"+dyn\")",
        ">>> example.org in \"example.org\"? yes (matched \"example.org\")",
        ">>> example.org in \"+dyn\"? yes (matched \"+dyn\")",
        ">>> example.org in \"!example.org : *\"? no (matched \"!example.org\")",
    };
    CHECK(lists == want);
  }

  TEST_CASE("endpass: the failing condition after it denies") {
    Env e;
    Lines got = e.run("endpass", {});
    CHECK(got[got.size() - 2] == ">>> accept: condition test failed in ACL \"endpass\"");
    CHECK(got.back() == ">>> accept: endpass encountered - denying access");
  }

  TEST_CASE("host lists: named lists inside, negation, cache per session, option names") {
    Env e;
    std::vector<std::string> lines;
    engine::acl::PolicyTrace trace(">>> ", true, [&lines](std::string_view l) {
      lines.emplace_back(l.substr(0, l.size() - 1));
    });
    e.ctx.list_tracer = &trace;
    lang::HostInfo host{"10.1.2.3", "", {}, nullptr};
    engine::trace_hostlist(e.ctx, "! 192.0.2.1 : +lan", host);
    engine::trace_hostlist(e.ctx, "+lan", host, "relay_hosts");
    engine::trace_hostlist(e.ctx, "!+lan : *", host);
    engine::trace_empty_option(e.ctx, lang::ListKind::Host, "host", "hosts_proxy", false);
    engine::trace_empty_option(e.ctx, lang::ListKind::Host, "host", "tls_advertise_hosts", true);
    Lines want = {
        ">>> host in \"10.0.0.0/8\"? yes (matched \"10.0.0.0/8\")",
        ">>> host in \"192.168.0.0/16 : +inner\"? yes (matched \"+inner\")",
        ">>> host in \"! 192.0.2.1 : +lan\"? yes (matched \"+lan\")",
        ">>> host in relay_hosts? yes (matched \"+lan\" - cached)",
        ">>> host in \"!+lan : *\"? no (matched \"!+lan\" - cached)",
        ">>> host in hosts_proxy? no (option unset)",
        ">>> host in tls_advertise_hosts? no (end of list)",
    };
    CHECK(lines == want);
  }

  TEST_CASE("no tracer: the evaluator runs the same, and says nothing") {
    Env e;
    std::string msg;
    CHECK(e.eval->run("top", {"go"}, msg) == lang::AclVerdict::Accept);
    CHECK(msg == "fine");
    CHECK(e.eval->run("nothing", {}, msg) == lang::AclVerdict::Deny);
  }
}
