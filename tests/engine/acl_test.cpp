#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "engine/acl.h"
#include "lang/expand.h"

namespace {

constexpr const char* kConfig = R"(
begin acl
greet:
  accept message = hello $acl_arg1
args:
  accept message = $acl_narg:[$acl_arg1][$acl_arg2][$acl_arg3]
refuse:
  deny message = refused $acl_arg1
later:
  defer message = try later
pick:
  accept condition = ${if eq{$acl_arg1}{yes}}
         message   = picked $acl_arg2
  deny   message   = not picked
dropit:
  drop message = dropped
discardit:
  discard message = discarded
req:
  require message = req failed
          condition = $acl_arg1
  accept  message = req ok
warnit:
  warn    log_message = logged $acl_arg1
          logwrite = :main: written
  accept  message = after warn
setter:
  warn    set acl_m_x = val-$acl_arg1
  accept  message = set $acl_m_x
endpass:
  accept  condition = $acl_arg1
          endpass
          condition = $acl_arg2
          message = endpass msg
  accept  message = fallthrough
nested:
  accept  acl = req $acl_arg1
          message = nested ok
  deny    message = nested deny
nestmsg:
  deny    acl = args "two words" x
loop:
  accept  acl = loop
forced:
  accept  condition = ${if eq{1}{2}{x}fail}
          message = forced ignored
negated:
  accept  !condition = false
          message = neg
dropinner:
  accept  acl = dropit
)";

struct Fixture {
  Fixture() {
    auto cfg = engine::config::read_string(kConfig, "test.conf");
    REQUIRE(cfg.ok());
    auto loaded = engine::acl::load(*cfg);
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().message));
    acls = std::make_unique<engine::acl::AclSet>(std::move(*loaded));
    runner = std::make_unique<engine::acl::Evaluator>(*acls, ctx);
    runner->set_log_sink([this](std::string_view l) { log.emplace_back(l); });
    ctx.acl = runner.get();
  }
  std::string ex(const std::string& s) {
    std::string out;
    lang::Status st = lang::expand_string(s, ctx, out);
    if (st.is_fail()) return "Forced: " + st.message();
    if (!st.is_ok()) return "Failed: " + st.message();
    return out;
  }
  lang::EvalContext ctx;
  std::unique_ptr<engine::acl::AclSet> acls;
  std::unique_ptr<engine::acl::Evaluator> runner;
  std::vector<std::string> log;
};

}  // namespace

