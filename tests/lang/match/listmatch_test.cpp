#include "lang/match/listmatch.h"

#include <doctest/doctest.h>

#include <string>

#include "lang/match/domainlist.h"
#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"
#include "tests/lang/match/list_helper.h"

namespace {

// Outcome as a letter: M(atch), N(o match), D(efer).
char run(std::string_view list, std::string_view domain) {
  testlang::be::Fixture f;
  return testlang::describe(lang::match_domainlist(f.ctx, list, domain))[0];
}

}  // namespace

TEST_SUITE("lang.match.listmatch") {
  TEST_CASE("negation and the last item") {
    struct {
      const char* list;
      const char* domain;
      char want;
    } cases[] = {
        {"!a.b.c : *.b.c", "a.b.c", 'N'},
        {"!a.b.c : *.b.c", "x.b.c", 'M'},
        {"!a.b.c : *.b.c", "x.y", 'N'},
        {"!a.b.c", "x.y", 'M'},
        {"! a.b.c", "a.b.c", 'N'},
        {"!!zz", "zz", 'M'},  // negated "!zz": no match, last item negative
        {"!", "zz", 'M'},
        {"!", "", 'N'},
        {"", "", 'N'},
        {":", "", 'M'},
        {"! +local_domains", "zz", 'M'},
        {"!+local_domains", "example.com", 'N'},
        {"+caseful:zz", "zz", 'D'},
        {"!  !>", "a.b", 'M'},
        {"!!zz", "!zz", 'N'},  // only address and local-part lists know +caseful
    };
    for (auto& c : cases) {
      CHECK_MESSAGE(run(c.list, c.domain) == c.want, "list: ", c.list, " domain: ", c.domain);
    }
  }

  TEST_CASE("files of items") {
    testfiles::TempDir d;
    const std::string f = d.write("f", "a.example # comment\n\n!b.example\n*.c.example\n");
    const std::string neg = d.write("neg", "!b.example\n");
    CHECK(run(f, "a.example") == 'M');
    CHECK(run(f, "b.example") == 'N');
    CHECK(run(f, "zz") == 'N');
    CHECK(run("!" + f, "b.example") == 'M');
    CHECK(run(f, "x.c.example") == 'M');
    CHECK(run(neg, "zz") == 'M');  // the file's last line is negative
    CHECK(run("!" + neg, "zz") == 'N');
    CHECK(run("/nonexistent/file", "zz") == 'D');
  }

  TEST_CASE("pattern items: value, captures, errors") {
    using K = lang::Pattern::Kind;
    lang::EvalContext ctx;
    lang::ListMatchResult res;
    CHECK(lang::list_match_pattern(ctx, K::Regex, "^x(.*)", "XAB", {true, true}, res) ==
          lang::ListMatch::Match);
    CHECK(res.value == "^x(.*)");
    CHECK(ctx.captures == std::vector<std::string>{"XAB", "AB"});
    CHECK(lang::list_match_pattern(ctx, K::Regex, "^x", "XAB", {false, true}, res) ==
          lang::ListMatch::NoMatch);
    CHECK(ctx.captures == std::vector<std::string>{"XAB", "AB"});  // unchanged
    CHECK(lang::list_match_pattern(ctx, K::Regex, "^[", "x", {true, true}, res) ==
          lang::ListMatch::Defer);
    CHECK(res.error.find("regular expression error: ") == 0);
    CHECK(lang::list_match_pattern(ctx, K::Suffix, "*key.ex", "donkey.ex", {true, true}, res) ==
          lang::ListMatch::Match);
    CHECK(ctx.captures == std::vector<std::string>{"donkey.ex", "don"});
    CHECK(lang::list_match_pattern(ctx, K::Suffix, "*B", "ab", {false, true}, res) ==
          lang::ListMatch::NoMatch);
    CHECK(lang::list_match_pattern(ctx, K::Lookup, "nosuch;x", "a", {true, true}, res) ==
          lang::ListMatch::Defer);
    CHECK(res.error == "unknown lookup type \"nosuch\"");
  }

  TEST_CASE("negation and file lines") {
    std::string_view item = "!  x";
    CHECK(lang::list_strip_negation(item));
    CHECK(item == "x");
    item = "x";
    CHECK_FALSE(lang::list_strip_negation(item));
    CHECK(lang::list_file_line("  a#b c ", lang::ListKind::Domain) == "a");
    CHECK(lang::list_file_line("a#b c #d", lang::ListKind::Address) == "a#b c");
    CHECK(lang::list_file_line("#x", lang::ListKind::LocalPart) == "");
  }
}
