// Tests for engine/smtp/address: RFC 5321 paths as Exim 4.96 reads them (expected values
// recorded with `exim4 -bh`, see conformance/smtp/protocol.jsonl).
#include <doctest/doctest.h>

#include "engine/smtp/address.h"

using engine::smtp::parse_path;
using engine::smtp::PathOptions;

namespace {

struct Good {
  const char* in;
  const char* address;
};

struct Bad {
  const char* in;
  const char* error;
};

}  // namespace

TEST_SUITE("engine.smtp.address") {
  TEST_CASE("addresses that parse") {
    const Good cases[] = {
        {"<a@client.example>", "a@client.example"},
        {"a@client.example", "a@client.example"},
        {"  <  u@example.org  >  ", "u@example.org"},
        {"<\"john doe\"@Client.Example>", "\"john doe\"@Client.Example"},
        {"<\"a\".\"b\"@x.example>", "\"a\".\"b\"@x.example"},
        {"<a (c) . b@x.example>", "a.b@x.example"},
        {"Joe Bloggs <a@x.example>", "a@x.example"},
        {"\"Joe\" <a@x.example>", "a@x.example"},
        {"<a@x.example (comment)>", "a@x.example"},
        {"<@r1.example,@r2.example:a@x.example>", "a@x.example"},  // route dropped
        {"<a.b.@x>", "a.b.@x"},
        {"<a..b@x.example>", "a..b@x.example"},
        {"<a@x--y.example>", "a@x--y.example"},
        {"<a@9x.example>", "a@9x.example"},
        {"<user%elsewhere@x.example>", "user%elsewhere@x.example"},
        {"<host!u@example.org>", "host!u@example.org"},
        {"<$(id)@x>", "$@x"},  // "(id)" is a comment
        {"<postmaster>", "postmaster"},
        {"<\xc3\xa9@example.org>", "\xc3\xa9@example.org"},
    };
    for (const auto& c : cases) {
      auto r = parse_path(c.in);
      INFO("input: ", std::string(c.in));
      REQUIRE(r.ok());
      CHECK(r->address() == c.address);
    }
  }

  TEST_CASE("the null path only where allowed") {
    PathOptions mail;
    mail.allow_empty = true;
    CHECK(parse_path("<>", mail)->empty);
    CHECK(parse_path("< >", mail)->empty);
    auto r = parse_path("<>");
    REQUIRE(!r.ok());
    CHECK(r.error().message == "missing or malformed local part");
  }

  TEST_CASE("Exim's reasons for bad paths") {
    const Bad cases[] = {
        {"<a@client.example", "'>' missing at end of address"},
        {"a@client.example>", "malformed address: > may not follow a@client.example"},
        {"<a@>", "domain missing or malformed"},
        {"<a@@client.example>", "domain missing or malformed"},
        {"<a@client..example>", "domain missing or malformed"},
        {"<user@example.org.>", "domain missing or malformed"},
        {"<u@-a.example.org>", "domain missing or malformed"},
        {"<a@my_domain.example>", "malformed address: _domain.example> may not follow <a@my"},
        {"<a@client.example> FOO=bar",
         "malformed address: FOO=bar may not follow <a@client.example> "},
        {"<user@[192.0.2.1]>", "domain literals not allowed"},
        {"<u@[1.2.3.4>", "domain literals not allowed"},
        {"<user@elsewhere.example@example.org>",
         "malformed address: @example.org> may not follow <user@elsewhere.example"},
        {"<\"unterminated@example.org>", "unmatched doublequote in local part"},
        {"<a,b@example.org>", "\"@\" or \".\" expected after \"a\""},
        {"<a", "\"@\" or \".\" expected after \"a\""},
        {"<@example.org>", "no local part"},
        {"<:u@example.org>", "missing or malformed local part"},
        {"<@a.example:>", "missing or malformed local part"},
        {"<@r1.example,r2.example:a@x.example>", "colon expected after route list"},
        {"<;sleep 66;>", "missing or malformed local part"},
        {"<<a@x.example>>", "missing or malformed local part"},
        {"<a@x.example>>", "malformed address: > may not follow <a@x.example>"},
        {"a>", "missing or malformed local part (expected word or \"<\")"},
        {"", "empty address"},
        {"<u@ex\xc3\xa9.org>", "malformed address: \xc3\xa9.org> may not follow <u@ex"},
    };
    for (const auto& c : cases) {
      auto r = parse_path(c.in);
      INFO("input: ", std::string(c.in));
      REQUIRE(!r.ok());
      CHECK(r.error().message == c.error);
    }
  }

  TEST_CASE("domain literals when allowed") {
    PathOptions o;
    o.allow_domain_literals = true;
    CHECK(parse_path("<u@[192.0.2.1]>", o)->domain == "[192.0.2.1]");
    CHECK(!parse_path("<u@[1.2.3.4>", o).ok());
  }

  TEST_CASE("the rest of a long malformed address is cut at 32 characters") {
    std::string in = "<a@b>" + std::string(100, 'x');
    auto r = parse_path(in);
    REQUIRE(!r.ok());
    CHECK(r.error().message ==
          "malformed address: " + std::string(32, 'x') + " may not follow <a@b>");
  }

  TEST_CASE("unquoting and the percent hack") {
    CHECK(engine::smtp::unquote_local_part("\"john doe\"") == "john doe");
    CHECK(engine::smtp::unquote_local_part("\"a\\\"b\"") == "a\"b");
    CHECK(engine::smtp::local_part_is_atom("a.b"));
    CHECK(!engine::smtp::local_part_is_atom("a b"));
    std::string lp = "u%v%example.com", d = "example.com";
    auto hack = [](const std::string& x) { return x == "example.com"; };
    CHECK(engine::smtp::percent_hack(lp, d, hack));
    CHECK(lp == "u");
    CHECK(d == "v");
    lp = "u%other.example";
    d = "example.org";
    CHECK(!engine::smtp::percent_hack(lp, d, hack));
  }

  TEST_CASE("binary input never breaks the parser") {
    std::string junk;
    for (int i = 0; i < 256; ++i) junk += static_cast<char>(i);
    for (size_t n = 0; n < junk.size(); n += 7) (void)parse_path(junk.substr(n));
    (void)parse_path(std::string(100000, '('));
    (void)parse_path("<" + std::string(100000, '"'));
    (void)parse_path("<@" + std::string(50000, '.') + ">");
  }
}
