#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::Case;
using testlang::ex;

namespace {
std::string err(const char* what, const char* after) {
  return std::string("Failed: error in expression evaluation: ") + what + " (after processing \"" +
         after + "\")";
}
}  // namespace

TEST_SUITE("lang.operators.eval") {
  TEST_CASE("priorities and associativity") {
    const Case cases[] = {
        {"${eval:1+2*3}", "7"},          {"${eval:(1+2)*3}", "9"},
        {"${eval:3/2*4}", "4"},          {"${eval:1-2-3}", "-4"},
        {"${eval:100/10/5}", "2"},       {"${eval:1+2<<3}", "24"},
        {"${eval:6&3^1}", "3"},          {"${eval:1|2^3&4}", "3"},
        {"${eval:~255&0x1234}", "4608"}, {"${eval:-(~255&0x1234)}", "-4608"},
        {"${eval:- -1}", "1"},           {"${eval:+-1}", "-1"},
        {"${eval:-7%3}", "-1"},          {"${eval:7%-3}", "1"},
        {"${eval:-8>>1}", "-4"},         {"${eval: 7 / 2 }", "3"},
        {"${eval:1\t+\t2}", "3"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("numbers: bases, suffixes, saturation") {
    const Case cases[] = {
        {"${eval:077}", "63"},
        {"${eval:0x1F}", "31"},
        {"${eval:0X1f}", "31"},
        {"${eval:0x}", "0"},
        {"${eval:0xg}", "0"},
        {"${eval:0x-1}", "-1"},
        {"${eval:1k}", "1024"},
        {"${eval:1M}", "1048576"},
        {"${eval:2G}", "2147483648"},
        {"${eval10:077}", "77"},
        {"${eval10:0009*2}", "18"},
        {"${eval10:-012}", "-12"},
        {"${eval:99999999999999999999}", "9223372036854775807"},
        {"${eval:-99999999999999999999}", "-9223372036854775807"},
        {"${eval:0xffffffffffffffffff}", "9223372036854775807"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("wrapping as in Exim 4.96") {
    const Case cases[] = {
        {"${eval:9223372036854775807*2}", "-2"},
        {"${eval:99999999999999999999K}", "-1024"},
        {"${eval:-9223372036854775807-1}", "-9223372036854775808"},
        {"${eval:-(-9223372036854775807-1)}", "-9223372036854775808"},
        {"${eval:(-9223372036854775807-1)/-1}", "9223372036854775807"},
        {"${eval:(-9223372036854775807-1)%-1}", "9223372036854775807"},
        {"${eval:-9223372036854775807-2}", "9223372036854775807"},
        {"${eval:1<<63}", "-9223372036854775808"},
        {"${eval:1<<64}", "1"},
        {"${eval:1<<-1}", "-9223372036854775808"},
        {"${eval:4611686018427387902+0}", "4611686018427387902"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("errors") {
    CHECK(ex("${eval:}") == err("expecting number or opening parenthesis", ""));
    CHECK(ex("${eval:  }") == err("expecting number or opening parenthesis", "  "));
    CHECK(ex("${eval:1+}") == err("expecting number or opening parenthesis", "1+"));
    CHECK(ex("${eval:1<<<2}") == err("expecting number or opening parenthesis", "1<<"));
    CHECK(ex("${eval:(1+2}") == err("expecting closing parenthesis", "(1+2"));
    CHECK(ex("${eval:1+2)}") == err("expecting operator", "1+2"));
    CHECK(ex("${eval:1 < < 2}") == err("expecting operator", "1 "));
    CHECK(ex("${eval:08}") == err("expecting operator", "0"));
    CHECK(ex("${eval10:0x12}") == err("expecting operator", "0"));
    CHECK(ex("${eval:2 3}") == err("expecting operator", "2 "));
    CHECK(ex("${eval:1kk}") == err("expecting operator", "1k"));
    CHECK(ex("${eval:1/0 + 5}") == err("divide by zero", "1/0 "));
    CHECK(ex("${eval:(1%0)}") == err("modulo by zero", "(1%0"));
    CHECK(ex("${eval:9223372036854775807+1}") == err("overflow in sum", "9223372036854775807+1"));
    CHECK(ex("${eval:4611686018427387903-1}") ==
          err("overflow in difference", "4611686018427387903-1"));
    CHECK(ex("${eval:-4611686018427387903+-4611686018427387903}") ==
          err("overflow in sum", "-4611686018427387903+-4611686018427387903"));
  }
  TEST_CASE("deep nesting is an error, not a crash") {
    std::string deep = "${eval:" + std::string(100000, '(') + "1" + std::string(100000, ')') + "}";
    CHECK(ex(deep).rfind("Failed: error in expression evaluation:", 0) == 0);
    std::string negs = "${eval:" + std::string(100001, '-') + "1}";
    CHECK(ex(negs) == "-1");
    std::string ok = "${eval:" + std::string(500, '(') + "1" + std::string(500, ')') + "}";
    CHECK(ex(ok) == "1");
  }
}
