#include "util/strings.h"

#include <doctest/doctest.h>

#include <string>

TEST_SUITE("util.strings") {
  TEST_CASE("count_byte counts every occurrence, NULs included") {
    CHECK(util::count_byte("", '\n') == 0);
    CHECK(util::count_byte("abc", '\n') == 0);
    CHECK(util::count_byte("\n", '\n') == 1);
    CHECK(util::count_byte("a\nb\n\nc", '\n') == 3);
    std::string z("a\0b\0\0", 5);
    CHECK(util::count_byte(z, '\0') == 3);
    std::string big(100000, 'x');
    for (size_t i = 0; i < big.size(); i += 77) big[i] = '\n';
    CHECK(util::count_byte(big, '\n') == (big.size() + 76) / 77);
  }

  TEST_CASE("count_byte agrees with a byte loop on every alignment and value") {
    std::string s;
    for (int i = 0; i < 300; ++i) s += static_cast<char>((i * 37) % 256);
    for (int c : {0, 10, 13, 0x7f, 0x80, 0xff, 97}) {
      for (size_t b = 0; b < 9; ++b) {
        std::string_view v = std::string_view(s).substr(b);
        size_t want = 0;
        for (char x : v) want += x == static_cast<char>(c);
        CHECK(util::count_byte(v, static_cast<char>(c)) == want);
      }
    }
    CHECK(util::count_byte(std::string(64, '\xff'), '\xff') == 64);
    CHECK(util::count_byte(std::string(64, '\0'), '\0') == 64);
  }
}
