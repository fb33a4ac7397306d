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

  TEST_CASE("regex helper") {
    std::vector<std::string> caps;
    std::string err;
    CHECK(lang::list_regex("^x(.*)", "XAB", true, &caps, err) == lang::ListMatch::Match);
    CHECK(caps == std::vector<std::string>{"XAB", "AB"});
    CHECK(lang::list_regex("^x", "XAB", false, nullptr, err) == lang::ListMatch::NoMatch);
    CHECK(lang::list_regex("^[", "x", true, nullptr, err) == lang::ListMatch::Defer);
    CHECK(err.find("regular expression error: ") == 0);
  }

  TEST_CASE("star helper") {
    std::vector<std::string> caps;
    CHECK(lang::list_star_match("*key.ex", "donkey.ex", true, &caps));
    CHECK(caps == std::vector<std::string>{"donkey.ex", "don"});
    CHECK(lang::list_star_match("*", "abc", true, nullptr));
    CHECK_FALSE(lang::list_star_match("*abcd", "abc", true, nullptr));
    CHECK_FALSE(lang::list_star_match("*B", "ab", false, nullptr));
  }
}
