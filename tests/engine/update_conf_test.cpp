#include "engine/update_conf.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/config_paths.h"

using engine::parse_update_conf_args;
namespace fs = std::filesystem;

namespace {

// A confdir with a valid tree and an output folder, removed at the end.
struct Scratch {
  fs::path root;
  Scratch() {
    root = fs::temp_directory_path() / ("facteur-update-conf-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "etc/conf.d/main");
    fs::create_directories(root / "out");
    write("etc/update-facteur.conf.conf", "dc_eximconfig_configtype='local'\nCFILEMODE=600\n");
    write("etc/conf.d/main/00_main", "# comment\nqualify_domain = example.org\n");
    write("etc/conf.d/main/10_local.conf", "ignored\n");
  }
  ~Scratch() { fs::remove_all(root); }
  void write(const std::string& rel, const std::string& text) const {
    std::ofstream(root / rel) << text;
  }
  std::string p(const std::string& rel) const { return (root / rel).string(); }
};

struct Run {
  int status = 0;
  std::string out, err;
};

std::string slurp_stream(std::FILE* f) {
  std::rewind(f);
  std::string s;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
  std::fclose(f);
  return s;
}

Run run(const std::vector<std::string>& argv,
        std::vector<std::string> hand_written = {"/nonexistent"}) {
  auto args = parse_update_conf_args(argv);
  REQUIRE_MESSAGE(args, (args ? "" : args.error().message));
  engine::UpdateConfEnv env;
  env.mailname_file = "/nonexistent/mailname";
  env.fqdn = [] { return std::string("mx.example.org"); };
  env.hand_written = std::move(hand_written);
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  Run r;
  r.status = engine::run_update_conf(*args, env, out, err);
  r.out = slurp_stream(out);
  r.err = slurp_stream(err);
  return r;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_SUITE("engine.update_conf") {
  TEST_CASE("options: Debian's long and short forms") {
    auto a =
        parse_update_conf_args({"-v", "--keepcomments", "-o", "out", "--confdir=/x", "--check"});
    REQUIRE(a);
    CHECK(a->verbose);
    CHECK(a->keep_comments == true);
    CHECK(a->output == "out");
    CHECK(a->output_given);
    CHECK(a->confdir == "/x");
    CHECK(a->check);
    auto b = parse_update_conf_args({"--removecomments", "-d/y", "--output", "o2", "-h"});
    REQUIRE(b);
    CHECK(b->keep_comments == false);
    CHECK(b->confdir == "/y");
    CHECK(b->output == "o2");
    CHECK(b->help);
    auto c = parse_update_conf_args({});
    REQUIRE(c);
    CHECK(c->confdir == engine::default_confdir());
    CHECK(c->output == engine::default_autoconfig_path());
    CHECK_FALSE(c->output_given);
    CHECK_FALSE(c->keep_comments.has_value());
    CHECK(parse_update_conf_args({"--bogus"}).error().message == "unknown option --bogus");
    CHECK(parse_update_conf_args({"extra"}).error().message ==
          "no non-option arguments allowed (extra)");
    CHECK(parse_update_conf_args({"-o"}).error().message == "option --output requires an argument");
    CHECK(parse_update_conf_args({"--", "x"}).error().message ==
          "no non-option arguments allowed (x)");
  }

  TEST_CASE("writes the output with CFILEMODE, warns about ignored files, verbose notes") {
    Scratch s;
    Run r = run({"-v", "-d", s.p("etc"), "-o", s.p("out/facteur.conf")});
    CHECK(r.status == 0);
    CHECK(r.err.find("warning: ignoring " + s.p("etc/conf.d/main/10_local.conf")) !=
          std::string::npos);
    CHECK(r.out.find("using the split configuration in " + s.p("etc/conf.d")) != std::string::npos);
    CHECK(r.out.find("wrote " + s.p("out/facteur.conf")) != std::string::npos);
    std::string text = slurp(s.p("out/facteur.conf"));
    CHECK(text.find("qualify_domain = example.org") != std::string::npos);
    CHECK(text.find("# comment") == std::string::npos);
    struct stat st {};
    REQUIRE(stat(s.p("out/facteur.conf").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    CHECK(engine::check_config_file(s.p("out/facteur.conf")) == "");
    // No temporary file is left behind.
    size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(s.root / "out")) ++files;
    CHECK(files == 1);
  }

  TEST_CASE("--check: errors at the fragment's line, nothing installed, the text kept") {
    Scratch s;
    s.write("etc/conf.d/main/20_bad", "\n\nprimay_hostname = x\n");
    Run r = run({"--check", "-d", s.p("etc"), "-o", s.p("out/facteur.conf")});
    CHECK(r.status == 1);
    CHECK(r.err.find(s.p("etc/conf.d/main/20_bad") +
                     ":3: main option \"primay_hostname\" unknown; did you mean "
                     "\"primary_hostname\"?\n") != std::string::npos);
    CHECK(r.err.find("invalid new configuration file " + s.p("out/facteur.conf.tmp")) !=
          std::string::npos);
    CHECK_FALSE(fs::exists(s.root / "out/facteur.conf"));
    fs::remove(s.root / "etc/conf.d/main/20_bad");
    Run ok = run({"--check", "-d", s.p("etc"), "-o", s.p("out/facteur.conf")});
    CHECK(ok.status == 0);
    CHECK_FALSE(fs::exists(s.root / "out/facteur.conf"));
  }

  TEST_CASE("without -o: checked before installing, and a hand-written config wins") {
    Scratch s;
    s.write("etc/conf.d/main/20_bad", "bogus = 1\n");
    // The default output is checked (here: a hand-written list that does not exist).
    auto args = parse_update_conf_args({"-d", s.p("etc")});
    REQUIRE(args);
    args->output = s.p("out/config.autogenerated");
    engine::UpdateConfEnv env;
    env.mailname_file = "/nonexistent";
    env.fqdn = [] { return std::string("x.y"); };
    env.hand_written = {s.p("out/facteur.conf")};
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    CHECK(engine::run_update_conf(*args, env, out, err) == 1);
    CHECK(slurp_stream(err).find("20_bad:1: main option \"bogus\" unknown") != std::string::npos);
    std::fclose(out);
    CHECK_FALSE(fs::exists(s.root / "out/config.autogenerated"));
    // With the hand-written file present, nothing is done at all.
    s.write("out/facteur.conf", "\n");
    out = std::tmpfile();
    err = std::tmpfile();
    args->verbose = true;
    CHECK(engine::run_update_conf(*args, env, out, err) == 0);
    CHECK(slurp_stream(out) ==
          s.p("out/facteur.conf") + " exists and is read instead: nothing to do\n");
    std::fclose(err);
  }

  TEST_CASE("errors: no settings file, no output folder") {
    Scratch s;
    Run none = run({"-d", s.p("nowhere"), "-o", s.p("out/x")});
    CHECK(none.status == 1);
    CHECK(none.err == "facteur-update-conf: no " + s.p("nowhere/update-facteur.conf.conf") +
                          " (nor " + s.p("nowhere/update-exim4.conf.conf") + ")\n");
    Run nodir = run({"-d", s.p("etc"), "-o", s.p("missing/x")});
    CHECK(nodir.status == 1);
    CHECK(nodir.err ==
          "facteur-update-conf: no folder " + s.p("missing") + " for " + s.p("missing/x") + "\n");
  }

  TEST_CASE("--help") {
    Run r = run({"--help"});
    CHECK(r.status == 0);
    CHECK(r.out.find("--keepcomments") != std::string::npos);
  }
}
