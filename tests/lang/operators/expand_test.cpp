#include <doctest/doctest.h>

#include "lang/expand.h"

namespace {
lang::Status run(std::string_view s, std::string& out) {
  lang::EvalContext ctx;
  return lang::expand_string(s, ctx, out);
}
}  // namespace

TEST_SUITE("lang.operators.expand") {
  TEST_CASE("the argument is expanded again") {
    std::string out;
    CHECK(run("${expand:\\${lc:ABC\\}}", out).is_ok());
    CHECK(out == "abc");
    CHECK(run("${expand:\\${if eq\\{1\\}\\{1\\}\\{yes\\}\\{no\\}\\}}", out).is_ok());
    CHECK(out == "yes");
  }
  TEST_CASE("inner failures keep their kind and get Exim's prefix") {
    std::string out;
    lang::Status st = run("${expand:\\N${lc:abc\\N}", out);
    CHECK(st.is_error());
    CHECK(st.message() == "internal expansion of \"${lc:abc\" failed: missing } at end of string");
    st = run("${expand:\\N${if eq{1}{2}{a}fail}\\N}", out);
    CHECK(st.is_fail());
    CHECK(st.message() ==
          "internal expansion of \"${if eq{1}{2}{a}fail}\" failed: \"if\" failed and \"fail\" "
          "requested");
  }
  TEST_CASE("a branch not taken is not expanded") {
    std::string out;
    CHECK(run("${if eq{1}{2}{\\$primary_hostname ${expand:\\$invalid}}{NO}}", out).is_ok());
    CHECK(out == "NO");
  }
  TEST_CASE("nested expansions") {
    std::string s = "x";
    for (int i = 0; i < 12; ++i) s = "${expand:" + s + "}";
    std::string out;
    CHECK(run(s, out).is_ok());
    CHECK(out == "x");
  }
}
