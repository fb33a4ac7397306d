#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::Case;
using testlang::ex;

// Expected values from the reference exim4 (4.96) with headers_charset = UTF-8.
TEST_SUITE("lang.operators.rfc2047") {
  TEST_CASE("encoding") {
    const Case cases[] = {
        {"${rfc2047:hello world}", "hello world"},
        {"${rfc2047:caf\\xc3\\xa9 au lait}", "=?UTF-8?Q?caf=C3=A9_au_lait?="},
        {"${rfc2047:a_b}", "=?UTF-8?Q?a=5Fb?="},
        {"${rfc2047:a b\\tc}", "=?UTF-8?Q?a_b=09c?="},
        {"${rfc2047:}", ""},
        // A new word after 67 characters, never inside an encoded byte pair.
        {"${rfc2047:\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9"
         "\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9}",
         "=?UTF-8?Q?=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9?= "
         "=?UTF-8?Q?=C3=A9?="},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("decoding") {
    const Case cases[] = {
        {"${rfc2047d:=?iso-8859-1?Q?caf=E9?=}", "caf\xc3\xa9"},
        {"${rfc2047d:=?UTF-8?B?aGVsbG8gd29ybGQ=?=}", "hello world"},
        {"${rfc2047d:=?utf-8?Q?a_b?= =?utf-8?Q?c?=}", "a bc"},
        {"${rfc2047d:=?utf-8?Q?a?=  x =?utf-8?Q?b?=}", "a  x b"},
        {"${rfc2047d:x=?utf-8?Q?a?=y}", "xay"},
        {"${rfc2047d:=?utf-8?Q?a?b?=}", "a?b"},
        {"${rfc2047d:=?utf-8?Q?a=00b?=}", "a?b"},
        {"${rfc2047d:=?utf-8?Q?a=zzb?=}", "=?utf-8?Q?a=zzb?="},
        {"${rfc2047d:=?utf-8?B?YWJ?=}", "=?utf-8?B?YWJ?="},
        {"${rfc2047d:=?utf-8?Q?a b?=}", "=?utf-8?Q?a b?="},
        {"${rfc2047d:=?x=?utf-8?Q?a?=}", "=?xa"},
        {"${rfc2047d:=?us-ascii?Q?a=80b?=}",
         "a\x80"
         "b"},
        {"${rfc2047d:=?nosuch?Q?abc?=}",
         "Failed: iconv_open(\"UTF-8\", \"nosuch\") failed: Invalid argument (maybe unsupported "
         "conversion)"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("encoded words are at most 75 characters") {
    std::string a63(63, 'a'), a64(64, 'a');
    CHECK(ex("${rfc2047d:=?utf-8?Q?" + a63 + "?=}") == a63);
    CHECK(ex("${rfc2047d:=?utf-8?Q?" + a64 + "?=}") == "=?utf-8?Q?" + a64 + "?=");
  }
}

TEST_SUITE("lang.operators.rfc2047") {
  TEST_CASE("huge input stays linear") {
    lang::EvalContext ctx;
    ctx.value = std::string(400000, '?');
    for (size_t i = 0; i < ctx.value.size(); i += 4) ctx.value.replace(i, 2, "=?");
    ctx.value_set = true;
    std::string out;
    CHECK(lang::expand_string("${rfc2047d:$value}", ctx, out).is_ok());
    CHECK(out == ctx.value);
    CHECK(lang::expand_string("${rfc2047:$value}", ctx, out).is_ok());
  }
}
