#include "engine/retry_hints.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

TEST_SUITE("retry_hints") {
  TEST_CASE("records round-trip through their text form") {
    engine::RetryRecord r{0, 100, 200, 800, true, 111, -44, "Connection refused: x y"};
    engine::RetryRecord back;
    REQUIRE(engine::retry_record_parse(engine::retry_record_format(r), back));
    CHECK(back.first_failed == 100);
    CHECK(back.next_try == 800);
    CHECK(back.expired);
    CHECK(back.more_errno == -44);
    CHECK(back.text == "Connection refused: x y");
    CHECK_FALSE(engine::retry_record_parse("garbage", back));
  }

  TEST_CASE("the store keeps records across openings") {
    char tmpl[] = "/tmp/facteur-rh-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    {
      auto s = engine::retry_store_open(tmpl);
      s->put("T:mx.example:192.0.2.1", {0, 10, 10, 70, false, 111, 0, "refused"});
      s->put("R:example.com", {0, 10, 10, 70, false, 0, 0, ""});
      s->remove("R:example.com");
    }
    auto s = engine::retry_store_open(tmpl);
    auto r = s->get("T:mx.example:192.0.2.1");
    REQUIRE(r.has_value());
    CHECK(r->next_try == 70);
    CHECK(r->time_stamp > 0);
    CHECK_FALSE(s->get("R:example.com").has_value());
    std::filesystem::remove_all(tmpl);
  }
}
