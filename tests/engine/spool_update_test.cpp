#include "engine/spool_update.h"

#include <doctest/doctest.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace {

struct Spool {
  Spool() {
    char tmpl[] = "/tmp/facteur-su-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    layout.directory = tmpl;
    REQUIRE(engine::spool_make_dirs(layout));
    engine::SpoolCommitter c({16, engine::SpoolSync::kNone, 1});
    m.id = id;
    m.sender = "a@x.example";
    m.recipients.push_back({});
    m.recipients[0].address = "b@y.example";
    m.recipients.push_back({});
    m.recipients[1].address = "c@y.example";
    m.headers.push_back({' ', "Subject: s\n"});
    REQUIRE(engine::spool_write_message(c, layout, m, "body\n"));
  }
  ~Spool() { fs::remove_all(layout.directory); }
  engine::SpoolLayout layout;
  std::string id = "1xYiks-0002wi-1F";
  engine::SpoolMessage m;
};

}  // namespace

TEST_SUITE("spool_update") {
  TEST_CASE("the -D lock is exclusive, also within one process") {
    Spool s;
    auto a = engine::SpoolLock::acquire(s.layout, s.id);
    REQUIRE(a.ok());
    engine::SpoolLock::Failure why{};
    auto b = engine::SpoolLock::acquire(s.layout, s.id, &why);
    CHECK_FALSE(b.ok());
    CHECK(why == engine::SpoolLock::Failure::Locked);
    CHECK(b.error().message == "Spool file is locked (another process is handling this message)");
    { auto moved = std::move(*a); }
    CHECK(engine::SpoolLock::acquire(s.layout, s.id).ok());
    auto c = engine::SpoolLock::acquire(s.layout, "1xYiks-0002wi-1G", &why);
    CHECK(why == engine::SpoolLock::Failure::Missing);
    CHECK(c.error().message == "Spool data file for 1xYiks-0002wi-1G does not exist");
  }

  TEST_CASE("journal: append, read back, fold into -H, removal") {
    Spool s;
    {
      engine::SpoolJournal j(s.layout, s.id, true);
      REQUIRE(j.append({"b@y.example"}));
      REQUIRE(j.append({"x@z.example", "b@y.example"}));
    }
    auto lines = engine::spool_journal_read(s.layout, s.id);
    CHECK(lines == std::vector<std::string>{"b@y.example", "x@z.example", "b@y.example"});
    engine::SpoolMessage m = s.m;
    CHECK(engine::spool_journal_apply(lines, m));
    CHECK(m.non_recipients == std::vector<std::string>{"b@y.example", "x@z.example"});
    CHECK_FALSE(engine::spool_journal_apply(lines, m));
    REQUIRE(engine::spool_rewrite_header(s.layout, m, true));
    auto back = engine::spool_read_header(s.layout, s.id);
    REQUIRE(back.ok());
    CHECK(back->delivered("b@y.example"));
    CHECK_FALSE(back->delivered("c@y.example"));
    CHECK_FALSE(fs::exists(s.layout.header_path(s.id) + ".tmp"));
  }

  TEST_CASE("removal takes every file, -H first") {
    Spool s;
    engine::SpoolJournal j(s.layout, s.id, false);
    REQUIRE(j.append({"b@y.example"}));
    REQUIRE(engine::spool_remove_message(s.layout, s.id));
    CHECK_FALSE(fs::exists(s.layout.header_path(s.id)));
    CHECK_FALSE(fs::exists(s.layout.data_path(s.id)));
    CHECK_FALSE(fs::exists(engine::spool_journal_path(s.layout, s.id)));
    CHECK(engine::spool_list_ids(s.layout).empty());
  }

  TEST_CASE("recovery removes a journal left without its message") {
    Spool s;
    {
      std::FILE* f =
          std::fopen((s.layout.input_dir("1xYiks-0002wi-2A") + "/1xYiks-0002wi-2A-J").c_str(), "w");
      std::fputs("a@b\n", f);
      std::fclose(f);
    }
    engine::SpoolJournal j(s.layout, s.id, false);
    REQUIRE(j.append({"b@y.example"}));
    auto rep = engine::spool_recover(s.layout);
    REQUIRE(rep.ok());
    CHECK(rep->removed.size() == 1);
    CHECK(fs::exists(engine::spool_journal_path(s.layout, s.id)));
  }
}
