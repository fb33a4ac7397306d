#include <doctest/doctest.h>

#include "lang/regex.h"

TEST_SUITE("lang.regex") {
  TEST_CASE("compile errors use Exim's text") {
    std::shared_ptr<const lang::Regex> re;
    lang::Status st = lang::Regex::compile("(", re);
    CHECK(st.is_error());
    CHECK(st.message() ==
          "regular expression error in \"(\": missing closing parenthesis at offset 1");
    CHECK(!re);
  }
  TEST_CASE("search and captures") {
    std::shared_ptr<const lang::Regex> re;
    REQUIRE(lang::Regex::compile("(a)(x)?(b)", re).is_ok());
    std::vector<std::string> caps;
    REQUIRE(re->search("zzab", 0, caps));
    CHECK(caps == std::vector<std::string>{"ab", "a", "", "b"});
    CHECK(!re->search("zzab", 3, caps));
    std::string bin("a\0b", 3);
    REQUIRE(lang::Regex::compile("a.b", re).is_ok());
    CHECK(re->search(bin, 0, caps));
  }
  TEST_CASE("cache returns the same compiled pattern") {
    std::shared_ptr<const lang::Regex> a, b;
    REQUIRE(lang::regex_cached("^x+$", a).is_ok());
    REQUIRE(lang::regex_cached("^x+$", b).is_ok());
    CHECK(a.get() == b.get());
    CHECK(lang::regex_cached("[", a).is_error());
  }
}
