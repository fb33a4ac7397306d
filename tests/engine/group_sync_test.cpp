#include "engine/group_sync.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

TEST_SUITE("group_sync") {
  TEST_CASE("concurrent directory syncs share passes, each after its request") {
    char tmpl[] = "/tmp/facteur-gs-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    engine::GroupSync gs;
    std::vector<std::thread> ts;
    std::atomic<int> ok{0};
    for (int i = 0; i < 16; ++i) {
      ts.emplace_back([&] {
        for (int k = 0; k < 10; ++k) ok += gs.sync_directory(tmpl) ? 1 : 0;
      });
    }
    for (auto& t : ts) t.join();
    CHECK(ok == 160);
    auto st = gs.stats();
    CHECK(st.requests == 160);
    CHECK(st.syncs <= 160);
    CHECK(st.syncs >= 1);
    CHECK_FALSE(gs.sync_directory(std::string(tmpl) + "/missing"));
    std::filesystem::remove_all(tmpl);
  }
}
