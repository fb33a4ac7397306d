#include "engine/log.h"

#include <doctest/doctest.h>
#include <syslog.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace {

template <class R>
std::string why(const R& r) {
  return r.ok() ? std::string() : r.error().message;
}

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/facteur-log-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
  std::string path;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs `fn` with TZ=UTC, restoring the previous zone.
struct Utc {
  Utc() {
    const char* tz = getenv("TZ");
    if (tz) old = tz, had = true;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  ~Utc() {
    if (had)
      setenv("TZ", old.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  std::string old;
  bool had = false;
};

// 2026-11-24 06:40:00.123 UTC
timespec fixed_time() {
  return {1795502400, 123456789};
}

}  // namespace

TEST_SUITE("engine.log") {
  TEST_CASE("log_file_path items") {
    auto a = engine::log_config_parse("/var/log/facteur/%slog", "/spool");
    REQUIRE(a);
    CHECK(a->file_templates == std::vector<std::string>{"/var/log/facteur/%slog"});
    CHECK_FALSE(a->to_syslog);
    auto b = engine::log_config_parse(":syslog", "/spool");
    REQUIRE(b);
    CHECK(b->file_templates == std::vector<std::string>{"/spool/log/%slog"});
    CHECK(b->to_syslog);
    auto c = engine::log_config_parse("syslog", "/spool");
    REQUIRE(c);
    CHECK(c->file_templates.empty());
    auto d = engine::log_config_parse("", "/spool");
    REQUIRE(d);
    CHECK(d->file_templates == std::vector<std::string>{"/spool/log/%slog"});
    auto e = engine::log_config_parse("/a/%s : syslog : /b/%s", "/spool");
    REQUIRE(e);
    CHECK(e->file_templates == std::vector<std::string>{"/a/%s"});
    CHECK_FALSE(e->to_syslog);
    auto bad = engine::log_config_parse("/var/log/mainlog", "/spool");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("%s") != std::string::npos);
  }

  TEST_CASE("file names with %s, %D, %M; the panic log is not datestamped") {
    Utc utc;
    std::time_t t = fixed_time().tv_sec;
    struct {
      const char* tmpl;
      const char* main;
      const char* panic;
    } cases[] = {
        // The four examples of section 53.3.
        {"/var/spool/exim/log/%slog-%D", "/var/spool/exim/log/mainlog-20261124",
         "/var/spool/exim/log/paniclog"},
        {"/var/log/exim-%s-%D.log", "/var/log/exim-main-20261124.log", "/var/log/exim-panic.log"},
        {"/var/spool/exim/log/%D-%slog", "/var/spool/exim/log/20261124-mainlog",
         "/var/spool/exim/log/paniclog"},
        {"/var/log/exim/%s.%M", "/var/log/exim/main.202611", "/var/log/exim/panic"},
        {"/l/%slog", "/l/mainlog", "/l/paniclog"},
        {"/l/100%%/%s", "/l/100%/main", "/l/100%/panic"},
    };
    for (auto& c : cases) {
      CHECK(engine::log_file_name(c.tmpl, "main", t) == c.main);
      CHECK(engine::log_file_name(c.tmpl, "panic", t) == c.panic);
    }
  }

  TEST_CASE("time stamps") {
    Utc utc;
    engine::LogConfig cfg;
    engine::Logger plain(cfg);
    CHECK(plain.stamp(fixed_time()) == "2026-11-24 06:40:00 ");
    auto sel = engine::log_selector_parse("+millisec +pid");
    REQUIRE(sel);
    cfg.selector = *sel;
    cfg.log_timezone = true;
    engine::Logger full(cfg);
    CHECK(full.stamp(fixed_time()) ==
          "2026-11-24 06:40:00.123 +0000 [" + std::to_string(getpid()) + "] ");
    CHECK(full.stamp(fixed_time(), false) == "2026-11-24 06:40:00.123 +0000 ");
  }

  TEST_CASE("main, reject and panic files") {
    Utc utc;
    TempDir dir;
    auto cfg = engine::log_config_parse(dir.path + "/%slog", "/unused");
    REQUIRE(cfg);
    engine::Logger log(*cfg, fixed_time);
    log.mainlog("1xVkSX-0008Qu-3A <= a@b H=(x) [1.2.3.4] P=esmtp S=10");
    log.write(engine::kLogMain | engine::kLogReject,
              "H=(x) [1.2.3.4] rejected RCPT <c@d>: relay not permitted");
    log.rejectlog("H=(x) [1.2.3.4] F=<a@b> rejected after DATA: bad\nEnvelope-from: <a@b>\n");
    log.paniclog("something broke");
    CHECK(slurp(dir.path + "/mainlog") ==
          "2026-11-24 06:40:00 1xVkSX-0008Qu-3A <= a@b H=(x) [1.2.3.4] P=esmtp S=10\n"
          "2026-11-24 06:40:00 H=(x) [1.2.3.4] rejected RCPT <c@d>: relay not permitted\n");
    CHECK(slurp(dir.path + "/rejectlog") ==
          "2026-11-24 06:40:00 H=(x) [1.2.3.4] rejected RCPT <c@d>: relay not permitted\n"
          "2026-11-24 06:40:00 H=(x) [1.2.3.4] F=<a@b> rejected after DATA: bad\n"
          "Envelope-from: <a@b>\n");
    CHECK(slurp(dir.path + "/paniclog") == "2026-11-24 06:40:00 something broke\n");
  }

  TEST_CASE("write_rejectlog = false, a renamed log, a missing directory") {
    TempDir dir;
    auto cfg = engine::log_config_parse(dir.path + "/sub/%slog", "/unused");
    REQUIRE(cfg);
    cfg->write_rejectlog = false;
    engine::Logger log(*cfg);
    log.write(engine::kLogMain | engine::kLogReject, "one");
    CHECK_FALSE(fs::exists(dir.path + "/sub/rejectlog"));
    fs::rename(dir.path + "/sub/mainlog", dir.path + "/sub/mainlog.0");  // exicyclog
    log.mainlog("two");
    CHECK(slurp(dir.path + "/sub/mainlog.0").ends_with(" one\n"));
    CHECK(slurp(dir.path + "/sub/mainlog").ends_with(" two\n"));
  }

  TEST_CASE("a log that cannot be opened is reported in the panic log, then syslog") {
    TempDir dir;
    fs::create_directory(dir.path + "/mainlog");  // a directory where the file should be
    std::vector<std::pair<int, std::string>> seen;
    auto cfg = engine::log_config_parse(dir.path + "/%slog", "/unused");
    REQUIRE(cfg);
    engine::Logger log(*cfg, {}, [&](int p, std::string_view l) { seen.emplace_back(p, l); });
    log.mainlog("lost line");
    CHECK(slurp(dir.path + "/paniclog")
              .find("Cannot open main log file \"" + dir.path + "/mainlog\": Is a directory") !=
          std::string::npos);
    CHECK(seen.empty());
    fs::remove(dir.path + "/paniclog");
    fs::create_directory(dir.path + "/paniclog");
    log.mainlog("lost again");
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].first == LOG_CRIT);
    CHECK(seen[0].second.ends_with("lost again"));
  }

  TEST_CASE("syslog: priorities, no time stamp, split lines") {
    Utc utc;
    std::vector<std::pair<int, std::string>> seen;
    engine::LogConfig cfg;
    cfg.to_syslog = true;
    cfg.syslog_timestamp = false;
    engine::Logger log(cfg, fixed_time,
                       [&](int p, std::string_view l) { seen.emplace_back(p, l); });
    log.mainlog("short line");
    REQUIRE(seen.size() == 1);
    CHECK(seen[0] == std::pair<int, std::string>{LOG_INFO, "short line"});
    seen.clear();
    log.write(engine::kLogMain | engine::kLogReject, "rejected\nRecipients: a@b");
    REQUIRE(seen.size() == 4);
    CHECK(seen[0] == std::pair<int, std::string>{LOG_NOTICE, "[1\\2] rejected"});
    CHECK(seen[1] == std::pair<int, std::string>{LOG_NOTICE, "[2/2] Recipients: a@b"});
    CHECK(seen[2].first == LOG_INFO);
    seen.clear();
    log.mainlog(std::string(1000, 'x'));
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].second == "[1/2] " + std::string(870, 'x'));
    CHECK(seen[1].second == "[2/2] " + std::string(130, 'x'));
    seen.clear();
    cfg.syslog_timestamp = true;
    cfg.syslog_duplication = false;
    engine::Logger log2(cfg, fixed_time,
                        [&](int p, std::string_view l) { seen.emplace_back(p, l); });
    log2.write(engine::kLogMain | engine::kLogReject, "once");
    REQUIRE(seen.size() == 1);
    CHECK(seen[0] == std::pair<int, std::string>{LOG_NOTICE, "2026-11-24 06:40:00 once"});
  }

  TEST_CASE("concurrent writers never interleave within a line") {
    TempDir dir;
    auto cfg = engine::log_config_parse(dir.path + "/%slog", "/unused");
    REQUIRE(cfg);
    engine::Logger log(*cfg);
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t)
      ts.emplace_back([&, t] {
        std::string body(200 + t * 50, static_cast<char>('a' + t));
        for (int i = 0; i < 500; ++i) log.mainlog(body);
      });
    for (auto& th : ts) th.join();
    std::istringstream in(slurp(dir.path + "/mainlog"));
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      std::string body = line.substr(20);
      REQUIRE_MESSAGE(body.find_first_not_of(body[0]) == std::string::npos, line);
    }
    CHECK(n == 2000);
  }

  TEST_CASE("message logs") {
    Utc utc;
    TempDir dir;
    engine::LogConfig cfg;
    auto sel = engine::log_selector_parse("+pid");
    REQUIRE(sel);
    cfg.selector = *sel;
    engine::Logger log(cfg, fixed_time);
    std::string path = dir.path + "/msglog/X/1xVkSX-0008Qu-3A";
    fs::create_directories(dir.path + "/msglog");
    REQUIRE(log.msglog(path, "Received from a@b P=local S=10"));
    CHECK(slurp(path) == "2026-11-24 06:40:00 Received from a@b P=local S=10\n");
  }

  TEST_CASE("options from a configuration") {
    auto conf = engine::config::read_string(
        "spool_directory = /s\n"
        "log_file_path = :syslog\n"
        "log_selector = +subject\n"
        "log_timezone = true\n"
        "syslog_facility = local3\n"
        "no_write_rejectlog\n",
        "t.conf");
    REQUIRE_MESSAGE(conf, why(conf));
    lang::EvalContext ctx;
    auto lc = engine::log_config_from_config(*conf, ctx);
    REQUIRE_MESSAGE(lc, why(lc));
    CHECK(lc->file_templates == std::vector<std::string>{"/s/log/%slog"});
    CHECK(lc->to_syslog);
    CHECK(lc->selector.on(engine::LogItem::Subject));
    CHECK(lc->log_timezone);
    CHECK_FALSE(lc->write_rejectlog);
    CHECK(lc->syslog_facility == LOG_LOCAL3);
    auto bad = engine::config::read_string("log_selector = +nonsense\n", "t.conf");
    REQUIRE(bad);
    auto r = engine::log_config_from_config(*bad, ctx);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "unknown log_selector setting: +nonsense");
  }
}
