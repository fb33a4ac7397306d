#include "engine/message_id.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <set>
#include <thread>
#include <vector>

using engine::IdTime;
using engine::MessageIdSource;

TEST_SUITE("engine.message_id") {
  TEST_CASE("base 62 digits as Exim writes them") {
    // 1xVkSX-0008Qu-3A was written by exim4 at 1795503417.982833 from pid 32420.
    struct {
      uint64_t value;
      int width;
      const char* want;
    } cases[] = {
        {1795503417, 6, "1xVkSX"},
        {32420, 6, "0008Qu"},
        {196, 2, "3A"},
        {0, 2, "00"},
        {61, 1, "z"},
        {62, 2, "10"},
        {3843, 2, "zz"},
        {3844, 2, "00"},  // wraps: higher digits dropped
    };
    for (auto& c : cases) {
      CHECK_MESSAGE(engine::base62_encode(c.value, c.width) == c.want, "value ", c.value);
      uint64_t back = 0;
      REQUIRE(engine::base62_decode(c.want, back));
      if (c.value < 3844) CHECK(back == c.value);
    }
    uint64_t v = 0;
    CHECK_FALSE(engine::base62_decode("ab-", v));
  }

  TEST_CASE("validity and time of an id") {
    CHECK(engine::message_id_valid("1xVkSX-0008Qu-3A"));
    CHECK(engine::message_id_time("1xVkSX-0008Qu-3A") == 1795503417);
    const char* bad[] = {"",
                         "1xVkSX-0008Qu-3",
                         "1xVkSX-0008Qu-3AB",
                         "1xVkSX_0008Qu-3A",
                         "1xVkSX-0008Q!-3A",
                         "1xVkSX-0008Qu-3A-H",
                         "1xVkSX-000000-0000-00"};
    for (const char* b : bad) {
      CHECK_FALSE_MESSAGE(engine::message_id_valid(b), b);
      CHECK(engine::message_id_time(b) == 0);
    }
  }

  TEST_CASE("the fraction in units of 1/2000 s, or 1/200 s with localhost_number") {
    IdTime now{1795503417, 982833};
    MessageIdSource plain(32420, -1, [&] { return now; });
    // 982833 / 500 = 1965 = 31*62 + 43 -> "Vh"
    CHECK(plain.next().id == "1xVkSX-0008Qu-Vh");
    MessageIdSource host3(32420, 3, [&] { return now; });
    // 3*200 + 982833/5000 = 796 = 12*62 + 52 -> "Cq"
    CHECK(host3.next().id == "1xVkSX-0008Qu-Cq");
    MessageIdSource big(32420, 99, [&] { return now; });  // reduced to 16: 3200+196 = 3396
    CHECK(big.next().id.substr(14) == engine::base62_encode(3396, 2));
  }

  TEST_CASE("many ids in one clock slot stay unique and increasing") {
    IdTime fixed{1795503417, 0};
    MessageIdSource src(77, -1, [&] { return fixed; });
    std::string prev;
    for (int i = 0; i < 5000; ++i) {
      auto m = src.next();
      REQUIRE(engine::message_id_valid(m.id));
      CHECK_MESSAGE(m.id > prev, "id ", m.id, " after ", prev);
      prev = m.id;
    }
    // 5000 ids at 2000 a second: the last one is two seconds ahead of the clock.
    CHECK(engine::message_id_time(prev) == 1795503419);
    // When the clock passes the last slot, ids follow the clock again.
    fixed = {1795503500, 500};
    CHECK(src.next().id == engine::base62_encode(1795503500, 6) + "-00001F-01");
  }

  TEST_CASE("unique across threads") {
    IdTime fixed{1795503417, 0};
    MessageIdSource src(77, -1, [&] { return fixed; });
    constexpr int kThreads = 4, kEach = 3000;
    std::vector<std::vector<std::string>> got(kThreads);
    std::vector<std::thread> ts;
    for (int t = 0; t < kThreads; ++t)
      ts.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) got[static_cast<size_t>(t)].push_back(src.next().id);
      });
    for (auto& t : ts) t.join();
    std::set<std::string> all;
    for (auto& v : got) all.insert(v.begin(), v.end());
    CHECK(all.size() == static_cast<size_t>(kThreads * kEach));
  }

  TEST_CASE("the system clock gives the current time") {
    MessageIdSource src(1);
    auto m = src.next();
    CHECK(std::llabs(engine::message_id_time(m.id) - static_cast<long long>(time(nullptr))) < 5);
  }
}
