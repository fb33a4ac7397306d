#include "engine/deliver.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "engine/delivery_service.h"
#include "engine/spool_update.h"

namespace fs = std::filesystem;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A spool, a log folder and mailboxes in a temporary folder, and a configuration using them.
struct World {
  explicit World(std::string extra_routers = "", std::string retry = "* * F,1h,10m") {
    char tmpl[] = "/tmp/facteur-deliver-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    dir = tmpl;
    fs::create_directories(dir + "/mail");
    std::string text =
        "primary_hostname = mx.example\nqualify_domain = mx.example\n"
        "spool_directory = " +
        dir + "/spool\nlog_file_path = " + dir +
        "/%slog\n"
        "begin routers\n" +
        extra_routers +
        "bad:\n  driver = redirect\n  local_parts = bad\n"
        "  data = :fail: no such user here\n  allow_fail\n"
        "later:\n  driver = redirect\n  local_parts = later\n"
        "  data = :defer: mailbox is resting\n  allow_defer\n"
        "alias:\n  driver = redirect\n  local_parts = team\n"
        "  data = ann@mx.example, bob@mx.example\n"
        "hole:\n  driver = redirect\n  local_parts = hole\n  data = :blackhole:\n"
        "local:\n  driver = accept\n  transport = maildir\n"
        "begin transports\nmaildir:\n  driver = appendfile\n  directory = " +
        dir +
        "/mail/$local_part\n  maildir_format\n  create_directory\n"
        "  user = " +
        std::to_string(getuid()) + "\n  group = " + std::to_string(getgid()) +
        "\n"
        "begin retry\n" +
        retry + "\n";
    auto c = engine::config::read_string(text, dir + "/t.conf");
    std::string err = c.ok() ? "" : c.error().message;
    INFO(err);
    REQUIRE(c.ok());
    cfg = std::make_unique<engine::config::Config>(std::move(*c));
    auto s = engine::DeliveryService::create(*cfg, {2, engine::SpoolSync::kNone, false, false});
    std::string serr = s.ok() ? "" : s.error().message;
    INFO(serr);
    REQUIRE(s.ok());
    svc = std::move(*s);
  }
  ~World() {
    svc.reset();
    fs::remove_all(dir);
  }
  std::string submit(std::string sender, std::vector<std::string> rcpts, std::string subject,
                     unsigned dsn_flags = 0) {
    engine::LocalMessage m;
    m.sender = std::move(sender);
    for (auto& r : rcpts) {
      engine::SpoolRecipient sr;
      sr.address = r;
      if (dsn_flags) {
        sr.has_dsn = true;
        sr.dsn_flags = dsn_flags;
        sr.orcpt = "rfc822;" + r;
      }
      m.recipients.push_back(sr);
    }
    m.text = "Subject: " + subject + "\n\nbody of " + subject + "\n";
    auto id = svc->queue_submitter().submit(m);
    REQUIRE(id.ok());
    return *id;
  }
  size_t mailbox(const std::string& user) {
    std::string d = dir + "/mail/" + user + "/new";
    if (!fs::exists(d)) return 0;
    return static_cast<size_t>(std::distance(fs::directory_iterator(d), fs::directory_iterator()));
  }
  std::string log() { return read_text(dir + "/mainlog"); }
  std::vector<std::string> queue() { return engine::spool_list_ids(svc->layout()); }

  std::string dir;
  std::unique_ptr<engine::config::Config> cfg;
  std::unique_ptr<engine::DeliveryService> svc;
};

engine::DeliverRequest queue_run() {
  engine::DeliverRequest r;
  r.queue_run = true;
  return r;
}

}  // namespace

