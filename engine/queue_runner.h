// engine/queue_runner.h — queue runs: which messages on the spool get a delivery attempt, in
// what order, how many at once (spec chapter 5 "-q", "-R", "-S"; chapter 14 options
// queue_run_max, queue_run_in_order, auto_thaw, timeout_frozen_after,
// ignore_bounce_errors_after).
//
// queue_select() decides for one message from its -H file: skip it (frozen, filtered out by
// -R/-S, outside the -q start/stop ids, not a first delivery for -qi), deliver it, deliver it
// thawed (auto_thaw, ignore_bounce_errors_after, -qff), or cancel it (timeout_frozen_after).
// Retry times are not looked at here: the delivery skips addresses whose time has not come
// (unless the run is forced), as Exim's delivery process does.
//
// queue_run() lists the spool in id (arrival) order, applies the selection and hands each
// chosen message to the caller's delivery function, at most `parallel` at a time on worker
// threads. Each delivery locks its message, so a message already being delivered by another
// process or thread is simply skipped by that delivery. Never throws; a message whose -H
// cannot be read is skipped.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/spool.h"
#include "util/result.h"

namespace engine {

struct QueueSelection {
  bool force = false;             // -qf: retry times ignored
  bool force_frozen = false;      // -qff: frozen messages too
  bool local_only = false;        // -ql
  bool first_only = false;        // -qi: messages never tried
  std::string recipient, sender;  // -R, -S ("" = any)
  bool recipient_regex = false, sender_regex = false;
  std::string start_id, stop_id;  // -q ID [ID]
};

// Main options that decide about frozen messages.
struct FrozenPolicy {
  int64_t auto_thaw = 0;                   // 0: never
  int64_t timeout_frozen_after = 0;        // 0: never
  int64_t ignore_bounce_errors_after = 0;  // -1: never (unset is 10w)
};
FrozenPolicy frozen_policy(const config::Config& cfg);

enum class QueueAction : unsigned char { Skip, Deliver, DeliverThawed, Cancel };

struct QueueDecision {
  QueueAction action = QueueAction::Skip;
  bool ignore_errors = false;  // a frozen bounce past ignore_bounce_errors_after: discard it
};

// What to do with message `m` now; `sel` from the command line.
QueueDecision queue_select(const SpoolMessage& m, const QueueSelection& sel, const FrozenPolicy& fp,
                           int64_t now);

// True when the message passes -R / -S (an undelivered recipient containing the string,
// caselessly, or matching the regex; the sender likewise).
bool queue_filter_matches(const SpoolMessage& m, const QueueSelection& sel);

struct QueueRunStats {
  int scanned = 0, delivered = 0, skipped = 0;
};

using QueueDeliverFn = std::function<void(const std::string& id, const QueueDecision& d)>;

// One queue run over `layout` with at most `parallel` deliveries at a time.
QueueRunStats queue_run(const SpoolLayout& layout, const QueueSelection& sel,
                        const FrozenPolicy& fp, int parallel, int64_t now,
                        const QueueDeliverFn& deliver);

}  // namespace engine
