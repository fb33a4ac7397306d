#include <doctest/doctest.h>

#include "lang/expand.h"

namespace {
std::string ex(std::string_view s) {
  lang::EvalContext ctx;
  std::string out;
  lang::Status st = lang::expand_string(s, ctx, out);
  return st.is_ok() ? out : "Failed: " + st.message();
}
struct Case {
  const char* in;
  const char* want;
};
}  // namespace

// Expected values from the reference exim4 (4.96).
TEST_SUITE("lang.operators.quote") {
  TEST_CASE("quote") {
    const Case cases[] = {
        {"${quote:aZ09_.-}", "aZ09_.-"},
        {"${quote:}", "\"\""},
        {"${quote:has space}", "\"has space\""},
        {"${quote:say \"hi\"}", "\"say \\\"hi\\\"\""},
        {"${quote:nl\\nx\\rcr}", "\"nl\\nx\\rcr\""},
        {"${quote:tab\\tx}", "\"tab\tx\""},
        {"${quote:a\\x80b}",
         "\"a\x80"
         "b\""},
        {"${quote_nosuch:x}", "Failed: unknown lookup type \"nosuch\""},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("quote_local_part") {
    const Case cases[] = {
        {"${quote_local_part:first.last}", "first.last"},
        {"${quote_local_part:double..dot}", "double..dot"},
        {"${quote_local_part:a!b#c\\$d%e&f}", "a!b#c$d%e&f"},
        {"${quote_local_part:.leading}", "\".leading\""},
        {"${quote_local_part:trailing.}", "\"trailing.\""},
        {"${quote_local_part:a(b)}", "\"a(b)\""},
        {"${quote_local_part:a\\nb}", "\"a\\nb\""},
        {"${quote_local_part:}", "\"\""},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("rxquote") {
    CHECK(ex("${rxquote:a.b}") == "a\\.b");
    CHECK(ex("${rxquote:aZ09_,-Q}") == "aZ09\\_\\,\\-Q");
    CHECK(ex("${rxquote:\\x80 }") == "\\\x80\\ ");
    CHECK(ex("${rxquote:}").empty());
  }
}
