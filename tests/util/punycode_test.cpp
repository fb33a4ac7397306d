#include "util/punycode.h"

#include <doctest/doctest.h>

#include "util/utf8.h"

namespace {
std::string enc(const char* utf8) {
  std::u32string cps;
  (void)util::utf8_decode(utf8, cps);
  std::string out;
  return util::punycode_encode(cps, out) ? out : "<fail>";
}
std::string dec(const char* ace) {
  std::u32string cps;
  return util::punycode_decode(ace, cps) ? util::utf8_encode(cps) : "<fail>";
}
}  // namespace

// RFC 3492 section 7.1 samples and values checked with Python's punycode codec.
TEST_SUITE("util.punycode") {
  TEST_CASE("encode") {
    CHECK(enc("b\xc3\xbc"
              "cher") == "bcher-kva");
    CHECK(enc("stra\xc3\x9f"
              "e") == "strae-oqa");
    CHECK(enc("\xd9\x84") == "ghb");
    CHECK(enc("\xe4\xbb\x96\xe4\xbb\xac\xe4\xb8\xba\xe4\xbb\x80\xe4\xb9\x88\xe4\xb8\x8d\xe8\xaf"
              "\xb4\xe4\xb8\xad\xe6\x96\x87") == "ihqwcrb4cv8a8dqg056pqjye");
    CHECK(enc("abc") == "abc-");
  }
  TEST_CASE("decode") {
    CHECK(dec("bcher-kva") ==
          "b\xc3\xbc"
          "cher");
    CHECK(dec("ihqwcrb4cv8a8dqg056pqjye") ==
          "\xe4\xbb\x96\xe4\xbb\xac\xe4\xb8\xba\xe4\xbb\x80\xe4\xb9\x88\xe4\xb8\x8d\xe8\xaf\xb4"
          "\xe4\xb8\xad\xe6\x96\x87");
    CHECK(dec("a-") == "a");
    CHECK(dec("abc") == "\xc2\x82\xc2\x81\xc2\x80");
    CHECK(dec("zz") == "<fail>");
    CHECK(dec("99999999999") == "<fail>");
    CHECK(dec("a\xc3\xa9-x") == "<fail>");
  }
}
