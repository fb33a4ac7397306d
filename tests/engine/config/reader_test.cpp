#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/config/config.h"
#include "engine/config/main_options.h"

using namespace engine::config;

namespace {

Config must_read(std::string_view text, const ReadOptions& opts = {}) {
  auto r = read_string(text, "test.conf", opts);
  if (!r) FAIL("unexpected error: ", format_error(r.error()));
  return std::move(*r);
}

std::string error_of(std::string_view text, const ReadOptions& opts = {}) {
  auto r = read_string(text, "test.conf", opts);
  return r ? "(no error)" : format_error(r.error());
}

std::string main_value(const Config& c, std::string_view name) {
  const Setting* s = c.find_main(name);
  return s ? s->value : "(unset)";
}

// A scratch directory with files, removed at the end.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("facteur-config-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path / "sub");
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

}  // namespace

TEST_SUITE("engine.config.reader") {
  TEST_CASE("main options, booleans, comments, continuation") {
    Config c = must_read(
        "# comment\n"
        "  primary_hostname    =   spaced out   \n"
        "queue_only\n"
        "no_split_spool_directory\n"
        "not_strip_trailing_dot\n"
        "accept_8bitmime = no\n"
        "qualify_domain = a\\\n"
        "     .example\\\n"
        "# a comment inside a continued line\n"
        "     .org\n"
        "trusted_users = uucp:\\\n   mail\n"
        "headers_charset = \"UTF\\x2d8\"\n");
    CHECK(main_value(c, "primary_hostname") == "spaced out");
    CHECK(main_value(c, "queue_only") == "true");
    CHECK(main_value(c, "split_spool_directory") == "false");
    CHECK(main_value(c, "strip_trailing_dot") == "false");
    CHECK(main_value(c, "accept_8bitmime") == "false");
    CHECK(main_value(c, "qualify_domain") == "a.example.org");
    CHECK(main_value(c, "trusted_users") == "uucp:mail");
    CHECK(main_value(c, "headers_charset") == "UTF-8");
    CHECK(main_bool(c, "queue_only"));
    CHECK(!main_bool(c, "accept_8bitmime"));
    CHECK(main_bool(c, "bounce_return_body"));  // default true
    CHECK(c.find_main("queue_only")->loc.line == 3);
  }
  TEST_CASE("typed accessors and defaults") {
    Config c = must_read("auto_thaw = 1h30m\nrecipients_max = 2K\ncheck_spool_space = 2048K\n");
    CHECK(main_time(c, "auto_thaw") == 5400);
    CHECK(main_time(c, "retry_interval_max") == 86400);
    CHECK(main_int(c, "recipients_max") == 2048);
    CHECK(main_int(c, "check_spool_space") == 2048);
    CHECK(main_int(c, "check_log_space") == 10240);
    CHECK(main_string(c, "qualify_domain") == main_string(c, "primary_hostname"));
  }
  TEST_CASE("hide") {
    Config c = must_read("hide primary_hostname = secret\nhide domainlist d = x\n");
    CHECK(c.find_main("primary_hostname")->hidden);
    CHECK(c.find_list("d")->hidden);
  }
  TEST_CASE("macros: definition, substitution, redefinition, -D") {
    Config c = must_read(
        "AB = x\n"
        "AB == AB AB\n"
        "primary_hostname = AB\n"
        "EMPTY =\n"
        "EMPTY\n"
        "HASH = #\n"
        "HASH this line becomes a comment\n");
    CHECK(main_value(c, "primary_hostname") == "x x");
    CHECK(c.find_macro("AB")->value == "x x");
    ReadOptions o;
    o.cmdline_macros.push_back({"AB", "cmd"});
    Config d = must_read("AB = x\nAB == y\nprimary_hostname = AB\n", o);
    CHECK(main_value(d, "primary_hostname") == "cmd");
    Config e = must_read("AB = x\\\n   yz\nprimary_hostname = AB\n");
    CHECK(main_value(e, "primary_hostname") == "xyz");
  }
  TEST_CASE("conditionals") {
    struct {
      const char* text;
      const char* want;
    } cases[] = {
        {"AB = x\n.ifdef xAB\nprimary_hostname = yes\n.else\nprimary_hostname = no\n.endif\n",
         "yes"},
        {".ifdef ZZ\nprimary_hostname = 1\n.elifdef _HAVE_TLS\nprimary_hostname = 2\n.else\n"
         "primary_hostname = 3\n.endif\n",
         "2"},
        {".ifndef ZZ\n.ifdef YY\nprimary_hostname = 1\n.elifndef _HAVE_TLS\nprimary_hostname = "
         "2\n.else junk\nprimary_hostname = 3\n.endif\n.endif\n",
         "3"},
        {".ifdef ZZ\n.ifdef _HAVE_TLS\nprimary_hostname = 1\n.else\nprimary_hostname = 2\n"
         ".endif\n.bogus directive skipped\n.else\nprimary_hostname = 3\n.endif\n",
         "3"},
        {".ifdef\nprimary_hostname = 1\n.endif\n", "(unset)"},
        {".ifndef ZZ\nprimary_hostname = 1\n.elifndef YY\nprimary_hostname = 2\n.endif\n", "1"},
    };
    for (auto& c : cases)
      CHECK_MESSAGE(main_value(must_read(c.text), "primary_hostname") == c.want, c.text);
    CHECK(error_of(".ifdef A\n.ifdef B\n.endif\n") ==
          "test.conf:3: Unexpected end of configuration file: .endif missing");
    CHECK(error_of(".elifdef A\n") == "test.conf:1: .elifdef without matching .ifdef");
  }
  TEST_CASE("include, relative to the including file") {
    TempDir t;
    t.write("sub/inner.conf", "qualify_domain = inner.example\n");
    t.write("sub/part.conf", ".include inner.conf\nFROM_PART = yes\n");
    t.write("tail.conf", "b.c\n");
    std::string main = t.write("main.conf",
                               ".include \"sub/part.conf\"\n"
                               ".include_if_exists /nonexistent/file.conf\n"
                               "primary_hostname = FROM_PART.a\\\n"
                               ".include tail.conf\n");
    auto r = read_file(main);
    REQUIRE_MESSAGE(r, (r ? "" : format_error(r.error())));
    CHECK(main_value(*r, "qualify_domain") == "inner.example");
    CHECK(main_value(*r, "primary_hostname") == "yes.ab.c");
    CHECK(r->find_main("qualify_domain")->loc.file == t.path.string() + "/sub/inner.conf");
    std::string loop = t.write("loop.conf", ".include loop.conf\n");
    auto l = read_file(loop);
    REQUIRE(!l);
    CHECK(l.error().message.find("nested more than") != std::string::npos);
  }
  TEST_CASE("named lists") {
    Config c = must_read(
        "domainlist local_domains = a.example : b.example\n"
        "hostlist relay = <; 127.0.0.1 ; ::1\n"
        "addresslist bad = ^\\N[0-9]+@\\N\n"
        "localpartlist_cache admins = root : postmaster\n");
    REQUIRE(c.lists.size() == 4);
    CHECK(c.find_list("relay")->kind == lang::ListKind::Host);
    CHECK(c.find_list("relay")->value == "<; 127.0.0.1 ; ::1");
    CHECK(c.find_list("admins")->kind == lang::ListKind::LocalPart);
    CHECK(c.find_list("local_domains")->program != nullptr);
    CHECK(error_of("domainlist a-b = x\n") == "test.conf:1: missing '=' after \"a\"");
  }
  TEST_CASE("ACLs, drivers, retry and rewrite") {
    Config c = must_read(
        "begin acl\n"
        "ONE = 1\n"
        "acl_check_rcpt:\n"
        "  accept hosts = :\n"
        "         message = ONE\n"
        "  deny   message = a \\\n"
        "                   b\n"
        "short: accept\n"
        "begin routers\n"
        "r1:\n"
        "  driver = accept\n"
        "  hide domains = x\n"
        "  no_verify\n"
        "  transport = t1\n"
        "begin transports\n"
        "t1:\n"
        "  driver = appendfile\n"
        "  file = /var/mail/$local_part\n"
        "begin authenticators\n"
        "plain:\n"
        "  driver = plaintext\n"
        "  server_condition = ${if eq{$auth2}{x}}\n"
        "begin retry\n"
        "*  *  F,2h,15m; G,16h,1h,1.5\n"
        "begin rewrite\n"
        "*@x.example  $1@y.example  Fq\n");
    REQUIRE(c.acls.size() == 2);
    const AclBlock* a = c.find_acl("acl_check_rcpt");
    REQUIRE(a);
    REQUIRE(a->lines.size() == 3);
    CHECK(a->lines[1].text == "message = 1");
    CHECK(a->lines[2].text == "deny   message = a b");
    CHECK(a->lines[2].loc.line == 6);
    CHECK(c.find_acl("short")->lines.at(0).text == "accept");
    REQUIRE(c.routers.size() == 1);
    const Instance& r = c.routers[0];
    CHECK(r.driver == "accept");
    REQUIRE(r.options.size() == 4);
    CHECK(r.options[1].hidden);
    CHECK(r.options[2].name == "verify");
    CHECK(r.options[2].value == "false");
    CHECK(r.options[0].program == nullptr);  // "driver" is not expanded
    CHECK(r.options[1].program != nullptr);  // "domains" is
    CHECK(c.transports.at(0).driver == "appendfile");
    CHECK(c.authenticators.at(0).options.at(1).program != nullptr);
    CHECK(c.retry.size() == 1);
    CHECK(c.rewrite.at(0).text == "*@x.example  $1@y.example  Fq");
  }
  TEST_CASE("expansion errors carry the column") {
    CHECK(error_of("acl_smtp_rcpt = ${lc:x\n") ==
          "test.conf:1:23: syntax error in expansion of main option \"acl_smtp_rcpt\": missing } "
          "at end of string\n (hint: the \"${\" at line 1 column 17 is never closed)");
    // Not expanded: no check.
    CHECK(error_of("primary_hostname = ${lc:x\n") == "(no error)");
    // Quoted values map through their escapes.
    CHECK(error_of("acl_smtp_rcpt = \"\\t${nosuchop:x}\"\n") ==
          "test.conf:1:20: syntax error in expansion of main option \"acl_smtp_rcpt\": unknown "
          "expansion operator \"nosuchop\"");
  }
  TEST_CASE("misc Exim details") {
    CHECK(error_of("begin routers\nr1: driver = accept\n") ==
          "test.conf:2: extra characters follow driver name r1");
    CHECK(error_of("begin routers\n  driver = accept\n") == "test.conf:2: router name missing");
    CHECK(error_of("queue_only = true x\n") ==
          "test.conf:1: extra characters follow \"true\" for boolean option queue_only");
    CHECK(error_of("no_queue_only = true\n") ==
          "test.conf:1: extra characters follow boolean option no_queue_only");
    CHECK(error_of("begin retry\nbogus\n") == "test.conf:2: missing error type in retry rule");
    CHECK(error_of("begin rewrite\nbogus\n") == "test.conf:2: missing rewrite replacement string");
    CHECK(error_of("_FOO = x\n") == "test.conf:1: option setting expected: _FOO = x");
    CHECK(error_of("begin ROUTERS\nr:\n driver = accept\n") == "(no error)");
    CHECK(error_of("") == "(no error)");
  }
  TEST_CASE("substitute_macros for -be") {
    std::vector<Macro> m = {{"SITE_NAME", "Example Mail"}};
    CHECK(substitute_macros("xSITE_NAME!", m) == "xExample Mail!");
  }
}
