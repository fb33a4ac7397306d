#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

// Expected values from the reference exim4 -be.
TEST_SUITE("lang.operators.digest") {
  TEST_CASE("md5, sha1, sha2, sha3") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${md5:abc}", "900150983cd24fb0d6963f7d28e17f72"},
        {"${md5_1:abc}", "900150983cd24fb0d6963f7d28e17f72"},
        {"${sha1:abc}", "A9993E364706816ABA3E25717850C26C9CD0D89D"},
        {"${sha256:}", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"},
        {"${sha2_256:abc}", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"},
        {"${sha2_384:abc}",
         "CB00753F45A35E8BB5A03D699AC65007272C32AB0EDED1631A8B605A43FF5BED8086072BA1E7CC2358BAEC"
         "A134C825A7"},
        {"${sha3:abc}", "3A985DA74FE225B2045C172D6BD390BD855F086E3E9D525B46BFE24511431532"},
        {"${sha3_224:abc}", "E642824C3F8CF24AD09234EE7D3C766FC9A3A5168D0C94AD73B46FDF"},
        {"${sha2_224:abc}", "Failed: unrecognised sha2 variant"},
        {"${sha256_1:abc}", "Failed: unrecognised sha2 variant"},
        {"${sha3_100:abc}", "Failed: unrecognised sha3 variant"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}
