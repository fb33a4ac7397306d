#include "lang/regex.h"

#include <doctest/doctest.h>

#include "lang/context.h"

TEST_SUITE("lang.regex") {
  TEST_CASE("compile errors use Exim's texts") {
    std::shared_ptr<const lang::Regex> re;
    lang::Status st = lang::Regex::compile("(", re);
    CHECK(st.is_error());
    CHECK(st.message() ==
          "regular expression error in \"(\": missing closing parenthesis at offset 1");
    CHECK(!re);
    st = lang::Regex::compile("^(", re, {true, true});
    CHECK(st.message() ==
          "regular expression error: missing closing parenthesis at offset 2 while compiling ^(");
  }
  TEST_CASE("search and captures") {
    std::shared_ptr<const lang::Regex> re;
    REQUIRE(lang::Regex::compile("(a)(x)?(b)", re).is_ok());
    std::vector<std::string> caps;
    REQUIRE(re->search("zzab", 0, caps));
    CHECK(caps == std::vector<std::string>{"ab", "a", "", "b"});
    CHECK(!re->search("zzab", 3, caps));
    REQUIRE(lang::Regex::compile("(a)(x)?", re).is_ok());
    REQUIRE(re->search("a", 0, caps));
    CHECK(caps == std::vector<std::string>{"a", "a"});  // up to the last group that took part
    std::string bin("a\0b", 3);
    REQUIRE(lang::Regex::compile("a.b", re).is_ok());
    CHECK(re->search(bin, 0, caps));
  }
  TEST_CASE("caseless option") {
    std::shared_ptr<const lang::Regex> re;
    std::vector<std::string> caps;
    REQUIRE(lang::Regex::compile("^ab", re, {true, false}).is_ok());
    CHECK(re->search("ABc", 0, caps));
    REQUIRE(lang::Regex::compile("^(?-i)ab", re, {true, false}).is_ok());
    CHECK(!re->search("ABc", 0, caps));
    REQUIRE(lang::Regex::compile("^ab", re).is_ok());
    CHECK(!re->search("ABc", 0, caps));
  }
  TEST_CASE("match sets ctx.captures only on a match") {
    std::shared_ptr<const lang::Regex> re;
    REQUIRE(lang::Regex::compile("b(c)", re).is_ok());
    lang::EvalContext ctx;
    ctx.captures = {"old"};
    CHECK(!re->match(ctx, "xyz"));
    CHECK(ctx.captures == std::vector<std::string>{"old"});
    CHECK(re->match(ctx, "abcd"));
    CHECK(ctx.captures == std::vector<std::string>{"bc", "c"});
  }
  TEST_CASE("cache returns the same compiled pattern, per options") {
    std::shared_ptr<const lang::Regex> a, b, c;
    REQUIRE(lang::Regex::cached("^x+$", a).is_ok());
    REQUIRE(lang::Regex::cached("^x+$", b).is_ok());
    CHECK(a.get() == b.get());
    REQUIRE(lang::Regex::cached("^x+$", c, {true, false}).is_ok());
    CHECK(a.get() != c.get());
    std::vector<std::string> caps;
    CHECK(c->search("XX", 0, caps));
    CHECK(lang::regex_cached("[", a).is_error());
  }
  TEST_CASE("the cache stays bounded and keeps working") {
    std::shared_ptr<const lang::Regex> re;
    for (int i = 0; i < 1000; ++i) {
      REQUIRE(lang::Regex::cached("^a" + std::to_string(i) + "$", re).is_ok());
      std::vector<std::string> caps;
      CHECK(re->search("a" + std::to_string(i), 0, caps));
    }
  }
}
