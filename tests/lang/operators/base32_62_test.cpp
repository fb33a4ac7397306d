#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

// Expected values from the reference exim4 -be.
TEST_SUITE("lang.operators.base32_62") {
  TEST_CASE("base32 and base32d") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${base32:0}", ""},
        {"${base32:32}", "ba"},
        {"${base32: +5}", "f"},
        {"${base32:-1}", "p777777777777"},
        {"${base32:99999999999999999999999}", "p777777777777"},
        {"${base32:0x1}",
         "Failed: argument for base32 operator is \"0x1\", which is not a decimal number"},
        {"${base32: }",
         "Failed: argument for base32 operator is \" \", which is not a decimal number"},
        {"${base32d:z}", "25"},
        {"${base32d:}", "0"},
        {"${base32d:zzzzzzzzzzzzzzzzzz}", "-7140675125306923207"},
        {"${base32d:AB}",
         "Failed: argument for base32d operator is \"AB\", which is not a base 32 number"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("base62 and base62d") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${base62:}", "000000"},
        {"${base62:12345}", "0003D7"},
        {"${base62:56800235584}", "000000"},
        {"${base62:-1}", "16AHYF"},
        {"${base62d:ZZ}", "2205"},
        {"${base62d:zzzzzzzzzzzzzzz}", "-6870820910691024897"},
        {"${base62d: 1}",
         "Failed: argument for base62d operator is \" 1\", which is not a base 62 number"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
