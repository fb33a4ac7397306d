// engine/queue_runner.cpp — selecting and running queued messages (see queue_runner.h).
#include "engine/queue_runner.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "engine/config/main_options.h"
#include "lang/regex.h"
#include "util/strings.h"

namespace engine {
namespace {

bool text_matches(std::string_view subject, const std::string& pattern, bool regex) {
  if (!regex) return util::to_lower(subject).find(util::to_lower(pattern)) != std::string::npos;
  std::shared_ptr<const lang::Regex> re;
  lang::RegexOptions o;
  o.caseless = true;
  if (!lang::Regex::cached(pattern, re, o).is_ok()) return false;
  std::vector<std::string> caps;
  return re->search(subject, 0, caps);
}

int64_t frozen_since(const SpoolMessage& m) {
  std::string v = m.value("frozen", "0");
  int64_t t = 0;
  for (char c : v) {
    if (c < '0' || c > '9') break;
    t = t * 10 + (c - '0');
  }
  return t;
}

QueueDecision frozen_decision(const SpoolMessage& m, const QueueSelection& sel,
                              const FrozenPolicy& fp, int64_t now) {
  int64_t age = now - m.received_time;
  bool bounce = m.sender.empty();
  if (fp.timeout_frozen_after > 0 && age > fp.timeout_frozen_after) {
    return {QueueAction::Cancel, bounce};
  }
  if (sel.force_frozen) return {QueueAction::DeliverThawed, false};
  if (bounce && fp.ignore_bounce_errors_after >= 0 && age > fp.ignore_bounce_errors_after) {
    return {QueueAction::DeliverThawed, true};
  }
  if (!bounce && fp.auto_thaw > 0 && now - frozen_since(m) >= fp.auto_thaw) {
    return {QueueAction::DeliverThawed, false};
  }
  return {};
}

}  // namespace

FrozenPolicy frozen_policy(const config::Config& cfg) {
  FrozenPolicy fp;
  fp.auto_thaw = config::main_time(cfg, "auto_thaw");
  fp.timeout_frozen_after = config::main_time(cfg, "timeout_frozen_after");
  fp.ignore_bounce_errors_after = config::main_time(cfg, "ignore_bounce_errors_after");
  return fp;
}

bool queue_filter_matches(const SpoolMessage& m, const QueueSelection& sel) {
  if (!sel.sender.empty() && !text_matches(m.sender, sel.sender, sel.sender_regex)) return false;
  if (sel.recipient.empty()) return true;
  for (const auto& r : m.recipients) {
    if (m.delivered(r.address)) continue;
    if (text_matches(r.address, sel.recipient, sel.recipient_regex)) return true;
  }
  return false;
}

QueueDecision queue_select(const SpoolMessage& m, const QueueSelection& sel, const FrozenPolicy& fp,
                           int64_t now) {
  if (!sel.start_id.empty() && m.id < sel.start_id) return {};
  if (!sel.stop_id.empty() && m.id > sel.stop_id) return {};
  if (sel.first_only && !m.flag("deliver_firsttime")) return {};
  if (!queue_filter_matches(m, sel)) return {};
  if (m.flag("frozen")) return frozen_decision(m, sel, fp, now);
  return {QueueAction::Deliver, false};
}

QueueRunStats queue_run(const SpoolLayout& layout, const QueueSelection& sel,
                        const FrozenPolicy& fp, int parallel, int64_t now,
                        const QueueDeliverFn& deliver) {
  QueueRunStats stats;
  std::vector<std::pair<std::string, QueueDecision>> chosen;
  for (const auto& id : spool_list_ids(layout)) {
    ++stats.scanned;
    if (!sel.start_id.empty() && id < sel.start_id) continue;
    if (!sel.stop_id.empty() && id > sel.stop_id) continue;
    auto msg = spool_read_header(layout, id);
    QueueDecision d = msg ? queue_select(*msg, sel, fp, now) : QueueDecision{};
    if (d.action == QueueAction::Skip) {
      ++stats.skipped;
      continue;
    }
    chosen.emplace_back(id, d);
  }
  stats.delivered = static_cast<int>(chosen.size());
  size_t workers = std::clamp<size_t>(parallel > 0 ? static_cast<size_t>(parallel) : 1, 1,
                                      std::max<size_t>(chosen.size(), 1));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < chosen.size(); i = next++)
      deliver(chosen[i].first, chosen[i].second);
  };
  if (workers == 1) {
    work();
    return stats;
  }
  std::vector<std::thread> pool;
  for (size_t i = 0; i < workers; ++i) pool.emplace_back(work);
  for (auto& t : pool) t.join();
  return stats;
}

}  // namespace engine
