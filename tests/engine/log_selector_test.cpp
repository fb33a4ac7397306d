#include "engine/log_selector.h"

#include <doctest/doctest.h>

using engine::LogItem;

TEST_SUITE("engine.log_selector") {
  TEST_CASE("the default set") {
    engine::LogSelector d;
    CHECK(d.on(LogItem::MsgId));
    CHECK(d.on(LogItem::TlsCipher));
    CHECK(d.on(LogItem::RetryDefer));
    CHECK_FALSE(d.on(LogItem::Pid));
    CHECK_FALSE(d.on(LogItem::Subject));
    CHECK_FALSE(d.on(LogItem::SmtpConnection));
    auto empty = engine::log_selector_parse("");
    REQUIRE(empty);
    CHECK(*empty == d);
  }

  TEST_CASE("plus and minus, all") {
    auto s = engine::log_selector_parse(" +subject -msg_id\t+smtp_connection   -retry_defer ");
    REQUIRE(s);
    CHECK(s->on(LogItem::Subject));
    CHECK(s->on(LogItem::SmtpConnection));
    CHECK_FALSE(s->on(LogItem::MsgId));
    CHECK_FALSE(s->on(LogItem::RetryDefer));
    auto all = engine::log_selector_parse("+all -pid");
    REQUIRE(all);
    CHECK(all->on(LogItem::UnknownInList));
    CHECK(all->on(LogItem::k8bitmime));
    CHECK_FALSE(all->on(LogItem::Pid));
    auto none = engine::log_selector_parse("-all +subject-pid");
    REQUIRE(none);
    CHECK_FALSE(none->on(LogItem::MsgId));
    CHECK(none->on(LogItem::Subject));
    CHECK(engine::log_item_name(LogItem::TlsPeerdn) == "tls_peerdn");
  }

  TEST_CASE("errors with Exim's texts") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"+bogus", "unknown log_selector setting: +bogus"},
        {"+ALL", "unknown log_selector setting: +ALL"},
        {"subject", "malformed log_selector setting: + or - expected but found \"subject\""},
        {"+subject,+pid", "malformed log_selector setting: + or - expected but found \",+pid\""},
        {"+", "unknown log_selector setting: +"},
    };
    for (auto& c : cases) {
      auto r = engine::log_selector_parse(c.in);
      REQUIRE_FALSE_MESSAGE(r, c.in);
      CHECK(r.error().message == c.want);
    }
  }
}
