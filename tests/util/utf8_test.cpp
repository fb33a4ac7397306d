#include "util/utf8.h"

#include <doctest/doctest.h>

TEST_SUITE("util.utf8") {
  TEST_CASE("decode") {
    struct {
      const char* in;
      util::Utf8Status want;
      size_t n;
    } cases[] = {
        {"abc", util::Utf8Status::Ok, 3},
        {"caf\xc3\xa9", util::Utf8Status::Ok, 4},
        {"\xf0\x9f\x98\x80", util::Utf8Status::Ok, 1},
        {"\xc0\x80", util::Utf8Status::Invalid, 0},          // overlong
        {"\xed\xa0\x80", util::Utf8Status::Invalid, 0},      // surrogate
        {"\xf4\x90\x80\x80", util::Utf8Status::Invalid, 0},  // above U+10FFFF
        {"a\xff", util::Utf8Status::Invalid, 1},
        {"a\xe2\x82", util::Utf8Status::Truncated, 1},
    };
    for (const auto& c : cases) {
      std::u32string out;
      CHECK_MESSAGE(util::utf8_decode(c.in, out) == c.want, "input: ", c.in);
      CHECK(out.size() == c.n);
    }
  }
  TEST_CASE("encode round trip") {
    std::u32string cps = {U'a', 0xe9, 0x20ac, 0x1f600};
    std::u32string back;
    CHECK(util::utf8_encode(cps) == "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    CHECK(util::utf8_decode(util::utf8_encode(cps), back) == util::Utf8Status::Ok);
    CHECK(back == cps);
    CHECK(util::is_ascii("abc"));
    CHECK_FALSE(util::is_ascii("\xc3\xa9"));
  }
}