TEST_SUITE("engine.acl") {
  TEST_CASE("verbs through ${acl}") {
    Fixture f;
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${acl{greet}{world}}", "hello world"},
        {"${acl{args}{a}{b}}", "2:[a][b][]"},
        {"${acl{args}}-${acl{args}{1}}", "0:[][][]-1:[1][][]"},
        {"${acl{greet}{${acl{greet}{inner}}}}", "hello hello inner"},
        {"${acl{refuse}{x}}", "refused x"},
        {"${acl{later}}", "Forced: DEFER from acl \"later\""},
        {"${acl{dropit}}", "Failed: FAIL_DROP from acl \"dropit\""},
        {"${acl{discardit}}", "Failed: DISCARD from acl \"discardit\""},
        {"${if acl{{pick}{yes}{one}}{Y:$value}{N:$value}}", "Y:picked one"},
        {"${if acl{{pick}{no}{two}}{Y:$value}{N:$value}}", "N:not picked"},
        {"${acl{req}{yes}}|${acl{req}{no}}", "req ok|req failed"},
        {"${acl{req}{maybe}}", "Forced: DEFER from acl \"req\""},
        {"${acl{endpass}{no}{no}}", "fallthrough"},
        {"${if acl{{endpass}{yes}{no}}{Y:$value}{N:$value}}", "N:"},
        {"${if acl{{endpass}{yes}{yes}}{Y:$value}{N:$value}}", "Y:"},
        {"${acl{nested}{yes}}|${acl{nested}{no}}", "nested ok|nested deny"},
        {"${acl{nestmsg}}", "2:[two words][x][]"},
        {"${acl{dropinner}}", "dropped"},
        {"${acl{loop}}", "Failed: ERROR from acl \"loop\""},
        {"${acl{forced}}", "forced ignored"},
        {"${acl{negated}}", "neg"},
        {"${acl{accept message = inline \\$acl_arg1}{x}}", "inline x"},
        {"${acl{no_such_acl}}", "Failed: ERROR from acl \"no_such_acl\""},
        {"[${acl{}}]", "[]"},
    };
    for (auto& c : cases) {
      CHECK_MESSAGE(f.ex(c.in) == c.want, "input: ", c.in, " got: ", f.ex(c.in));
    }
  }
  TEST_CASE("modifiers: set, warn logging, logwrite; arguments restored") {
    Fixture f;
    CHECK(f.ex("${acl{setter}{q}}") == "set val-q");
    CHECK(f.ctx.acl_vars["acl_m_x"] == "val-q");
    CHECK(f.ex("${acl{warnit}{z}}") == "after warn");
    CHECK(f.log == std::vector<std::string>{"written", "Warning: logged z"});
    f.ctx.acl_args = {"outer"};
    CHECK(f.ex("${acl{greet}{inner}}$acl_arg1") == "hello innerouter");
  }
  TEST_CASE("ACL read from a file, with continuation lines") {
    Fixture f;
    std::string path = "/tmp/facteur_acl_test." + std::to_string(::getpid());
    {
      std::ofstream out(path);
      out << "# comment\n\naccept condition = \\\n     yes\n  message = from \\\n  file\n";
    }
    CHECK(f.ex("${acl{" + path + "}}") == "from file");
    std::remove(path.c_str());
    CHECK(f.ex("${acl{" + path + "}}") == "from file");  // compiled once, kept
    CHECK(f.ex("${acl{/no/such/acl/file}}") == "Failed: ERROR from acl \"/no/such/acl/file\"");
  }
  TEST_CASE("load errors name the line") {
    auto cfg = engine::config::read_string(
        "begin acl\nbad:\n  accept nosuch = 1\n  deny set x = 1\n  accept condition = ${lc:\n",
        "bad.conf");
    REQUIRE(cfg.ok());
    auto loaded = engine::acl::load(*cfg);
    REQUIRE(!loaded.ok());
    CHECK(
        loaded.error().message ==
        "bad.conf:3: error in ACL: unknown ACL condition/modifier in \"accept nosuch = 1\"\n"
        "bad.conf:4: error in ACL: invalid variable name after \"set\" in ACL modifier \"set x\"\n"
        "bad.conf:5: error in ACL: error in ACL \"condition\" value: missing } at end of string");
  }
  TEST_CASE("T-MIME-1: acl_smtp_mime is refused, not silently skipped (no MIME parser)") {
    auto cfg = engine::config::read_string(
        "acl_smtp_mime = check_mime\nbegin acl\ncheck_mime:\n  deny condition = "
        "${if match{$mime_filename}{\\N\\.exe$\\N}}\n  accept\n",
        "mime.conf");
    REQUIRE(cfg.ok());
    auto loaded = engine::acl::load(*cfg);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().message.rfind("acl_smtp_mime is set, but facteur has no MIME ACL", 0) ==
          0);
    auto unset = engine::config::read_string("begin acl\na:\n  accept\n", "ok.conf");
    REQUIRE(unset.ok());
    CHECK(engine::acl::load(*unset).ok());
    auto dkim = engine::config::read_string(
        "acl_smtp_dkim = check_dkim\nbegin acl\ncheck_dkim:\n  accept\n", "dkim.conf");
    REQUIRE(dkim.ok());
    auto d = engine::acl::load(*dkim);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message.rfind("acl_smtp_dkim is set, but facteur does not verify DKIM", 0) ==
          0);
  }
  TEST_CASE("the item table") {
    auto names = engine::acl::item_names();
    CHECK(names == std::vector<std::string_view>{"acl",         "add_header",    "authenticated",
                                                 "condition",   "continue",      "control",
                                                 "delay",       "dnslists",      "domains",
                                                 "encrypted",   "endpass",       "hosts",
                                                 "local_parts", "log_message",   "logwrite",
                                                 "message",     "ratelimit",     "recipients",
                                                 "regex",       "remove_header", "sender_domains",
                                                 "senders",     "set",           "verify"});
  }
}
