#include "engine/spool.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/message_id.h"
#include "engine/spool_io.h"

namespace fs = std::filesystem;
using engine::SpoolLayout;
using engine::SpoolMessage;

namespace {

template <class R>
std::string why(const R& r) {
  return r.ok() ? std::string() : r.error().message;
}

struct TempSpool {
  TempSpool(bool split = false) {
    char tmpl[] = "/tmp/facteur-spool-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    layout.directory = tmpl;
    layout.split = split;
    REQUIRE(engine::spool_make_dirs(layout));
  }
  ~TempSpool() { fs::remove_all(layout.directory); }
  SpoolLayout layout;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

SpoolMessage message(std::string id, std::string rcpt = "bob@example.net") {
  SpoolMessage m;
  m.id = std::move(id);
  m.sender = "alice@example.org";
  m.received_time = 1795503417;
  m.set_var("received_protocol", "esmtp");
  engine::SpoolRecipient r;
  r.address = std::move(rcpt);
  m.recipients.push_back(r);
  m.headers.push_back({' ', "Subject: hi\n"});
  return m;
}

bool exists(const std::string& p) {
  return fs::exists(p);
}

}  // namespace

TEST_SUITE("engine.spool") {
  TEST_CASE("paths, plain and split") {
    SpoolLayout l{"/var/spool/facteur", false};
    CHECK(l.data_path("1xVkSX-0008Qu-3A") == "/var/spool/facteur/input/1xVkSX-0008Qu-3A-D");
    CHECK(l.header_path("1xVkSX-0008Qu-3A") == "/var/spool/facteur/input/1xVkSX-0008Qu-3A-H");
    CHECK(l.msglog_path("1xVkSX-0008Qu-3A") == "/var/spool/facteur/msglog/1xVkSX-0008Qu-3A");
    l.split = true;
    CHECK(l.header_path("1xVkSX-0008Qu-3A") == "/var/spool/facteur/input/X/1xVkSX-0008Qu-3A-H");
    CHECK(l.msglog_path("1xVkSX-0008Qu-3A") == "/var/spool/facteur/msglog/X/1xVkSX-0008Qu-3A");
  }

  TEST_CASE("a message written, committed and read back") {
    for (bool split : {false, true}) {
      TempSpool t(split);
      engine::SpoolCommitter c;
      auto d = engine::SpoolData::create(t.layout, "1xVkSX-0008Qu-3A");
      REQUIRE(d);
      REQUIRE(d->write("hello\n"));
      REQUIRE(d->write(std::string("a\0b\n", 4)));
      CHECK(d->body_lines() == 2);
      CHECK(d->body_zeros() == 1);
      SpoolMessage m = message("1xVkSX-0008Qu-3A");
      m.set_var("body_linecount", std::to_string(d->body_lines()));
      auto p = engine::spool_prepare(std::move(*d), m);
      REQUIRE(p);
      CHECK_FALSE(exists(t.layout.header_path(m.id)));  // not before the commit
      auto s = c.commit(std::move(*p));
      REQUIRE_MESSAGE(s, why(s));
      CHECK(slurp(t.layout.data_path(m.id)) ==
            std::string("1xVkSX-0008Qu-3A-D\nhello\na\0b\n", 29));
      CHECK(engine::spool_data_size(t.layout, m.id) == 10);
      auto back = engine::spool_read_header(t.layout, m.id);
      REQUIRE_MESSAGE(back, why(back));
      CHECK(*back == m);
      CHECK(engine::spool_list_ids(t.layout) == std::vector<std::string>{m.id});
      CHECK_FALSE(exists(t.layout.data_path(m.id) + ".tmp"));
      CHECK_FALSE(exists(t.layout.header_path(m.id) + ".tmp"));
    }
  }

  TEST_CASE("abandoned messages leave nothing behind") {
    TempSpool t;
    {
      auto d = engine::SpoolData::create(t.layout, "1xVkSX-0008Qu-3A");
      REQUIRE(d);
      CHECK(exists(t.layout.data_path("1xVkSX-0008Qu-3A")));  // locked while written
      CHECK(engine::spool_list_ids(t.layout).empty());        // not a message without -H
    }
    {
      auto d = engine::SpoolData::create(t.layout, "1xVkSX-0008Qu-3B");
      REQUIRE(d);
      auto p = engine::spool_prepare(std::move(*d), message("1xVkSX-0008Qu-3B"));
      REQUIRE(p);
      CHECK(exists(t.layout.header_path("1xVkSX-0008Qu-3B") + ".tmp"));
    }
    CHECK(fs::is_empty(t.layout.directory + "/input"));
  }

  TEST_CASE("an id already in the queue is never replaced") {
    TempSpool t;
    engine::SpoolCommitter c;
    REQUIRE(engine::spool_write_message(c, t.layout, message("1xVkSX-0008Qu-3A"), "one\n"));
    auto again =
        engine::spool_write_message(c, t.layout, message("1xVkSX-0008Qu-3A", "x@y"), "two\n");
    REQUIRE_FALSE(again);
    CHECK(again.error().message.find("File exists") != std::string::npos);
    auto back = engine::spool_read_header(t.layout, "1xVkSX-0008Qu-3A");
    REQUIRE(back);
    CHECK(back->recipients[0].address == "bob@example.net");
    CHECK(slurp(t.layout.data_path("1xVkSX-0008Qu-3A")).ends_with("one\n"));
    CHECK(std::distance(fs::directory_iterator(t.layout.directory + "/input"), {}) == 2);
  }

  // Deterministic: the first directory sync waits (start_paused) until every writer's first
  // message is renamed into place, so it covers all of them; after that each writer has one
  // message in flight at a time, so no sync can cover more than kThreads. The stats are counted
  // before the acknowledgements, so they are complete once the writers return.
  TEST_CASE("group commit: concurrent writers share passes, each acknowledged when durable") {
    TempSpool t;
    engine::CommitterOptions o;
    o.start_paused = true;
    o.dir_sync = engine::DirSync::kAlways;  // whatever the file system of the test's spool
    engine::SpoolCommitter c(o);
    engine::MessageIdSource ids(static_cast<uint64_t>(getpid()));
    constexpr int kThreads = 8, kEach = 10;
    std::atomic<int> ok{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < kThreads; ++i)
      ts.emplace_back([&] {
        for (int k = 0; k < kEach; ++k) {
          std::string id = ids.next().id;
          if (!engine::spool_write_message(c, t.layout, message(id), "body\n")) continue;
          // Acknowledged: both files must be there, complete.
          if (engine::spool_read_header(t.layout, id) && engine::spool_data_size(t.layout, id) == 5)
            ++ok;
        }
      });
    while (c.ready() < static_cast<size_t>(kThreads)) std::this_thread::yield();
    CHECK(c.stats().batches == 0);
    c.resume();
    for (auto& th : ts) th.join();
    CHECK(ok == kThreads * kEach);
    CHECK(engine::spool_list_ids(t.layout).size() == static_cast<size_t>(kThreads * kEach));
    auto st = c.stats();
    CHECK(st.messages == static_cast<uint64_t>(kThreads * kEach));
    CHECK(st.max_batch == static_cast<uint64_t>(kThreads));
    CHECK(st.batches <= st.messages - kThreads + 1);
    MESSAGE("batches: ", st.batches, " for ", st.messages, " messages, largest ", st.max_batch);
  }

  TEST_CASE("the directory fsync is skipped only where fsync of the file covers the rename") {
    CHECK_FALSE(engine::spool_fsync_covers_rename("/proc"));
    CHECK_FALSE(engine::spool_fsync_covers_rename("/nonexistent/dir"));
    if (fs::exists("/dev/shm"))
      CHECK_FALSE(engine::spool_fsync_covers_rename("/dev/shm"));  // tmpfs
    // Whatever the test's own file system says, commits work and the files are in place.
    for (engine::DirSync ds : {engine::DirSync::kAuto, engine::DirSync::kAlways}) {
      TempSpool t;
      engine::CommitterOptions o;
      o.dir_sync = ds;
      engine::SpoolCommitter c(o);
      REQUIRE(engine::spool_write_message(c, t.layout, message("1xVkSX-0008Qu-3A"), "x\n"));
      CHECK(engine::spool_read_header(t.layout, "1xVkSX-0008Qu-3A"));
      CHECK(c.stats().batches ==
            (ds == engine::DirSync::kAlways ||
                     !engine::spool_fsync_covers_rename(t.layout.directory + "/input")
                 ? 1U
                 : 0U));
    }
  }

  TEST_CASE("asynchronous submit calls back after the files are in place") {
    TempSpool t;
    std::atomic<bool> seen{false};
    {
      engine::SpoolCommitter c;
      auto d = engine::SpoolData::create(t.layout, "1xVkSX-0008Qu-3A");
      REQUIRE(d);
      auto p = engine::spool_prepare(std::move(*d), message("1xVkSX-0008Qu-3A"));
      REQUIRE(p);
      c.submit(std::move(*p), [&](engine::SpoolStatus s) {
        seen = s.ok() && fs::exists(t.layout.header_path("1xVkSX-0008Qu-3A"));
      });
    }  // the destructor drains the queue
    CHECK(seen);
  }

  TEST_CASE("start-up recovery removes orphans and leaves live writers alone") {
    TempSpool t(true);
    engine::SpoolCommitter c;
    REQUIRE(engine::spool_write_message(c, t.layout, message("1xVkSX-0008Qu-3A"), "ok\n"));
    auto touch = [&](const std::string& path) {
      fs::create_directories(fs::path(path).parent_path());
      std::ofstream(path) << "x\n";
    };
    std::string d_only = t.layout.data_path("1xVkSX-0008Qu-3B");
    std::string h_only = t.layout.header_path("1xVkSX-0008Qu-3C");
    std::string tmp_d = t.layout.data_path("1xVkSY-0008Qu-3D") + ".tmp";
    std::string tmp_h = t.layout.header_path("1xVkSY-0008Qu-3D") + ".tmp";
    std::string other = t.layout.directory + "/input/README";
    for (auto* p : {&d_only, &h_only, &tmp_d, &tmp_h, &other}) touch(*p);
    auto live = engine::SpoolData::create(t.layout, "1xVkSZ-0008Qu-3E");  // locked, in progress
    REQUIRE(live);
    auto rep = engine::spool_recover(t.layout);
    REQUIRE(rep);
    CHECK(rep->removed.size() == 4);
    CHECK_FALSE(exists(d_only));
    CHECK_FALSE(exists(h_only));
    CHECK_FALSE(exists(tmp_d));
    CHECK_FALSE(exists(tmp_h));
    CHECK(exists(other));
    CHECK(exists(t.layout.header_path("1xVkSX-0008Qu-3A")));
    CHECK(rep->skipped == std::vector<std::string>{t.layout.data_path("1xVkSZ-0008Qu-3E")});
    CHECK(engine::spool_list_ids(t.layout) == std::vector<std::string>{"1xVkSX-0008Qu-3A"});
  }

  TEST_CASE("reading a missing or damaged -H file") {
    TempSpool t;
    auto missing = engine::spool_read_header(t.layout, "1xVkSX-0008Qu-3A");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("No such file") != std::string::npos);
    std::ofstream(t.layout.header_path("1xVkSX-0008Qu-3A")) << "1xVkSX-0008Qu-3A-H\nroot 0 0\n";
    auto bad = engine::spool_read_header(t.layout, "1xVkSX-0008Qu-3A");
    REQUIRE_FALSE(bad);
    CHECK(
        bad.error().message ==
        "format error in spool file 1xVkSX-0008Qu-3A-H: line 3: file ends before the sender line");
    CHECK(engine::spool_data_size(t.layout, "1xVkSX-0008Qu-3A") == -1);
  }

