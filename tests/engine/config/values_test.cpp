#include "engine/config/values.h"

#include <doctest/doctest.h>

using namespace engine::config;

TEST_SUITE("engine.config.values") {
  TEST_CASE("integers") {
    struct {
      const char* in;
      int64_t want;
      const char* err;
    } cases[] = {
        {"42", 42, ""},
        {"0x1F", 31, ""},
        {"010", 8, ""},
        {"2K", 2048, ""},
        {"3M", 3 << 20, ""},
        {"1G", 1 << 30, ""},
        {"-3", -3, ""},
        {" 7 ", 7, ""},
        {"0", 0, ""},
        {"12x", 0, "extra characters follow integer value for n"},
        {"abc", 0, "integer expected for n"},
        {"", 0, "integer expected for n"},
        {"99999999999", 0, "absolute value of integer \"99999999999\" is too large (overflow)"},
        {"4G", 0, "absolute value of integer \"4G\" is too large (overflow)"},
    };
    for (auto& c : cases) {
      int64_t got = 0;
      std::string err = read_integer(c.in, "n", got);
      CHECK_MESSAGE(err == c.err, "input: ", c.in);
      if (err.empty()) CHECK_MESSAGE(got == c.want, "input: ", c.in);
    }
  }
  TEST_CASE("booleans") {
    bool b = false;
    CHECK(read_bool("yes", "q", b).empty());
    CHECK(b);
    CHECK(read_bool("FALSE", "q", b).empty());
    CHECK(!b);
    CHECK(read_bool("maybe", "q", b) == "\"maybe\" is not a valid value for the \"q\" option");
  }
  TEST_CASE("times") {
    struct {
      const char* in;
      int64_t want;
      const char* printed;
    } cases[] = {{"1h30m", 5400, "1h30m"},
                 {"90m", 5400, "1h30m"},
                 {"2d", 172800, "2d"},
                 {"7d", 604800, "1w"},
                 {"24h", 86400, "1d"},
                 {"0s", 0, "0s"},
                 {"1w2d3h4m5s", 788645, "1w2d3h4m5s"}};
    for (auto& c : cases) {
      int64_t got = -1;
      CHECK_MESSAGE(parse_time(c.in, got), "input: ", c.in);
      CHECK(got == c.want);
      CHECK(format_time(got) == c.printed);
    }
    int64_t t = 0;
    for (const char* bad : {"", "10", "1h 3m", "3q", "h", "99999999999s"})
      CHECK_MESSAGE(!parse_time(bad, t), "input: ", bad);
    std::vector<int64_t> list;
    CHECK(read_time_list("1h:2d", "dw", list).empty());
    CHECK(list == std::vector<int64_t>{3600, 172800});
    CHECK(read_time_list("2h:1h", "dw", list) == "time value out of order for dw");
  }
  TEST_CASE("fixed point and sizes") {
    int64_t v = 0;
    CHECK(read_fixed("1.5", "f", v).empty());
    CHECK(v == 1500);
    CHECK(format_fixed(v) == "1.5");
    CHECK(read_fixed("1.23456", "f", v).empty());
    CHECK(format_fixed(v) == "1.234");
    CHECK(read_fixed("x", "f", v) == "fixed-point number expected for f");
    CHECK(format_size(102400) == "100K");
    CHECK(format_size(10 << 20) == "10M");
    CHECK(format_size(1500) == "1500");
    CHECK(format_size_k(1500) == "1500K");
    CHECK(format_size_k(2048) == "2M");
    CHECK(format_size_k(1 << 20) == "1G");
  }
  TEST_CASE("quoted strings") {
    std::string out;
    std::vector<size_t> offs;
    CHECK(read_string("plain \\t text", "s", out).empty());
    CHECK(out == "plain \\t text");
    CHECK(read_string("\"a\\\\tb\\x41\\101\\q\" ", "s", out, &offs).empty());
    CHECK(out == "a\\tbAAq");
    CHECK(offs.size() == out.size());
    CHECK(offs[0] == 1);
    CHECK(offs[2] == 4);
    CHECK(read_string("\"x\\ny\"", "s", out).empty());
    CHECK(out == "x\ny");
    CHECK(read_string("\"abc", "s", out) == "missing quote at end of string value for s");
    CHECK(read_string("\"ab\" junk", "s", out) == "extra characters follow string value for s");
  }
}
