// engine/rewrite: rule parsing, the numeric variables of patterns (spec 31.5), the flags
// (places, *, q, R, Q, w), and header lines keeping their phrases and comments.
#include "engine/rewrite.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <fstream>

using engine::RewriteRule;

namespace {

std::vector<RewriteRule> rules(std::vector<std::string> text, bool transport = false) {
  auto r = engine::rewrite_parse(text, transport);
  if (!r) FAIL("parse: ", r.error().message);
  return std::move(*r);
}

std::string rw(const std::vector<RewriteRule>& rs, const std::string& addr,
               unsigned where = engine::kRewriteFrom) {
  lang::EvalContext ctx;
  return engine::rewrite_address(rs, addr, where, ctx, "qualify.example");
}

}  // namespace

TEST_SUITE("engine.rewrite") {
  TEST_CASE("the spec's examples: wildcards set $1 and $2") {
    auto r = rules({"*@*.hitch.fict.example  $1@hitch.fict.example"});
    CHECK(rw(r, "fp42@restaurant.hitch.fict.example") == "fp42@hitch.fict.example");
    CHECK(rw(r, "fp42@other.example") == "fp42@other.example");
    auto q = rules({"*queen@*.fict.example  ${1}king@$2.example"});
    CHECK(rw(q, "hearts-queen@wonderland.fict.example") == "hearts-king@wonderland.example");
    auto d =
        rules({"*.fict.example  $local_part@$1.example"});  // no local part: $1 is the domain's
    CHECK(rw(d, "a@wonderland.fict.example") == "a@wonderland.example");
    auto re = rules({"\\N^([^!]+)!(.*)@your.domain.example$\\N  $2@$1"});
    CHECK(rw(re, "host.name!user@your.domain.example") == "user@host.name");
  }

  TEST_CASE("places, '*', q, R, Q, forced failure") {
    auto r = rules({"root@*.example  *", "*@*.example  $1@example f"});
    CHECK(rw(r, "root@a.example") == "root@a.example");  // '*': never rewritten
    CHECK(rw(r, "bob@a.example") == "bob@example");
    CHECK(rw(r, "bob@a.example", engine::kRewriteTo) == "bob@a.example");
    CHECK(rw(r, "bob@a.example", engine::kRewriteEnvFrom) == "bob@a.example");
    auto chain = rules({"*@a.example  $1@b.example", "*@b.example  $1@c.example"});
    CHECK(rw(chain, "x@a.example") == "x@c.example");  // later rules see earlier results
    auto quit = rules({"*@a.example  $1@b.example  q", "*@b.example  $1@c.example"});
    CHECK(rw(quit, "x@a.example") == "x@b.example");
    auto repeat = rules({"\\N^a(.+)@x.example$\\N  $1@x.example  R"});
    CHECK(rw(repeat, "aaab@x.example") == "b@x.example");
    auto unqualified = rules({"*@old.example  $1  Q"});
    CHECK(rw(unqualified, "u@old.example") == "u@qualify.example");
    auto not_allowed = rules({"*@old.example  $1"});
    CHECK(rw(not_allowed, "u@old.example") == "u@old.example");  // must be qualified: abandoned
    auto failing = rules({"*@a.example  \"${if !eq{$1}{keep}{$1@b.example}fail}\"",
                          "keep@a.example  kept@c.example"});
    CHECK(rw(failing, "keep@a.example") == "kept@c.example");
    CHECK(rw(failing, "other@a.example") == "other@b.example");
  }

  TEST_CASE("a lookup in the domain part of the pattern") {
    char tmpl[] = "/tmp/facteur-rewrite-XXXXXX";
    int fd = mkstemp(tmpl);
    REQUIRE(fd >= 0);
    close(fd);
    std::ofstream(tmpl) << "mapped.example: yes\n";
    auto r = rules({std::string("*@lsearch;") + tmpl + "  $1@canonical.example"});
    CHECK(rw(r, "u@mapped.example") == "u@canonical.example");
    CHECK(rw(r, "u@unmapped.example") == "u@unmapped.example");
    unlink(tmpl);
  }

  TEST_CASE("header lines keep phrases and comments; w replaces the whole item") {
    auto r = rules({"*@*.hitch.fict.example  $1@hitch.fict.example"}, true);
    lang::EvalContext ctx;
    auto hdr = [&](const std::vector<RewriteRule>& rs, const std::string& line) {
      return engine::rewrite_header(rs, line, ctx, "q.example");
    };
    CHECK(hdr(r, "From: Ford Prefect <fp42@restaurant.hitch.fict.example>\n") ==
          "From: Ford Prefect <fp42@hitch.fict.example>\n");
    CHECK(
        hdr(r, "To: a@r.hitch.fict.example, Bob <b@x.example>,\n\t(c) c@r.hitch.fict.example\n") ==
        "To: a@hitch.fict.example, Bob <b@x.example>,\n\t(c) c@hitch.fict.example\n");
    CHECK(hdr(r, "Subject: fp42@restaurant.hitch.fict.example\n") ==
          "Subject: fp42@restaurant.hitch.fict.example\n");
    CHECK(hdr(r, "Resent-Cc: x@y.hitch.fict.example\n") == "Resent-Cc: x@hitch.fict.example\n");
    auto whole = rules({"fp42@*  \"Ford Prefect <prefectf@hitch.fict.example>\"  w"}, true);
    CHECK(hdr(whole, "From: fp42@old.example (old)\n") ==
          "From: Ford Prefect <prefectf@hitch.fict.example>\n");
    auto only_from = rules({"*@*  $1@new.example  f"}, true);
    CHECK(hdr(only_from, "To: a@old.example\n") == "To: a@old.example\n");
  }

  TEST_CASE("parse errors") {
    CHECK(engine::rewrite_parse({"*@x"}, false).error().message ==
          "missing rewrite replacement string in \"*@x\"");
    CHECK(engine::rewrite_parse({"*@x  y@z  fZ"}, false).error().message ==
          "unknown rewrite flag character 'Z'");
    CHECK(engine::rewrite_parse({"*@x  y@z  F"}, true).error().message ==
          "rewrite flag 'F' is not allowed in headers_rewrite");
    auto list = engine::rewrite_parse_list("a@b c@d f : x@y w@z", true);
    REQUIRE(list.ok());
    CHECK(list->size() == 2);
    CHECK((*list)[0].flags == engine::kRewriteFrom);
    CHECK((*list)[1].flags == engine::kRewriteHeaders);
  }
}
