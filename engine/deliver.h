// engine/deliver.h — delivering one message from the spool (spec chapter 3 "How Exim receives
// and delivers mail", chapter 32 "Retry configuration", chapter 53 "Log files", chapter 57
// "Format of spool files"; Exim's deliver.c).
//
// deliver_message() does one delivery attempt:
//   1. lock the message (the fcntl lock on ID-D) and read ID-H; fold a -J journal left by a
//      crash into the delivered list;
//   2. route every recipient not yet delivered through the router chain (generated addresses
//      too, skipping those delivered earlier and duplicates), honouring routing retry times;
//   3. group the routed addresses by transport — for remote transports also by host list and
//      errors address, several recipients per transaction up to the transport's limit —
//      skipping hosts and addresses whose retry time has not come, and run the transports;
//   4. record each outcome before going on: a delivered address is appended to ID-J (after
//      the transport has made the copy durable), so a crash can only repeat a delivery whose
//      journal line was not yet written; failures are bounced (the bounce is on the spool
//      before the address counts as done); deferrals update the retry hints;
//   5. log each address in Exim's format (=>, ->, **, ==) and finish: remove the message
//      ("Completed") when nothing is left, else rewrite ID-H with the new delivered list,
//      send a delay warning when one is due, and drop the journal.
// Bounces of bounces are never sent: a bounce that fails is frozen (or discarded past
// ignore_bounce_errors_after).
//
// Threads: deliveries of different messages may run at once on several threads sharing a
// DeliveryEnv (routers, transports and rules are read-only; the logger, the retry store and
// the submitter are thread-safe). Failure: a message that cannot be read or locked is left
// alone with a status saying why; problems while delivering become deferrals.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "engine/config/config.h"
#include "engine/log.h"
#include "engine/retry_rules.h"
#include "engine/retry_store.h"
#include "engine/route.h"
#include "engine/spool.h"
#include "engine/submit.h"
#include "transports/transport.h"

namespace engine {

using TransportMap = std::map<std::string, std::unique_ptr<transports::Transport>, std::less<>>;

struct DeliverRequest {
  bool forced = false;         // -M, -qf: retry times are ignored
  bool thaw = false;           // deliver even if frozen (-M, -qff, auto_thaw)
  bool give_up = false;        // -Mg, timeout_frozen_after: fail every address, "cancelled"
  bool ignore_errors = false;  // a frozen bounce past ignore_bounce_errors_after
  bool queue_run = false;      // from a queue runner: local deliveries respect retry times
  bool local_only = false;     // -ql, -odqs: remote deliveries stay queued
  bool no_deliver = false;     // -N: "*>" instead of the transports
  std::string who = "root";    // for "cancelled by" (-Mg)
};

enum class DeliverStatus : unsigned char {
  Completed,  // every address delivered or bounced; the message is gone
  Deferred,   // some addresses remain
  Frozen,     // frozen (now or before, and not thawed)
  Locked,     // another delivery holds it
  Missing,    // no such message
  Failed,     // the spool files could not be read or written
};
std::string_view deliver_status_name(DeliverStatus s);

// What every delivery shares (read-only but for the thread-safe services).
struct DeliveryEnv {
  const config::Config* cfg = nullptr;
  const RouterChain* chain = nullptr;
  const TransportMap* transports = nullptr;
  const RetryRules* retry_rules = nullptr;
  RetryStore* hints = nullptr;  // null: no retry data kept
  Logger* log = nullptr;        // null: no logging
  SpoolLayout layout;
  Submitter* submitter = nullptr;                // bounces, warnings, autoreplies
  transports::Durability* durability = nullptr;  // null: sync at once
  HostResolver* resolver = nullptr;
  transports::ResolveFn resolve;                // for transports' host names
  std::function<int64_t()> now;                 // null: time()
  bool sync_journal = false;                    // fdatasync each journal append
  bool message_logs = true;                     // msglog/ID while a message waits
  std::function<void(std::string_view)> debug;  // -d output, null: none
};

DeliverStatus deliver_message(const DeliveryEnv& env, const std::string& id,
                              const DeliverRequest& req);

}  // namespace engine
