#include "util/digest.h"

#include <doctest/doctest.h>

#include "util/base64.h"

using util::DigestAlgo;

TEST_SUITE("util.digest") {
  TEST_CASE("digests of \"abc\" (FIPS 180 / FIPS 202 examples)") {
    struct {
      DigestAlgo algo;
      const char* want;
    } cases[] = {
        {DigestAlgo::Md5, "900150983cd24fb0d6963f7d28e17f72"},
        {DigestAlgo::Sha1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {DigestAlgo::Sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {DigestAlgo::Sha3_224, "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf"},
    };
    for (auto& c : cases) CHECK(util::hex_encode(util::digest(c.algo, "abc")) == c.want);
    CHECK(util::digest(DigestAlgo::Sha512, "").size() == 64);
    CHECK(util::digest(DigestAlgo::Sha3_384, "").size() == 48);
  }
  TEST_CASE("HMAC, RFC 2202 test cases 2") {
    CHECK(util::hex_encode(util::hmac(DigestAlgo::Md5, "Jefe", "what do ya want for nothing?")) ==
          "750c783e6ab0b503eaa86e310a5db738");
    CHECK(util::hex_encode(util::hmac(DigestAlgo::Sha1, "Jefe", "what do ya want for nothing?")) ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    CHECK(util::hex_encode(util::hmac(DigestAlgo::Md5, "", "")) ==
          "74e6f7298a9c2d168935f58c001bad88");
  }
  TEST_CASE("constant-time equality") {
    CHECK(util::equal_ct("", ""));
    CHECK(util::equal_ct("abc", "abc"));
    CHECK(!util::equal_ct("abc", "abd"));
    CHECK(!util::equal_ct("abc", "abcd"));
  }
}
