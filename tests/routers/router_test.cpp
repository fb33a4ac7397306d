// Tests for routers/router: the registry of router drivers, and -bP router NAME for each
// registered driver against Exim 4.96's output (tests/routers/data/bp_*.out).
#include "routers/router.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "engine/config/config.h"
#include "engine/print_options.h"

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string bp_router(const engine::config::Config& cfg, const std::string& name) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* out = open_memstream(&buf, &len);
  (void)engine::print_config_options(cfg, {"router", name}, {true, false}, out);
  std::fclose(out);
  std::string s(buf, len);
  std::free(buf);
  return s;
}

}  // namespace

TEST_SUITE("routers.router") {
  TEST_CASE("the registry holds every router driver, also known to the config reader") {
    std::vector<std::string_view> want{"accept", "dnslookup", "ipliteral", "manualroute",
                                       "redirect"};
    CHECK(routers::router_names() == want);
    for (std::string_view n : want) {
      const routers::RouterDescriptor* d = routers::find_router(n);
      REQUIRE(d != nullptr);
      CHECK(static_cast<bool>(d->make));
      CHECK(engine::config::find_driver(engine::config::DriverKind::Router, n) != nullptr);
    }
    CHECK(routers::find_router("queryprogram") == nullptr);
  }

  TEST_CASE("-bP router NAME lists every option as Exim 4.96 does") {
    std::string dir = std::string(FACTEUR_SOURCE_DIR) + "/tests/routers/data/";
    auto cfg = engine::config::read_file(dir + "bp.conf");
    REQUIRE(cfg);
    for (const char* r : {"acc", "man", "ipl", "red", "dns", "red_user"}) {
      CAPTURE(r);
      CHECK(bp_router(*cfg, r) == slurp(dir + "bp_" + r + ".out"));
    }
  }

  TEST_CASE("result names") {
    CHECK(routers::router_result_name(routers::RouterResult::Rerouted) == "rerouted");
    CHECK(routers::router_result_name(routers::RouterResult::Decline) == "decline");
  }
}
