#include "engine/queue_cmds.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

namespace {

struct Env {
  Env() {
    char tmpl[] = "/tmp/facteur-qc-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    layout.directory = tmpl;
    REQUIRE(engine::spool_make_dirs(layout));
    engine::SpoolCommitter c({16, engine::SpoolSync::kNone, 1});
    engine::SpoolMessage m;
    m.id = id;
    m.sender = "a@x.example";
    m.recipients.push_back({});
    m.recipients[0].address = "b@y.example";
    REQUIRE(engine::spool_write_message(c, layout, m, "the body\n"));
  }
  ~Env() { std::filesystem::remove_all(layout.directory); }
  int run(const std::string& option, std::vector<std::string> ids) {
    out.clear();
    char* buf = nullptr;
    size_t len = 0;
    engine::QueueCommandEnv e;
    e.layout = layout;
    e.user = "admin";
    e.out = e.err = open_memstream(&buf, &len);
    int rc = engine::run_queue_command(e, option, ids);
    std::fclose(e.out);
    out.assign(buf, len);
    std::free(buf);
    return rc;
  }
  engine::SpoolLayout layout;
  std::string id = "1xYiks-0002wi-1F";
  std::string out;
};

}  // namespace

TEST_SUITE("queue_cmds") {
  TEST_CASE("freeze and thaw, as Exim words them") {
    Env e;
    CHECK(e.run("-Mf", {e.id}) == 0);
    CHECK(e.out == "Message " + e.id + " is now frozen\n");
    CHECK(e.run("-Mf", {e.id}) == 1);
    CHECK(e.out == "Message " + e.id + " is already frozen\n");
    CHECK(engine::spool_read_header(e.layout, e.id)->flag("frozen"));
    CHECK(e.run("-Mt", {e.id}) == 0);
    CHECK(e.out == "Message " + e.id + " is no longer frozen\n");
    CHECK(e.run("-Mt", {e.id}) == 1);
    CHECK(e.out == "Message " + e.id + " is not frozen\n");
    CHECK(engine::spool_read_header(e.layout, e.id)->flag("manual_thaw"));
  }

  TEST_CASE("views, removal, bad ids") {
    Env e;
    CHECK(e.run("-Mvb", {e.id}) == 0);
    CHECK(e.out == e.id + "-D\nthe body\n");
    CHECK(e.run("-Mvh", {e.id}) == 0);
    CHECK(e.out.rfind(e.id + "-H\n", 0) == 0);
    CHECK(e.run("-Mvl", {e.id}) == 1);
    CHECK(e.out == "Failed to open msglog file for " + e.id + ": No such file or directory\n");
    CHECK(e.run("-Mrm", {e.id}) == 0);
    CHECK(e.out == "Message " + e.id + " has been removed\n");
    CHECK(e.run("-Mrm", {e.id}) == 1);
    CHECK(e.out == "Message " + e.id + " has been removed or did not exist\n");
    CHECK(e.run("-Mf", {"nonsense"}) == 1);
    CHECK(e.out == "facteur: malformed message id nonsense after -Mf option\n");
  }
}
