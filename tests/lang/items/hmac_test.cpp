#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

// Expected values from the reference exim4 -be (the md5 one is the manual's example).
TEST_SUITE("lang.items.hmac") {
  TEST_CASE("hmac") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${hmac{md5}{somesecret}{mail.example.com 2002-10-17 11:30:59}}",
         "dd97e3ba5d1a61b5006108f8c8252953"},
        {"${hmac{sha1}{key}{The quick brown fox jumps over the lazy dog}}",
         "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9"},
        {"${hmac{md5}{}{}}", "74e6f7298a9c2d168935f58c001bad88"},
        {"${hmac{sha256}{key}{data}}", "Failed: hmac algorithm \"sha256\" is not recognised"},
        {"${hmac{MD5}{k}{d}}", "Failed: hmac algorithm \"MD5\" is not recognised"},
        {"${hmac{md5}{k}}", "Failed: Not enough arguments for 'hmac' (min is 3)"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
