#include "lang/operators/hash.h"

#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

// Expected values from the reference exim4 -be.
TEST_SUITE("lang.operators.hash") {
  TEST_CASE("operator forms") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"${hash_3:monty}", "jmg"},
        {"${h_5_62:monty python}", "7ZxZT"},
        {"${hash_8_62:supercalifragilisticexpialidocious}", "y0zDax67"},
        {"${hash_3_1:abcd}", "aaa"},
        {"${hash_3_0:abc}", "abc"},
        {"${hash_3_63:abc}", "Failed: hash count \"63\" too big"},
        {"${nhash_1000000007:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ}", "249583"},
        {"${nhash_97_89:monty python}", "36/44"},
        {"${length_010:abcdefghijkl}", "abcdefghij"},
        {"${l_2:xyz}", "xy"},
        {"${substr_-2_1:abcdef}", "e"},
        {"${s_1:abc}", "bc"},
        {"${strlen:stra\\xc3\\x9fe}", "7"},
        {"${substr_1_-2:abcd}", "Failed: non-digit after underscore in \"substr_1_-2\""},
        {"${hash_-1:abc}", "Failed: non-digit after underscore in \"hash_-1\""},
        {"${length_3_4:abcdef}", "Failed: non-digit after underscore in \"length_3_4\""},
        {"${length:abc}", "Failed: Not enough arguments for 'length' (min is 2)"},
        {"${l:abc}", "Failed: missing values after l"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
  TEST_CASE("substr offsets") {
    struct {
      long off, len;
      const char* s;
      const char* want;
    } cases[] = {
        {3, 2, "rhubarb", "ba"}, {-5, 2, "1234567", "34"},  {-5, 2, "12", ""},
        {-3, 2, "12", "1"},      {-1, -1, "abcde", "abcd"}, {-10, -1, "abc", ""},
        {10, -1, "abc", ""},     {1, 100, "abc", "bc"},     {3, -1, "abc", ""},
    };
    for (auto& c : cases) {
      std::string out;
      lang::text::substr(c.s, c.off, c.len, out);
      CHECK_MESSAGE(out == c.want, c.off, " ", c.len, " ", c.s);
    }
  }
  TEST_CASE("read_long is strtol on the whole string") {
    long v = 7;
    CHECK(lang::text::read_long("", v));
    CHECK(v == 0);
    CHECK(lang::text::read_long(" +12", v));
    CHECK(v == 12);
    CHECK(lang::text::read_long("-99999999999999999999", v));
    CHECK(v == LONG_MIN);
    CHECK(!lang::text::read_long("12 ", v));
    CHECK(!lang::text::read_long("-", v));
    CHECK(!lang::text::read_long("0x1", v));
  }
}
