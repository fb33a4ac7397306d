#include "engine/config/assembler.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/config/config.h"

using namespace engine::config;
namespace fs = std::filesystem;

namespace {

using Kind = DirEntry::Kind;

// A scratch confdir, removed at the end.
struct Tree {
  fs::path root;
  explicit Tree(const std::string& tag) {
    root =
        fs::temp_directory_path() / ("facteur-assembler-" + tag + "-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "conf.d");
  }
  ~Tree() { fs::remove_all(root); }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << text;
  }
  util::Result<Assembly> run(std::optional<bool> keep = std::nullopt) const {
    AssembleOptions o;
    o.confdir = root.string();
    o.keep_comments = keep;
    o.mailname_file = (root / "mailname").string();
    o.version = "1.2";
    o.fqdn = [] { return std::string("mx.example.org"); };
    return assemble(o);
  }
  std::string path(const std::string& rel) const { return (root / rel).string(); }
};

std::string read_error(const std::string& text) {
  auto r = read_string(text, "gen.conf");
  return r ? "(no error)" : format_error(r.error());
}

}  // namespace

TEST_SUITE("engine.config.assembler") {
  TEST_CASE("select_fragments: C-locale order, .rul replaces, each skipped file named") {
    Diagnostics d;
    std::vector<DirEntry> entries = {
        {"20_b", Kind::Regular},           {"10_a", Kind::Regular},
        {"10_a.rul", Kind::Regular},       {"10_local.conf", Kind::Regular},
        {"30_c~", Kind::Regular},          {"#40_d#", Kind::Regular},
        {"50_e.dpkg-dist", Kind::Regular}, {"50_e.ucf-old", Kind::Regular},
        {"60_orphan.rul", Kind::Regular},  {".hidden", Kind::Regular},
        {"70_dir", Kind::Directory},       {"80_fifo", Kind::Other},
        {"Z_upper", Kind::Regular},        {"a-lower", Kind::Regular},
        {"_under", Kind::Regular},         {"été", Kind::Regular}};
    std::vector<std::string> got = select_fragments(entries, "conf.d/main", d);
    CHECK(got == std::vector<std::string>{"10_a.rul", "20_b", "Z_upper", "_under", "a-lower"});
    std::vector<std::string> want = {
        "ignoring conf.d/main/#40_d#: an editor auto-save file (#...#)",
        "ignoring conf.d/main/10_local.conf: only names made of letters, digits, '_' and '-' are "
        "read (rename it to 10_local_conf to have it read)",
        "ignoring conf.d/main/30_c~: an editor backup (name ending in '~')",
        "ignoring conf.d/main/50_e.dpkg-dist: a file left by dpkg (.dpkg-*)",
        "ignoring conf.d/main/50_e.ucf-old: a file left by ucf (.ucf-*)",
        "ignoring conf.d/main/60_orphan.rul: a .rul file only replaces a fragment of the same "
        "name, and there is no 60_orphan",
        "ignoring conf.d/main/70_dir: a folder (fragments are files directly in the section "
        "folder)",
        "ignoring conf.d/main/80_fifo: not a regular file (or a broken link)",
        "ignoring conf.d/main/été: only names made of letters, digits, '_' and '-' are read "
        "(rename it to __t__ to have it read)",
    };
    CHECK(d.warnings == want);
    CHECK(d.notes ==
          std::vector<std::string>{"ignoring hidden file conf.d/main/.hidden",
                                   "reading conf.d/main/10_a.rul instead of conf.d/main/10_a"});
  }

  TEST_CASE("write_config: begin lines, comment removal, markers that map every line") {
    Layout l;
    l.header = {"# header"};
    l.sections = {
        {"", {{"c/main/00", "# comment\n\n\nqueue_only\n\n# c\nbogus_main = 1\n"}}},
        {"routers", {{"c/router/10", "r1:\n  driver = accept\n"}}},
        {"transports", {}},
    };
    std::string text = write_config(l);
    CHECK(text ==
          "# header\n"
          "#line 2 \"c/main/00\"\n"
          "\n"
          "#line 4\n"
          "queue_only\n"
          "\n"
          "#line 7\n"
          "bogus_main = 1\n"
          "\n"
          "#line default\n"
          "\n"
          "begin routers\n"
          "#line 1 \"c/router/10\"\n"
          "r1:\n"
          "  driver = accept\n"
          "\n");
    CHECK(read_error(text) == "c/main/00:7: main option \"bogus_main\" unknown");
  }

  TEST_CASE("write_config: keep_comments keeps the numbering without markers") {
    Layout l;
    l.sections = {{"", {{"f", "# one\n#line 9 \"x\"\n#line default local\n\nbogus = 1"}}}};
    l.keep_comments = true;
    std::string text = write_config(l);
    CHECK(text == "#line 1 \"f\"\n# one\n# line 9 \"x\"\n# line default local\n\nbogus = 1\n\n");
    CHECK(read_error(text) == "f:5: main option \"bogus\" unknown");
  }

  TEST_CASE("write_config: a section's own begin line is not repeated") {
    Layout l;
    l.sections = {{"acl", {{"a/00", "  BEGIN   acl \n"}, {"a/10", "x:\n  accept\n"}}}};
    std::string text = write_config(l);
    CHECK(text.find("begin acl") == std::string::npos);
    CHECK(read_error(text) == "(no error)");
  }

  TEST_CASE("write_config: macros at the top, or after Debian's placeholder") {
    Layout l;
    l.macros = {{"MAIN_X", "1", "ue4cc", 3}, {"MAIN_V", "2", "", 0}};
    l.macros_from = "ue4cc";
    l.sections = {{"", {{"m", "A = 1\n"}}}};
    std::string top = write_config(l);
    CHECK(top.find("MAIN_X=1") < top.find("A = 1"));
    CHECK(top.find(".ifndef MAIN_X\n#line 3 \"ue4cc\"\nMAIN_X=1\n.endif\n") != std::string::npos);
    CHECK(top.find(".ifndef MAIN_V\n#line default\nMAIN_V=2\n.endif\n") != std::string::npos);
    l.sections = {{"", {{"m", "A = 1\nUPEX4CmacrosUPEX4C = 1\nB = 2\n"}}}};
    std::string placed = write_config(l);
    CHECK(placed.find("A = 1") < placed.find("MAIN_X=1"));
    CHECK(placed.find("UPEX4CmacrosUPEX4C") < placed.find("MAIN_X=1"));
    CHECK(placed.find("MAIN_V=2") < placed.find("B = 2"));
    CHECK(placed.find("#line 3 \"m\"\nB = 2") != std::string::npos);
    // An error in a generated macro's value names the settings file.
    l.macros = {{"MAIN_X", "1", "ue4cc", 3}, {"MAIN_X", "2", "ue4cc", 8}};
    l.sections = {};
    CHECK(read_error(write_config(l)) == "(no error)");  // .ifndef keeps the first one
  }

  TEST_CASE("assemble: a conf.d tree, settings, macros and a mapped error") {
    Tree t("tree");
    t.write("update-facteur.conf.conf",
            "dc_eximconfig_configtype='internet'\ndc_other_hostnames='example.org'\n");
    t.write("mailname", "mail.example.org\n");
    t.write("conf.d/main/00_local", "# local settings\nqualify_domain = ETC_MAILNAME\n");
    t.write("conf.d/main/10_domains", "domainlist local_domains = MAIN_LOCAL_DOMAINS\n");
    t.write("conf.d/main/10_local.conf", "this is never read\n");
    t.write("conf.d/acl/30_rcpt", "acl_check_rcpt:\n  accept domains = +local_domains\n");
    t.write("conf.d/router/100_r", "r:\n  driver = accept\n\n  transport = t\n");
    t.write("conf.d/transport/10_t", "t:\n  driver = appendfile\n");
    auto a = t.run();
    REQUIRE_MESSAGE(a, (a ? "" : a.error().message));
    CHECK(a->settings_path == t.path("update-facteur.conf.conf"));
    REQUIRE(a->diag.warnings.size() == 1);
    CHECK(a->diag.warnings[0].find("10_local.conf") != std::string::npos);
    auto cfg = read_string(a->text, t.path("out.conf"));
    REQUIRE_MESSAGE(cfg, (cfg ? "" : format_error(cfg.error())));
    CHECK(cfg->find_main("qualify_domain")->value == "mail.example.org");
    CHECK(cfg->find_main("qualify_domain")->loc.str() == t.path("conf.d/main/00_local") + ":2");
    CHECK(cfg->find_list("local_domains")->value == "@ : localhost : example.org");
    REQUIRE(cfg->routers.size() == 1);
    CHECK(cfg->routers[0].options[1].loc.str() == t.path("conf.d/router/100_r") + ":4");
    CHECK(cfg->transports.size() == 1);
    CHECK(cfg->acls.size() == 1);
    CHECK(a->text.find("# local settings") == std::string::npos);
    auto kept = t.run(true);
    REQUIRE(kept);
    CHECK(kept->text.find("# local settings") != std::string::npos);
  }

  TEST_CASE("assemble: update-exim4.conf.conf fallback, keepcomments setting, CFILEMODE") {
    Tree t("fallback");
    t.write("update-exim4.conf.conf",
            "dc_eximconfig_configtype='none'\nue4c_keepcomments='true'\nCFILEMODE='640'\n");
    t.write("conf.d/main/00", "# kept\n");
    auto a = t.run();
    REQUIRE(a);
    CHECK(a->settings_path == t.path("update-exim4.conf.conf"));
    CHECK(a->text.find("# kept") != std::string::npos);
    CHECK(a->file_mode == 0640);
    CHECK(a->text.find(".ifndef") == std::string::npos);  // none: no macros
    auto removed = t.run(false);
    REQUIRE(removed);
    CHECK(removed->text.find("# kept") == std::string::npos);
  }

  TEST_CASE("assemble: the non-split template with its local macros") {
    Tree t("template");
    t.write("update-facteur.conf.conf", "dc_use_split_config='false'\n");
    t.write("exim4.conf.template", "primary_hostname = LOCAL_NAME\nbogus = 1\n");
    t.write("facteur.conf.localmacros", "LOCAL_NAME = h.example\n");
    auto a = t.run();
    REQUIRE(a);
    auto cfg = read_string(a->text, "gen.conf");
    REQUIRE_FALSE(cfg);
    CHECK(format_error(cfg.error()) ==
          t.path("exim4.conf.template") + ":2: main option \"bogus\" unknown");
  }

  TEST_CASE("assemble: errors") {
    Tree t("errors");
    CHECK(t.run().error().message == "no " + t.path("update-facteur.conf.conf") + " (nor " +
                                         t.path("update-exim4.conf.conf") + ")");
    t.write("update-facteur.conf.conf", "dc_use_split_config='maybe'\n");
    auto bad = t.run();
    REQUIRE_FALSE(bad);
    CHECK(format_error(bad.error()) == t.path("update-facteur.conf.conf") +
                                           ":1: invalid value for dc_use_split_config: \"maybe\"");
    t.write("update-facteur.conf.conf", "dc_use_split_config='false'\n");
    CHECK(t.run().error().message.starts_with("dc_use_split_config is false and there is no "));
    t.write("update-facteur.conf.conf", "\n");
    fs::remove_all(t.root / "conf.d");
    CHECK(t.run().error().message ==
          "no " + t.path("conf.d") + " folder (dc_use_split_config is true)");
  }
}
