// Tests for routers/redirect_list: the non-filter redirection list (spec 22.4-22.6, 22.9),
// with Exim's error texts.
#include "routers/redirect_list.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>

using routers::RedirectList;
using routers::RedirectListOptions;
using Result = RedirectList::Result;

namespace {

RedirectListOptions options() {
  RedirectListOptions o;
  o.allow_fail = o.allow_defer = true;
  o.incoming_domain = "in.example";
  o.qualify_domain = "q.example";
  return o;
}

// The items as "kind:text" joined by spaces, then " => result[: message]".
std::string run(std::string_view data, const RedirectListOptions& o = options()) {
  RedirectList l = routers::parse_redirect_list(data, o);
  static const char* kKinds[] = {"mail", "file", "dir", "pipe", "reply"};
  static const char* kResults[] = {"delivered", "notdelivered", "blackhole",
                                   "defer",     "fail",         "error"};
  std::string s;
  for (const auto& i : l.items)
    s += std::string(kKinds[static_cast<int>(i.kind)]) + ":" + i.text + " ";
  s += std::string("=> ") + kResults[static_cast<int>(l.result)];
  if (!l.message.empty()) s += ": " + l.message;
  return s;
}

}  // namespace

TEST_SUITE("routers.redirect_list") {
  TEST_CASE("addresses, qualification, quoting, comments") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"alice, bob@x.example", "mail:alice@q.example mail:bob@x.example => delivered"},
        {"\\alice", "mail:alice@in.example => delivered"},
        {"\"a b\"@x.y, <c@d.e>, Fred <f@g.h> (comment)",
         "mail:\"a b\"@x.y mail:c@d.e mail:f@g.h => delivered"},
        {"# only a comment\n  \n", "=> notdelivered"},
        {"a,\n# comment line\nb", "mail:a@q.example mail:b@q.example => delivered"},
        {"", "=> notdelivered"},
        {"\"alice, bob\"",
         "=> error: missing or malformed local part (expected word or \"<\") in \"alice, bob\""},
        {"alice@", "=> error: domain missing or malformed in \"alice@\""},
    };
    for (const auto& c : cases) CHECK_MESSAGE(run(c.in) == c.want, c.in);
  }

  TEST_CASE("pipes, files and directories") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"|/bin/cat -n", "pipe:|/bin/cat -n => delivered"},
        {"\"|/some/command ready,steady,go\"", "pipe:|/some/command ready,steady,go => delivered"},
        {"/var/mail/x, /var/mail/dir/", "file:/var/mail/x dir:/var/mail/dir/ => delivered"},
        {"/s=molari/o=babylon/@x400gate.way",
         "mail:/s=molari/o=babylon/@x400gate.way => delivered"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(run(c.in) == c.want, c.in);
  }

  TEST_CASE("special items") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"alice, :blackhole:, bob", "mail:alice@q.example => blackhole"},
        {"alice, :unknown:, bob", "mail:alice@q.example mail:bob@q.example => delivered"},
        {":unknown:", "=> notdelivered"},
        {"alice, :defer: later please, bob", "mail:alice@q.example => defer: later please, bob"},
        {"alice, :fail: 550 5.1.1 gone\nbob", "mail:alice@q.example => fail: 550 5.1.1 gone"},
        {":fail:", "=> fail"},
        {":include:relative", "=> error: included file \"relative\" is not an absolute path"},
        {":include:/nonexistent/file",
         "=> error: failed to open included file /nonexistent/file: No such file or directory"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(run(c.in) == c.want, c.in);
    RedirectListOptions o = options();
    o.allow_fail = false;
    o.forbid_blackhole = true;
    CHECK(run(":fail: x, y", o) == "=> error: \":fail: x\" is not permitted");
    CHECK(run("a, :blackhole:", o) ==
          "mail:a@q.example => error: \":blackhole:\" is not permitted");
  }

  TEST_CASE(":include: files, include_directory, nesting") {
    std::string dir = "/tmp/facteur-redirect-list-test-" + std::to_string(::getpid());
    std::remove((dir + "/list").c_str());
    (void)std::system(("mkdir -p " + dir).c_str());
    std::ofstream(dir + "/list") << "bob\ncarol@partner.example, :include:" << dir << "/list\n";
    RedirectListOptions o = options();
    RedirectList l = routers::parse_redirect_list("alice, :include:" + dir + "/list", o);
    CHECK(l.result == Result::Error);  // includes itself
    CHECK(l.message.find("too many nested :include: files") == 0);
    std::ofstream(dir + "/list") << "bob\ncarol@partner.example\n";
    CHECK(run("alice, :include:" + dir + "/list, dave") ==
          "mail:alice@q.example mail:bob@q.example mail:carol@partner.example mail:dave@q.example "
          "=> delivered");
    o.include_directory = "/elsewhere";
    CHECK(run(":include:" + dir + "/list", o) ==
          "=> error: included file " + dir + "/list is not in directory /elsewhere");
    o.include_directory.clear();
    o.forbid_include = true;
    CHECK(run(":include:" + dir + "/list", o) ==
          "=> error: \":include:" + dir + "/list\" is not permitted");
    (void)std::system(("rm -rf " + dir).c_str());
  }

  TEST_CASE("skip_syntax_errors records and goes on") {
    RedirectListOptions o = options();
    o.skip_syntax_errors = true;
    RedirectList l = routers::parse_redirect_list("good1, bad@, good2", o);
    CHECK(l.result == Result::Delivered);
    CHECK(l.items.size() == 2);
    REQUIRE(l.skipped.size() == 1);
    CHECK(l.skipped[0].message == "domain missing or malformed");
    CHECK(l.skipped[0].item == "bad@");
  }

  TEST_CASE("item ends: commas outside quotes, comments and brackets; newlines") {
    CHECK(routers::redirect_item_end("a, b") == 1);
    CHECK(routers::redirect_item_end("\"a,b\", c") == 5);
    CHECK(routers::redirect_item_end("x (a,b) <c,d>, e") == 13);
    CHECK(routers::redirect_item_end("abc\ndef") == 3);
    CHECK(routers::redirect_item_end("\"unterminated, x") == 16);
  }
}
