#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

// Expected values from the reference exim4 -be. T-EXP-6: comparisons are constant-time
// (util::equal_ct, tested in tests/util/digest_test.cpp).
TEST_SUITE("lang.conditions.crypteq") {
  TEST_CASE("T-EXP-6: schemes {md5} {sha1} hex and base64, {crypt}, {crypt16}, bare DES") {
    struct {
      const char* pw;
      const char* enc;
      bool want;
    } cases[] = {
        {"test", "\\{md5\\}CY9rzUYh03PK3k6DJie09g==", true},
        {"test", "\\{MD5\\}098F6BCD4621D373CADE4E832627B4F6", true},
        {"test", "\\{md5\\}AY9rzUYh03PK3k6DJie09g==", false},
        {"test", "\\{md5\\}098f6bcd4621d373cade4e832627b4f", false},
        {"abc", "\\{md5\\}", false},
        {"abc", "\\{sha1\\}qZk+NkcGgWq6PiVxeFDCbJzQ2J0=", true},
        {"abc", "\\{sha1\\}a9993e364706816aba3e25717850c26c9cd0d89d", true},
        {"secret", "abNANd1rDfiNc", true},
        {"wrong", "\\{crypt\\}abNANd1rDfiNc", false},
        {"secret", "\\$1\\$saltsalt\\$9xy1btjgzLYfb7hivXtC//", true},
        {"MySecretRhubarb", "\\{crypt16\\}azrazPWCQJhygdJWzb77lQMA", true},
        {"MySecretRhubarbXYZ", "\\{crypt16\\}azrazPWCQJhygcZM4ocALoew", true},
        {"secret", "\\{crypt16\\}abNANd1rDfiNc", true},
        {"MySecret", "", false},
        {"secret", "\\{crypt\\}a", false},
        {"secret", "*", false},
    };
    for (auto& c : cases) {
      std::string in = std::string("${if crypteq{") + c.pw + "}{" + c.enc + "}{y}{n}}";
      CHECK_MESSAGE(ex(in) == (c.want ? "y" : "n"), "input: ", in);
    }
  }
  TEST_CASE("T-EXP-6: an unknown scheme is an error (defer), never a match") {
    CHECK(ex("${if crypteq{x}{\\{nosuch\\}abc}{y}{n}}") ==
          "Failed: unknown encryption mechanism in \"{nosuch}abc\"");
    CHECK(ex("${if crypteq{abc}{\\{sha256\\}x}{y}{n}}") ==
          "Failed: unknown encryption mechanism in \"{sha256}x\"");
  }
}
