#include "engine/config/suggest.h"

#include <doctest/doctest.h>

#include <vector>

#include "engine/config/main_options.h"

using namespace engine::config;

TEST_SUITE("engine.config.suggest") {
  TEST_CASE("edit distance") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("abc", "abc") == 0);
    CHECK(edit_distance("abc", "acb") == 1);  // transposition
    CHECK(edit_distance("kitten", "sitting") == 3);
  }
  TEST_CASE("nearest names") {
    std::vector<std::string_view> names = {"domains", "local_parts", "transport", "senders"};
    CHECK(nearest_name("domian", names) == "domains");
    CHECK(nearest_name("transprot", names) == "transport");
    CHECK(nearest_name("xyz", names).empty());
    CHECK(did_you_mean("sender", names) == "; did you mean \"senders\"?");
    CHECK(suggest_main_option("queue_onlyy") == "queue_only");
    CHECK(suggest_main_option("primary_host_name") == "primary_hostname");
    CHECK(suggest_main_option("message_size_limt") == "message_size_limit");
    CHECK(suggest_main_option("completely_unrelated_words").empty());
  }
}
