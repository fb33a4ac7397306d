// The bad-config corpus: each tests/engine/config/bad/NAME.conf must fail to read with the
// text of NAME.expected-error (file names relative to the corpus directory).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/config/config.h"

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string strip_dir(std::string s, const std::string& dir) {
  for (size_t p; (p = s.find(dir)) != std::string::npos;) s.erase(p, dir.size());
  return s;
}

}  // namespace

TEST_SUITE("engine.config.bad") {
  TEST_CASE("every bad configuration fails with its expected error") {
    const std::string dir = std::string(FACTEUR_SOURCE_DIR) + "/tests/engine/config/bad/";
    std::vector<std::filesystem::path> confs;
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".conf") confs.push_back(e.path());
    std::sort(confs.begin(), confs.end());
    CHECK(confs.size() >= 15);
    for (const auto& conf : confs) {
      std::filesystem::path want_file = conf;
      want_file.replace_extension(".expected-error");
      std::string want = slurp(want_file);
      while (!want.empty() && want.back() == '\n') want.pop_back();
      auto cfg = engine::config::read_file(conf.string());
      std::string got =
          cfg ? "(no error)" : strip_dir(engine::config::format_error(cfg.error()), dir);
      CHECK_MESSAGE(got == want, conf.filename().string(), "\n  got:  ", got, "\n  want: ", want);
    }
  }
}
