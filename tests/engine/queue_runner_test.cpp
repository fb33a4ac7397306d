#include "engine/queue_runner.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <mutex>
#include <set>

namespace {

constexpr int64_t kNow = 1'800'000'000;

engine::SpoolMessage msg(std::string id, std::string sender, std::vector<std::string> rcpts) {
  engine::SpoolMessage m;
  m.id = std::move(id);
  m.sender = std::move(sender);
  m.received_time = kNow - 3600;
  for (auto& r : rcpts) {
    engine::SpoolRecipient sr;
    sr.address = r;
    m.recipients.push_back(sr);
  }
  return m;
}

engine::QueueAction act(const engine::SpoolMessage& m, engine::QueueSelection sel = {},
                        engine::FrozenPolicy fp = {0, 0, -1}) {
  return engine::queue_select(m, sel, fp, kNow).action;
}

}  // namespace

TEST_SUITE("queue_runner") {
  TEST_CASE("selection: -R, -S, regexes, delivered recipients, ids, -qi") {
    auto m = msg("1xYiks-0002wi-1F", "Alice@Example.org", {"bob@one.example", "carol@two.example"});
    engine::QueueSelection s;
    CHECK(act(m) == engine::QueueAction::Deliver);
    s.recipient = "TWO.example";
    CHECK(act(m, s) == engine::QueueAction::Deliver);
    m.non_recipients.push_back("carol@two.example");
    CHECK(act(m, s) == engine::QueueAction::Skip);
    s = {};
    s.sender = "alice@";
    CHECK(act(m, s) == engine::QueueAction::Deliver);
    s.sender = "^bob";
    s.sender_regex = true;
    CHECK(act(m, s) == engine::QueueAction::Skip);
    s = {};
    s.start_id = "1xYikt-0000000-00";
    CHECK(act(m, s) == engine::QueueAction::Skip);
    s = {};
    s.first_only = true;
    CHECK(act(m, s) == engine::QueueAction::Skip);
    m.set_flag("deliver_firsttime");
    CHECK(act(m, s) == engine::QueueAction::Deliver);
  }

  TEST_CASE("frozen messages: -qff, auto_thaw, bounces, timeout_frozen_after") {
    auto m = msg("1xYiks-0002wi-1F", "a@x.example", {"b@y.example"});
    m.set_var("frozen", std::to_string(kNow - 600));
    CHECK(act(m) == engine::QueueAction::Skip);
    engine::QueueSelection ff;
    ff.force_frozen = true;
    CHECK(act(m, ff) == engine::QueueAction::DeliverThawed);
    CHECK(act(m, {}, {300, 0, -1}) == engine::QueueAction::DeliverThawed);
    CHECK(act(m, {}, {900, 0, -1}) == engine::QueueAction::Skip);
    CHECK(act(m, {}, {0, 1800, -1}) == engine::QueueAction::Cancel);
    m.sender = "";  // a bounce: auto_thaw does not apply, ignore_bounce_errors_after does
    CHECK(act(m, {}, {300, 0, -1}) == engine::QueueAction::Skip);
    auto d = engine::queue_select(m, {}, {0, 0, 1800}, kNow);
    CHECK(d.action == engine::QueueAction::DeliverThawed);
    CHECK(d.ignore_errors);
    d = engine::queue_select(m, {}, {0, 1800, -1}, kNow);
    CHECK(d.action == engine::QueueAction::Cancel);
    CHECK(d.ignore_errors);
  }

  TEST_CASE("a run delivers each chosen message once, in parallel") {
    char tmpl[] = "/tmp/facteur-qr-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    engine::SpoolLayout layout{tmpl, false};
    REQUIRE(engine::spool_make_dirs(layout));
    engine::SpoolCommitter committer({16, engine::SpoolSync::kNone, 1});
    std::vector<std::string> ids;
    for (int i = 0; i < 12; ++i) {
      std::string id = "1xYiks-0002wi-" + std::string(1, static_cast<char>('A' + i)) + "0";
      auto m = msg(id, "a@x.example", {i % 2 ? "odd@y.example" : "even@y.example"});
      if (i == 3) m.set_var("frozen", "1");
      REQUIRE(engine::spool_write_message(committer, layout, m, "body\n"));
      ids.push_back(id);
    }
    std::mutex mu;
    std::multiset<std::string> seen;
    engine::QueueSelection sel;
    sel.recipient = "odd";
    auto stats = engine::queue_run(layout, sel, {0, 0, -1}, 4, kNow,
                                   [&](const std::string& id, const engine::QueueDecision&) {
                                     std::lock_guard l(mu);
                                     seen.insert(id);
                                   });
    CHECK(stats.scanned == 12);
    CHECK(stats.delivered == 5);  // six odd ones, one frozen
    CHECK(seen.size() == 5);
    CHECK(seen.count(ids[3]) == 0);
    for (const auto& id : seen) CHECK(seen.count(id) == 1);
    std::filesystem::remove_all(tmpl);
  }
}