TEST_SUITE("deliver") {
  TEST_CASE("a local delivery: mailbox, log lines, the message leaves the spool") {
    World w;
    std::string id = w.submit("sender@client.example", {"ann@mx.example"}, "one");
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Completed);
    CHECK(w.mailbox("ann") == 1);
    std::string log = w.log();
    CHECK(log.find(id + " => ann <ann@mx.example> R=local T=maildir\n") != std::string::npos);
    CHECK(log.find(id + " Completed\n") != std::string::npos);
    CHECK(w.queue().empty());
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Missing);
  }

  TEST_CASE("a redirection to two mailboxes, a blackhole, a duplicate") {
    World w;
    std::string id = w.submit("s@client.example",
                              {"team@mx.example", "hole@mx.example", "ann@mx.example"}, "two");
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Completed);
    CHECK(w.mailbox("ann") == 1);  // once, though reached twice
    CHECK(w.mailbox("bob") == 1);
    std::string log = w.log();
    CHECK(log.find("=> bob <team@mx.example> R=local T=maildir") != std::string::npos);
    CHECK(log.find("=> :blackhole: <hole@mx.example> R=hole") != std::string::npos);
  }

  TEST_CASE("a failure is bounced to the sender as a DSN; the bounce is delivered") {
    World w;
    std::string id = w.submit("sender@mx.example", {"bad@mx.example", "ann@mx.example"}, "three");
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Completed);
    w.svc->drain();  // the bounce is delivered by the pool
    std::string log = w.log();
    CHECK(log.find(id + " ** bad@mx.example R=bad: no such user here\n") != std::string::npos);
    CHECK(log.find("<= <> R=" + id + " U=") != std::string::npos);
    REQUIRE(w.mailbox("sender") == 1);
    auto f = fs::directory_iterator(w.dir + "/mail/sender/new")->path().string();
    std::string bounce = read_text(f);
    CHECK(bounce.find("Subject: Mail delivery failed: returning message to sender") !=
          std::string::npos);
    CHECK(bounce.find("Final-Recipient: rfc822;bad@mx.example") != std::string::npos);
    CHECK(bounce.find("body of three") != std::string::npos);
  }

  TEST_CASE("a deferral keeps the message, with the delivered list updated") {
    World w;
    std::string id = w.submit("s@client.example", {"later@mx.example", "ann@mx.example"}, "four");
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Deferred);
    std::string log = w.log();
    CHECK(log.find(id + " == later@mx.example R=later defer (-1): mailbox is resting\n") !=
          std::string::npos);
    auto m = engine::spool_read_header(w.svc->layout(), id);
    REQUIRE(m.ok());
    CHECK(m->delivered("ann@mx.example"));
    CHECK_FALSE(m->delivered("later@mx.example"));
    CHECK_FALSE(m->flag("deliver_firsttime"));
    CHECK(read_text(w.svc->layout().msglog_path(id)).find("== later@mx.example") !=
          std::string::npos);
    // In a queue run the routing retry time is respected: nothing is tried.
    CHECK(w.svc->deliver(id, queue_run()) == engine::DeliverStatus::Deferred);
    CHECK(w.log().find(id + " == later@mx.example routing defer (-51): retry time not reached") !=
          std::string::npos);
    CHECK(w.mailbox("ann") == 1);
  }

  TEST_CASE("the journal of an interrupted attempt: what it lists is not delivered again") {
    World w;
    std::string id = w.submit("s@client.example", {"ann@mx.example", "bob@mx.example"}, "five");
    {
      engine::SpoolJournal j(w.svc->layout(), id, false);
      REQUIRE(j.append({"ann@mx.example"}));
    }
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Completed);
    CHECK(w.mailbox("ann") == 0);
    CHECK(w.mailbox("bob") == 1);
  }

  TEST_CASE("a failed bounce is not bounced: frozen, or discarded when errors are ignored") {
    World w;
    std::string id = w.submit("", {"bad@mx.example"}, "six");
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Frozen);
    CHECK(w.log().find(id + " Frozen (delivery error message)") != std::string::npos);
    auto m = engine::spool_read_header(w.svc->layout(), id);
    REQUIRE(m.ok());
    CHECK(m->flag("frozen"));
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Frozen);
    engine::DeliverRequest r;
    r.thaw = r.ignore_errors = true;
    CHECK(w.svc->deliver(id, r) == engine::DeliverStatus::Completed);
    CHECK(w.queue().empty());
  }

  TEST_CASE("-Mg: every address fails with a bounce") {
    World w;
    std::string id = w.submit("sender@mx.example", {"later@mx.example"}, "seven");
    engine::DeliverRequest r;
    r.give_up = r.forced = true;
    r.who = "admin";
    CHECK(w.svc->deliver(id, r) == engine::DeliverStatus::Completed);
    w.svc->drain();
    CHECK(w.log().find(id + " cancelled by admin") != std::string::npos);
    CHECK(w.mailbox("sender") == 1);
  }

  TEST_CASE("a locked message is left alone") {
    World w;
    std::string id = w.submit("s@client.example", {"ann@mx.example"}, "eight");
    auto lock = engine::SpoolLock::acquire(w.svc->layout(), id);
    REQUIRE(lock.ok());
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Locked);
    CHECK(w.mailbox("ann") == 0);
  }

  TEST_CASE("no retry rule: a temporary failure is permanent") {
    World w("", "");
    std::string id = w.submit("sender@mx.example", {"later@mx.example"}, "nine");
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Completed);
    CHECK(
        w.log().find("** later@mx.example R=later: mailbox is resting (retry timeout exceeded)") !=
        std::string::npos);
  }

  TEST_CASE("-N: nothing is delivered, the log says *>") {
    World w;
    std::string id = w.submit("s@client.example", {"ann@mx.example"}, "ten");
    engine::DeliverRequest r;
    r.no_deliver = true;
    CHECK(w.svc->deliver(id, r) == engine::DeliverStatus::Completed);
    CHECK(w.mailbox("ann") == 0);
    CHECK(w.log().find("*> ann@mx.example R=local T=maildir") != std::string::npos);
  }

  TEST_CASE("DSN NOTIFY: NEVER suppresses the bounce, SUCCESS asks for a notice") {
    World w;
    std::string id = w.submit("sender@mx.example", {"bad@mx.example"}, "never", engine::kDsnNever);
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Completed);
    w.svc->drain();
    CHECK(w.mailbox("sender") == 0);
    id = w.submit("sender@mx.example", {"ann@mx.example"}, "success", engine::kDsnSuccess);
    CHECK(w.svc->deliver(id, {}) == engine::DeliverStatus::Completed);
    w.svc->drain();
    REQUIRE(w.mailbox("sender") == 1);
    auto f = fs::directory_iterator(w.dir + "/mail/sender/new")->path().string();
    std::string notice = read_text(f);
    CHECK(notice.find("Subject: Delivery Status Notification") != std::string::npos);
    CHECK(notice.find("Action: delivered\nOriginal-Recipient: rfc822;ann@mx.example\n"
                      "Final-Recipient: rfc822;ann@mx.example\nStatus: 2.0.0\n") !=
          std::string::npos);
  }

  TEST_CASE("a queue run delivers what is due, in parallel") {
    World w;
    std::vector<std::string> ids;
    for (int i = 0; i < 6; ++i)
      ids.push_back(w.submit("s@client.example", {"ann@mx.example"}, "q"));
    auto stats = w.svc->queue_run({}, 3);
    CHECK(stats.delivered == 6);
    CHECK(w.mailbox("ann") == 6);
    CHECK(w.queue().empty());
  }

  TEST_CASE("a queue run's spool work per message does not grow with the queue") {
    // Directory listings and -H reads for a run over n messages: a rescan or a re-read of
    // the queue per delivery would make them grow with n squared.
    auto cost = [](int n) {
      World w;
      for (int i = 0; i < n; ++i) w.submit("s@client.example", {"ann@mx.example"}, "q");
      auto before = engine::spool_scan_counts();
      auto stats = w.svc->queue_run({}, 1);
      auto after = engine::spool_scan_counts();
      CHECK(stats.delivered == n);
      CHECK(w.mailbox("ann") == static_cast<size_t>(n));
      return std::pair{after.dir_scans - before.dir_scans,
                       after.header_reads - before.header_reads};
    };
    auto [scans_small, reads_small] = cost(5);
    auto [scans_big, reads_big] = cost(40);
    CHECK(scans_big == scans_small);  // one listing per run, whatever the queue holds
    CHECK(reads_small == 2 * 5);      // selection, then the delivery itself
    CHECK(reads_big == 2 * 40);
  }
}
