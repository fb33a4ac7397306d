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
TEST_SUITE("lang.items.listquote") {
  TEST_CASE("listquote") {
    const Case cases[] = {
        {"${listquote{:}{ab:cd}}", "ab::cd"},
        {"${listquote{:}{:a:b:}}", "::a::b::"},
        {"<${listquote{:}{}}>", "< >"},
        {"${listquote{ab}{a:b}}", "aa:b"},
        {"${listquote{}{a:b}}", "a:b"},
        {"${listquote {:} {a:b} }", "a::b"},
        {"${listquote{:}}", "Failed: Not enough arguments for 'listquote' (min is 2)"},
        {"${listquote{:}{a}{b}}", "Failed: Too many arguments for 'listquote' (max is 2)"},
        {"${listquote{a}{b}x}", "Failed: missing '}' after 'listquote'"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