  TEST_CASE("SIGKILL while writing: every acknowledged message is whole, nothing half-written") {
    TempSpool t;
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // the writer: 4 threads, acknowledges each id on the pipe
      close(fds[0]);
      engine::SpoolCommitter c;
      engine::MessageIdSource ids(static_cast<uint64_t>(getpid()));
      std::vector<std::thread> ts;
      for (int i = 0; i < 4; ++i)
        ts.emplace_back([&] {
          for (;;) {
            std::string id = ids.next().id;
            if (!engine::spool_write_message(c, t.layout, message(id), std::string(3000, 'b')))
              continue;
            std::string line = id + "\n";
            if (write(fds[1], line.data(), line.size()) < 0) _exit(1);
          }
        });
      for (auto& th : ts) th.join();
      _exit(0);
    }
    close(fds[1]);
    usleep(300 * 1000);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    std::string acked;
    char buf[4096];
    ssize_t n = 0;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) acked.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    auto rep = engine::spool_recover(t.layout);
    REQUIRE(rep);
    CHECK(rep->skipped.empty());
    std::istringstream in(acked);
    std::string id;
    int count = 0;
    while (std::getline(in, id)) {
      ++count;
      CHECK_MESSAGE(engine::spool_read_header(t.layout, id), id);
      CHECK(engine::spool_data_size(t.layout, id) == 3000);
    }
    MESSAGE(count, " messages acknowledged before SIGKILL, ", rep->removed.size(),
            " orphan files removed");
    for (const auto& qid : engine::spool_list_ids(t.layout)) {
      CHECK_MESSAGE(engine::spool_read_header(t.layout, qid), qid);
      CHECK(engine::spool_data_size(t.layout, qid) == 3000);
    }
    for (const auto& e : fs::directory_iterator(t.layout.directory + "/input"))
      CHECK_FALSE_MESSAGE(e.path().string().ends_with(".tmp"), e.path().string());
  }
}
