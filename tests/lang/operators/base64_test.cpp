#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

// Expected values from the reference exim4 -be.
TEST_SUITE("lang.operators.base64") {
  TEST_CASE("base64, str2b64, base64d, hex2b64") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${base64:ab}", "YWI="},
        {"${str2b64:user@example.com}", "dXNlckBleGFtcGxlLmNvbQ=="},
        {"${base64d:aGVsbG8=}", "hello"},
        {"${base64d:YWJj\\nZGVm}", "abcdef"},
        {"${base64d:Y W J j}", "abc"},
        {"${base64d:}", ""},
        {"${base64d:aGVsbG8}",
         "Failed: string \"aGVsbG8\" is not well-formed for \"base64d\" operator"},
        {"${base64d:YWJj=}",
         "Failed: string \"YWJj=\" is not well-formed for \"base64d\" operator"},
        {"${hex2b64:00ff}", "AP8="},
        {"${hex2b64:DEADbeef}", "3q2+7w=="},
        {"${hex2b64:abc}", "Failed: \"abc\" contains an odd number of characters"},
        {"${hex2b64:zzz}", "Failed: \"zzz\" is not a hex string"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
