// The bad-config corpora: each tests/engine/config/bad/NAME.conf must fail to read with the
// text of NAME.expected-error (file names relative to the corpus directory); each
// tests/engine/config/bad-confd/NAME/ (update-facteur.conf.conf + conf.d/) must assemble and then
// fail the check of facteur-update-conf --check with NAME.expected-error: the error names the
// conf.d fragment (or the settings file) and its line, never the generated file.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/config/assembler.h"
#include "engine/config/config.h"
#include "engine/update_conf.h"

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string want_error(std::filesystem::path p) {
  std::string want = slurp(p.replace_extension(".expected-error"));
  while (!want.empty() && want.back() == '\n') want.pop_back();
  return want;
}

// Assembles a bad-confd case and checks the result as facteur-update-conf --check does.
std::string assembled_error(const std::filesystem::path& confdir) {
  engine::config::AssembleOptions o;
  o.confdir = confdir.string();
  o.mailname_file = "/nonexistent/mailname";
  o.fqdn = [] { return std::string("mx.example.org"); };
  auto a = engine::config::assemble(o);
  if (!a) return "assembly failed: " + engine::config::format_error(a.error());
  std::filesystem::path out = std::filesystem::temp_directory_path() /
                              ("facteur-bad-confd-" + confdir.filename().string() + ".conf");
  std::ofstream(out) << a->text;
  std::string err = engine::check_config_file(out.string());
  std::filesystem::remove(out);
  return err.empty() ? "(no error)" : err;
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
  TEST_CASE("every bad conf.d tree fails with its expected error, at its fragment line") {
    const std::string dir = std::string(FACTEUR_SOURCE_DIR) + "/tests/engine/config/bad-confd/";
    std::vector<std::filesystem::path> cases;
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.is_directory()) cases.push_back(e.path());
    std::sort(cases.begin(), cases.end());
    CHECK(cases.size() >= 8);
    for (const auto& c : cases) {
      std::string got = strip_dir(assembled_error(c), dir);
      std::string want = want_error(c);
      CHECK_MESSAGE(got == want, c.filename().string(), "\n  got:  ", got, "\n  want: ", want);
    }
  }
}
