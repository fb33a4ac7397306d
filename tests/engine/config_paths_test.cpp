#include "engine/config_paths.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/cli.h"

namespace fs = std::filesystem;

TEST_SUITE("engine.config_paths") {
  TEST_CASE("the default list: a hand-written facteur.conf first, then the generated file") {
    CHECK(engine::default_config_list() ==
          engine::default_confdir() + "/facteur.conf:" + engine::default_autoconfig_path());
    CHECK(engine::default_config_path() == engine::default_config_list());
  }

  TEST_CASE("resolve_config_list: the first file that exists") {
    fs::path dir = fs::temp_directory_path() / ("facteur-paths-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::string a = (dir / "a.conf").string(), b = (dir / "b.conf").string();
    std::ofstream(b) << "\n";
    CHECK(*engine::resolve_config_list(a + ":" + b) == b);
    std::ofstream(a) << "\n";
    CHECK(*engine::resolve_config_list(a + ":" + b) == a);
    CHECK(*engine::resolve_config_list(":" + b) == b);
    // A single name is returned as it is: the reader says why it cannot be opened.
    CHECK(*engine::resolve_config_list("/nonexistent/x.conf") == "/nonexistent/x.conf");
    CHECK(engine::resolve_config_list("/nonexistent/1:/nonexistent/2").error().message ==
          "non-existent configuration file(s): /nonexistent/1:/nonexistent/2");
    fs::remove_all(dir);
  }
}
