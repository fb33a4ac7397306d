#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::Case;
using testlang::ex;

// Expected values from the reference exim4 (4.96, libidn2).
TEST_SUITE("lang.operators.idna") {
  TEST_CASE("domains") {
    const Case cases[] = {
        {"${utf8_domain_to_alabel:stra\\xc3\\x9fe.de}", "xn--strae-oqa.de"},
        {"${utf8_domain_to_alabel:EXAMPLE.com}", "EXAMPLE.com"},
        {"${utf8_domain_to_alabel:B\\xc3\\x9cCHER.de}", "xn--bcher-kva.de"},
        {"${utf8_domain_to_alabel:\\xe4\\xb8\\xad\\xe6\\x96\\x87.com}", "xn--fiq228c.com"},
        {"${utf8_domain_to_alabel:\\xff.de}",
         "Failed: error converting utf8 (\\377.de) to alabel: string encoding error"},
        {"${utf8_domain_to_alabel:\\xe2\\x82\\xac.de}",
         "Failed: error converting utf8 (\\342\\202\\254.de) to alabel: string contains a "
         "disallowed character"},
        {"${utf8_domain_to_alabel:\\xc3\\xa9-.com}",
         "Failed: error converting utf8 (\\303\\251-.com) to alabel: string start/ends with "
         "forbidden hyphen"},
        {"${utf8_domain_from_alabel:xn--strae-oqa.de}",
         "stra\xc3\x9f"
         "e.de"},
        {"${utf8_domain_from_alabel:xn--9ca.XN--9ca}", "\xc3\xa9.XN--9ca"},
        {"${utf8_domain_from_alabel:xn--bcher-kva.de.}",
         "b\xc3\xbc"
         "cher.de"},
        {"${utf8_domain_from_alabel:xn--zz.de}",
         "Failed: error converting alabel (xn--zz.de) to utf8: Invalid input"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("local parts") {
    const Case cases[] = {
        {"${utf8_localpart_to_alabel:\\xd9\\x84}", "xn--ghb"},
        {"${utf8_localpart_to_alabel:B\\xc3\\xbcCHER}", "xn--BCHER-kva"},
        {"${utf8_localpart_to_alabel:abc}", "abc"},
        {"${utf8_localpart_to_alabel:\\xff}",
         "Failed: error converting utf8 (\\377) to alabel: l_u2a: bad UTF-8 input"},
        {"${utf8_localpart_from_alabel:xn--ghb}", "\xd9\x84"},
        {"${utf8_localpart_from_alabel:abc}",
         "Failed: error converting alabel (abc) to utf8: bad alabel prefix"},
        {"${utf8_localpart_from_alabel:xn--zz}",
         "Failed: error converting alabel (xn--zz) to utf8: Invalid input"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}

TEST_SUITE("lang.operators.idna") {
  TEST_CASE("huge labels are refused quickly") {
    lang::EvalContext ctx;
    for (int i = 0; i < 100000; ++i) ctx.value += "\xc3\xa9\xe2\x82\xac";
    ctx.value_set = true;
    std::string out;
    CHECK(lang::expand_string("${utf8_localpart_to_alabel:$value}", ctx, out).is_error());
    CHECK(
        lang::expand_string("${utf8_localpart_from_alabel:xn--${lc:$value}}", ctx, out).is_error());
  }
}
