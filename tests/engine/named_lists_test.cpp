#include "engine/named_lists.h"

#include <doctest/doctest.h>

TEST_SUITE("engine.named_lists") {
  TEST_CASE("lists of the configuration") {
    auto cfg = engine::config::read_string(
        "domainlist local_domains = a : b\n"
        "hostlist relay = 127.0.0.1 : ::::1\n"
        "localpartlist admin = root\n",
        "test.conf");
    REQUIRE(cfg);
    engine::ConfigNamedLists lists(*cfg);
    const lang::NamedList* d = lists.find("local_domains");
    REQUIRE(d);
    CHECK(d->kind == lang::ListKind::Domain);
    CHECK(d->value == "a : b");
    REQUIRE(lists.find("relay"));
    CHECK(lists.find("relay")->value == "127.0.0.1 : ::::1");
    CHECK(lists.find("admin")->kind == lang::ListKind::LocalPart);
    CHECK(lists.find("nosuch") == nullptr);
  }
}
