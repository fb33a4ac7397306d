#include "util/base64.h"

#include <doctest/doctest.h>

TEST_SUITE("util.base64") {
  TEST_CASE("base64 encoding, RFC 4648 section 10 vectors") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {{"", ""},
                 {"f", "Zg=="},
                 {"fo", "Zm8="},
                 {"foo", "Zm9v"},
                 {"foob", "Zm9vYg=="},
                 {"fooba", "Zm9vYmE="},
                 {"foobar", "Zm9vYmFy"}};
    for (auto& c : cases) {
      CHECK_MESSAGE(util::base64_encode(c.in) == c.want, "in: ", c.in);
      std::string back;
      CHECK(util::base64_decode(c.want, back));
      CHECK(back == c.in);
    }
    CHECK(util::base64_encode(std::string("\0\xff", 2)) == "AP8=");
  }
  TEST_CASE("base64 decoding rejects malformed input") {
    std::string out;
    for (const char* bad :
         {"a", "ab", "abc", "a===", "====", "ab=c", "YWJj=", "YWJjZA==YWJj", "YW!j", "YWJ"}) {
      CHECK_MESSAGE(!util::base64_decode(bad, out, true), "in: ", bad);
    }
    CHECK(!util::base64_decode("YW Jj", out, false));
    CHECK(util::base64_decode("YW Jj\n", out, true));
    CHECK(out == "abc");
    CHECK(util::base64_decode("YR==", out));  // non-zero spare bits are accepted
    CHECK(out == "a");
  }
  TEST_CASE("hex") {
    CHECK(util::hex_encode("\x01\xab") == "01ab");
    CHECK(util::hex_encode("\x01\xab", true) == "01AB");
    std::string out;
    CHECK(util::hex_decode("DEADbeef", out));
    CHECK(out == "\xde\xad\xbe\xef");
    CHECK(!util::hex_decode("abc", out));
    CHECK(!util::hex_decode("zz", out));
    CHECK(util::hex_digit_value('g') == -1);
  }
}
