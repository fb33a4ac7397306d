#include "engine/hints_db.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using engine::HintsDb;
using engine::HintsOptions;
using engine::HintsRecord;

namespace {

struct TempSpool {
  TempSpool() {
    char tmpl[] = "/tmp/facteur-hints-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempSpool() { fs::remove_all(path); }
  std::string path;
};

std::shared_ptr<HintsDb> open_db(const std::string& spool, HintsOptions o = {}) {
  auto db = HintsDb::open(spool, "test", std::move(o));
  REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.error().message));
  return db.value();
}

std::string get_data(HintsDb& db, const std::string& key) {
  auto r = db.get(key);
  REQUIRE(r.ok());
  return r.value() ? r.value()->data : "(none)";
}

// Adds one to the decimal counter stored under `key`.
void increment(HintsDb& db, const std::string& key) {
  auto r = db.update(key, [](const std::optional<HintsRecord>& cur) -> std::optional<std::string> {
    long n = cur ? std::atol(cur->data.c_str()) : 0;
    return std::to_string(n + 1);
  });
  REQUIRE(r.ok());
}

// Runs `fn` in a child process; true when it exited 0.
template <class F>
bool in_child(F fn) {
  pid_t pid = fork();
  if (pid == 0) {
    fn();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

TEST_SUITE("engine.hints_db") {
  TEST_CASE("records are written, read, replaced and removed") {
    TempSpool t;
    auto db = open_db(t.path);
    CHECK(get_data(*db, "a") == "(none)");
    REQUIRE(db->put("a", "one").ok());
    REQUIRE(db->put("b", std::string("two\0bytes", 9)).ok());
    CHECK(get_data(*db, "a") == "one");
    CHECK(get_data(*db, "b") == std::string("two\0bytes", 9));
    REQUIRE(db->put("a", "uno").ok());
    CHECK(get_data(*db, "a") == "uno");
    REQUIRE(db->remove("a").ok());
    CHECK(get_data(*db, "a") == "(none)");
    CHECK(fs::exists(t.path + "/db/test.fdb"));
    CHECK(fs::exists(t.path + "/db/test.fdb.lockfile"));
  }

  TEST_CASE("the same path gives the same object within a process") {
    TempSpool t;
    auto a = open_db(t.path);
    auto b = open_db(t.path);
    CHECK(a.get() == b.get());
  }

  TEST_CASE("another process sees what was written, and its writes are seen") {
    TempSpool t;
    auto db = open_db(t.path);
    REQUIRE(db->put("parent", "1").ok());
    CHECK(in_child([&] {
      auto child = HintsDb::open(t.path, "test");
      if (!child.ok() || !child.value()->get("parent").ok()) _exit(1);
      auto seen = child.value()->get("parent").value();
      if (!seen || seen->data != "1") _exit(2);
      if (!child.value()->put("child", "2").ok()) _exit(3);
    }));
    CHECK(get_data(*db, "child") == "2");
  }

  TEST_CASE("updates from threads and processes are never lost") {
    TempSpool t;
    auto db = open_db(t.path);
    constexpr int kEach = 150;
    std::vector<pid_t> kids;
    for (int p = 0; p < 2; ++p) {
      pid_t pid = fork();
      if (pid == 0) {
        auto child = HintsDb::open(t.path, "test");
        if (!child.ok()) _exit(1);
        for (int i = 0; i < kEach; ++i)
          if (!child.value()
                   ->update("n",
                            [](const std::optional<HintsRecord>& cur) {
                              return std::optional<std::string>(
                                  std::to_string((cur ? std::atol(cur->data.c_str()) : 0) + 1));
                            })
                   .ok())
            _exit(2);
        _exit(0);
      }
      kids.push_back(pid);
    }
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; ++i)
      threads.emplace_back([&] {
        for (int j = 0; j < kEach; ++j) increment(*db, "n");
      });
    for (auto& th : threads) th.join();
    for (pid_t k : kids) {
      int status = 0;
      waitpid(k, &status, 0);
      CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    CHECK(get_data(*db, "n") == std::to_string(5 * kEach));
  }

  TEST_CASE("a torn record left by a crash is ignored, then cut off") {
    TempSpool t;
    auto db = open_db(t.path);
    REQUIRE(db->put("k", "v").ok());
    std::string file = t.path + "/db/test.fdb";
    auto good = fs::file_size(file);
    {
      std::ofstream f(file, std::ios::app | std::ios::binary);
      f << std::string("\x30\x00\x00\x00garbage", 11);  // a length, then too few bytes
    }
    CHECK(get_data(*db, "k") == "v");
    REQUIRE(db->put("k2", "v2").ok());
    CHECK(get_data(*db, "k2") == "v2");
    CHECK(fs::file_size(file) > good);
    CHECK(in_child([&] {  // a fresh reader sees both records and no garbage
      auto other = HintsDb::open(t.path, "test");
      if (!other.ok()) _exit(1);
      auto a = other.value()->get("k"), b = other.value()->get("k2");
      if (!a.ok() || !b.ok() || !a.value() || !b.value() || b.value()->data != "v2") _exit(2);
    }));
  }

  TEST_CASE("a damaged checksum hides the record instead of returning garbage") {
    TempSpool t;
    auto db = open_db(t.path);
    REQUIRE(db->put("k", "value").ok());
    std::string file = t.path + "/db/test.fdb";
    {
      std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(-1, std::ios::end);
      f.put('X');
    }
    CHECK(in_child([&] {
      auto other = HintsDb::open(t.path, "test");
      if (!other.ok()) _exit(1);
      auto a = other.value()->get("k");
      if (!a.ok() || a.value()) _exit(2);
    }));
  }

  TEST_CASE("records older than max_age expire") {
    TempSpool t;
    int64_t now = 1'000'000'000'000'000;
    HintsOptions o;
    o.max_age_seconds = 60;
    o.clock = [&now] { return now; };
    auto db = open_db(t.path, o);
    REQUIRE(db->put("old", "x").ok());
    now += 30'000'000;
    CHECK(get_data(*db, "old") == "x");
    now += 31'000'000;
    CHECK(get_data(*db, "old") == "(none)");
    auto r = db->get("old");
    REQUIRE(r.ok());
    CHECK_FALSE(r.value().has_value());
  }

  TEST_CASE("the log is compacted: many updates of few keys keep the file small") {
    TempSpool t;
    auto db = open_db(t.path);
    for (int i = 0; i < 4000; ++i) increment(*db, "key" + std::to_string(i % 8));
    CHECK(get_data(*db, "key3") == "500");
    CHECK(fs::file_size(t.path + "/db/test.fdb") < 80 * 1024);
    REQUIRE(db->compact().ok());
    CHECK(fs::file_size(t.path + "/db/test.fdb") < 1024);
    CHECK(get_data(*db, "key7") == "500");
  }

  TEST_CASE("beyond max_records the oldest records go") {
    TempSpool t;
    int64_t now = 1'000'000;
    HintsOptions o;
    o.max_records = 10;
    o.clock = [&now] { return now; };
    auto db = open_db(t.path, o);
    for (int i = 0; i < 30; ++i) {
      now += 1'000'000;
      REQUIRE(db->put("k" + std::to_string(i), "v").ok());
    }
    size_t n = 0;
    REQUIRE(db->for_each([&n](std::string_view, const HintsRecord&) { ++n; }).ok());
    CHECK(n <= 10);
    CHECK(get_data(*db, "k29") == "v");
    CHECK(get_data(*db, "k0") == "(none)");
  }

  TEST_CASE("a file that is not a hints database is an error, not a crash") {
    TempSpool t;
    fs::create_directories(t.path + "/db");
    std::ofstream(t.path + "/db/test.fdb") << "this is something else entirely\n";
    auto db = HintsDb::open(t.path, "test");
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().message.find("is not a facteur hints database") != std::string::npos);
  }

  TEST_CASE("an unusable spool directory is an error naming it") {
    auto db = HintsDb::open("/proc/no-such-spool", "test");
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().message.find("/proc/no-such-spool") != std::string::npos);
  }
}
