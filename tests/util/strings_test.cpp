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

  TEST_CASE("find_cr_or_lf finds the first CR or LF") {
    CHECK(util::find_cr_or_lf("") == std::string_view::npos);
    CHECK(util::find_cr_or_lf("plain line") == std::string_view::npos);
    CHECK(util::find_cr_or_lf("a\rb\nc") == 1);
    CHECK(util::find_cr_or_lf("ab\nc\r") == 2);
    CHECK(util::find_cr_or_lf("\r") == 0);
    CHECK(util::find_cr_or_lf("xyz\n") == 3);
  }
}
