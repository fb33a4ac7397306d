#include "lang/util/address.h"

#include <doctest/doctest.h>

#include <string>

namespace {
// "address|domain" or "!" when the text does not parse.
std::string parse(std::string_view text) {
  lang::ParsedAddress a;
  std::string error;
  if (!lang::address_parse(text, a, error)) return "!";
  return a.address + "|" + std::string(a.domain_part());
}
}  // namespace

TEST_SUITE("lang.util.address") {
  TEST_CASE("mailboxes") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"u@d", "u@d|d"},
        {"  user @ dom  ", "user@dom|dom"},
        {"user . name@dom", "user.name@dom|dom"},
        {"a..b@c", "a..b@c|c"},
        {"a@b.", "!"},
        {"a@.b", "!"},
        {"a@b-c_d", "!"},
        {"a@-b", "!"},
        {"a@b-", "a@b-|b-"},
        {"a@b . c", "a@b.c|b.c"},
        {"a@ [ 1.2.3.4 ]", "!"},
        {"a@[IPv6:::1]", "a@[IPv6:::1]|[IPv6:::1]"},
        {"\"a b\"@c", "\"a b\"@c|c"},
        {"a\"b\"@c", "!"},
        {"\"a\" b@c", "!"},
        {"\"unterminated@c", "!"},
        {"(c (nested)) a@b", "a@b|b"},
        {"a@b (unterminated", "a@b|b"},
        {"a(@b", "a|"},
        {"x.y z <a@b>", "a@b|b"},
        {"x,y <a@b>", "!"},
        {"<a@b> (x) y", "!"},
        {"<a@b><c@d>", "!"},
        {"< a (c) @ b >", "a@b|b"},
        {"<@r,a@b>", "!"},
        {"<>", "!"},
        {"", "!"},
        {"\xc3\xbc@b", "\xc3\xbc@b|b"},
        {"a@\xc3\xbc", "!"},
        {"a\\b@c", "a\\b@c|c"},
        {"a:b@c", "!"},            // no groups without allow_group
        {"@r1,@r2:a@b", "a@b|b"},  // bare obsolete route
        {" @x : a@b", "a@b|b"},
        {"@x:a", "!"},  // a routed address needs a domain
        {"<@x:a>", "!"},
        {"@x@:a@b", "!"},
    };
    for (auto& c : cases) CHECK_MESSAGE(parse(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("groups carry over pieces") {
    lang::AddressParseState st;
    st.allow_group = true;
    lang::ParsedAddress a;
    std::string e;
    REQUIRE(lang::address_parse("g: a@b", st, a, e));
    CHECK(a.address == "a@b");
    CHECK(st.in_group);
    CHECK_FALSE(lang::address_parse("h: c@d", st, a, e));  // no group inside a group
    REQUIRE(lang::address_parse(" e@f; ignored", st, a, e));
    CHECK(a.address == "e@f");
    CHECK_FALSE(st.in_group);
    CHECK_FALSE(lang::address_parse("r@s; t@u", st, a, e));  // ';' outside a group
  }

  TEST_CASE("splitting respects quotes, comments and angle brackets") {
    auto v = lang::address_split("\"a,b\"@c, (x,y) d@e, <@r1,@r2:f@g>,");
    REQUIRE(v.size() == 4);
    CHECK(v[0] == "\"a,b\"@c");
    CHECK(v[1] == " (x,y) d@e");
    CHECK(v[2] == " <@r1,@r2:f@g>");
    CHECK(v[3] == "");
  }

  TEST_CASE("a piece starting with a route keeps its commas") {
    auto v = lang::address_split("@x,@y:a@b,c, @z,d");
    REQUIRE(v.size() == 4);
    CHECK(v[0] == "@x,@y:a@b");
    CHECK(v[1] == "c");
    CHECK(v[2] == " @z");  // only right after the comma
    CHECK(v[3] == "d");
  }

  TEST_CASE("hostile input does not crash") {
    std::string s;
    for (int i = 0; i < 5000; ++i) s += "((<\"\\";
    lang::ParsedAddress a;
    std::string e;
    CHECK_FALSE(lang::address_parse(s, a, e));
    CHECK_FALSE(lang::address_parse(std::string("a\0b@c", 5), a, e));
    CHECK(lang::address_split(s).size() == 1);
  }
}
