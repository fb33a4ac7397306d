#include <doctest/doctest.h>

#include "lang/context.h"
#include "lang/match/pattern.h"
#include "tests/lang/lookups/test_files.h"

using lang::Pattern;

TEST_SUITE("lang.match.pattern") {
  TEST_CASE("forms") {
    testfiles::TempDir d;
    std::string f = d.write("list", "in.list: data\n");
    struct {
      std::string pattern, subject;
      bool caseless;
      Pattern::Result want;
    } cases[] = {
        {"a.example", "A.EXAMPLE", true, Pattern::Result::Match},
        {"a.example", "A.EXAMPLE", false, Pattern::Result::NoMatch},
        {"*.example", "x.example", true, Pattern::Result::Match},
        {"*.example", "example", true, Pattern::Result::NoMatch},
        {"*example", "example", true, Pattern::Result::Match},
        {"*", "anything", true, Pattern::Result::Match},
        {"^\\d+$", "123", true, Pattern::Result::Match},
        {"^ab", "ABc", true, Pattern::Result::Match},
        {"^(?-i)ab", "ABc", true, Pattern::Result::NoMatch},
        {"lsearch;" + f, "in.list", true, Pattern::Result::Match},
        {"lsearch;" + f, "out.list", true, Pattern::Result::NoMatch},
        {"lsearch;" + d.path() + "/none", "x", true, Pattern::Result::Defer},
    };
    for (auto& c : cases) {
      lang::EvalContext ctx;
      Pattern p;
      REQUIRE(Pattern::compile(c.pattern, {c.caseless, true}, p).is_ok());
      std::string err;
      CHECK_MESSAGE(p.match(ctx, c.subject, nullptr, nullptr, err) == c.want, c.pattern, " vs ",
                    c.subject);
    }
  }

  TEST_CASE("lookup data, captures, compile errors") {
    testfiles::TempDir d;
    std::string f = d.write("list", "in.list: data\n");
    lang::EvalContext ctx;
    Pattern p;
    REQUIRE(Pattern::compile("lsearch;" + f, {}, p).is_ok());
    std::string value, err;
    CHECK(p.match(ctx, "in.list", &value, nullptr, err) == Pattern::Result::Match);
    CHECK(value == "data");
    REQUIRE(Pattern::compile("^x(a)(b)?c", {}, p).is_ok());
    std::vector<std::string> caps;
    CHECK(p.match(ctx, "xac", nullptr, &caps, err) == Pattern::Result::Match);
    CHECK(caps == std::vector<std::string>{"xac", "a"});
    CHECK(Pattern::compile("^(", {}, p).message().find("regular expression error") == 0);
    CHECK(Pattern::compile("nosuch;x", {}, p).message() == "unknown lookup type \"nosuch\"");
  }
}
