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
      CHECK_MESSAGE(p.match(ctx, c.subject, err) == c.want, c.pattern, " vs ", c.subject);
    }
  }

  TEST_CASE("lookup data, captures, compile errors") {
    testfiles::TempDir d;
    std::string f = d.write("list", "in.list: data\n");
    lang::EvalContext ctx;
    Pattern p;
    REQUIRE(Pattern::compile("lsearch;" + f, {}, p).is_ok());
    Pattern::Found found;
    CHECK(p.match(ctx, "in.list", found) == Pattern::Result::Match);
    CHECK(found.value == "data");
    CHECK(found.captures == std::vector<std::string>{"in.list"});
    CHECK(ctx.captures.empty());  // given back, not written to the context
    CHECK(p.match(ctx, "", found) == Pattern::Result::NoMatch);  // an empty key is never found
    REQUIRE(Pattern::compile("^x(a)(b)?c", {}, p).is_ok());
    CHECK(p.match(ctx, "xacd", found) == Pattern::Result::Match);
    CHECK(found.captures == std::vector<std::string>{"xacd", "a"});  // $0 is the subject
    REQUIRE(Pattern::compile("*.b", {}, p).is_ok());
    CHECK(p.match(ctx, "a.B", found) == Pattern::Result::Match);
    CHECK(found.captures == std::vector<std::string>{"a.B", "a"});
    CHECK(p.text() == "*.b");
    REQUIRE(Pattern::compile_as(Pattern::Kind::Literal, "^x;y", {}, p).is_ok());
    CHECK(p.match(ctx, "^X;Y", found) == Pattern::Result::Match);
    CHECK(ctx.captures.empty());
    CHECK(Pattern::compile("^(", {}, p).message() ==
          "regular expression error: missing closing parenthesis at offset 2 while compiling ^(");
    CHECK(Pattern::compile("nosuch;x", {}, p).message() == "unknown lookup type \"nosuch\"");
  }
}
