// engine/deliver_message.cpp — one delivery attempt from start to end: open the message
// (lock, read, fold in a journal), route, transport, and finish by removing the message or
// writing back what is left (see deliver.h).
#include <ctime>

#include "engine/deliver_internal.h"

namespace engine {

std::string_view deliver_status_name(DeliverStatus s) {
  switch (s) {
    case DeliverStatus::Completed:
      return "completed";
    case DeliverStatus::Deferred:
      return "deferred";
    case DeliverStatus::Frozen:
      return "frozen";
    case DeliverStatus::Locked:
      return "locked";
    case DeliverStatus::Missing:
      return "missing";
    case DeliverStatus::Failed:
      return "failed";
  }
  return "";
}

namespace deliver_detail {

MessageDelivery::MessageDelivery(const DeliveryEnv& env, const DeliverRequest& req, std::string id)
    : env_(env),
      req_(req),
      id_(std::move(id)),
      now_(env.now ? env.now() : static_cast<int64_t>(std::time(nullptr))),
      base_vars_(env.cfg),
      lists_src_(*env.cfg),
      journal_(env.layout, id_, env.sync_journal) {
  ctx_.lists = &lists_src_;
}

void MessageDelivery::log(const std::string& line) {
  if (env_.log) {
    env_.log->mainlog(id_ + " " + line);
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    msglog_ += env_.log->stamp(ts, false) + line + "\n";
  }
}

void MessageDelivery::freeze(const std::string& why) {
  if (frozen_) return;
  frozen_ = true;
  frozen_reason_ = why;
}

// Locks and reads the message; a journal left by an interrupted attempt is folded into -H.
// Returns Deferred to go on.
DeliverStatus MessageDelivery::open() {
  SpoolLock::Failure why = SpoolLock::Failure::None;
  auto lock = SpoolLock::acquire(env_.layout, id_, &why);
  if (!lock) {
    return why == SpoolLock::Failure::Missing  ? DeliverStatus::Missing
           : why == SpoolLock::Failure::Locked ? DeliverStatus::Locked
                                               : DeliverStatus::Failed;
  }
  lock_.emplace(std::move(*lock));
  auto src = transports::MessageSource::open(env_.layout, id_);
  if (!src) {
    if (env_.log) env_.log->mainlog(id_ + " Spool error: " + src.error().message);
    return DeliverStatus::Failed;
  }
  src_.emplace(std::move(*src));
  msg_ = src_->envelope();
  auto journal = spool_journal_read(env_.layout, id_);
  if (spool_journal_apply(journal, msg_) && !spool_rewrite_header(env_.layout, msg_, true)) {
    return DeliverStatus::Failed;
  }
  if (!journal.empty()) journal_.remove();
  spool_vars_.emplace(&base_vars_, &msg_, env_.layout.data_path(id_), src_->body_size(), now_);
  vars_.inner = &*spool_vars_;
  ctx_.vars = &vars_;
  return DeliverStatus::Deferred;
}

DeliverStatus MessageDelivery::run() {
  if (DeliverStatus st = open(); st != DeliverStatus::Deferred) return st;
  if (msg_.flag("frozen")) {
    if (!req_.thaw && !req_.give_up) return DeliverStatus::Frozen;
    msg_.remove_var("frozen");
    if (!req_.give_up) log(req_.forced ? "Unfrozen by forced delivery" : "Unfrozen by auto-thaw");
  }
  if (req_.give_up) {
    log("cancelled by " + req_.who);
    for (const auto& r : msg_.recipients) {
      if (msg_.delivered(r.address)) continue;
      failed(make_address(r.address), AddressOutcome::failure("cancelled by administrator"), "");
    }
  } else {
    route_recipients();
    run_transports();
  }
  return finish();
}

// Top-level recipients with nothing deferred are done: into the delivered list.
void MessageDelivery::add_top_done() {
  for (const auto& d : done_)
    if (!msg_.delivered(d)) msg_.non_recipients.push_back(d);
  for (const auto& r : msg_.recipients) {
    if (!msg_.delivered(r.address) && !deferred_tops_.count(r.address))
      msg_.non_recipients.push_back(r.address);
  }
}

DeliverStatus MessageDelivery::finish() {
  send_bounces();
  send_success_notices();
  add_top_done();
  bool left = false;
  for (const auto& r : msg_.recipients) left |= !msg_.delivered(r.address);
  if (!left) {
    if (auto st = spool_remove_message(env_.layout, id_); !st) {
      if (env_.log) env_.log->paniclog(id_ + " " + st.error().message);
      return DeliverStatus::Failed;
    }
    if (env_.log) env_.log->mainlog(id_ + " Completed");
    return DeliverStatus::Completed;
  }
  msg_.remove_var("deliver_firsttime");
  if (!frozen_) maybe_warn();
  if (frozen_) {
    msg_.set_var("frozen", std::to_string(now_));
    msg_.remove_var("manual_thaw");
    log("Frozen" + (frozen_reason_.empty() ? "" : " (" + frozen_reason_ + ")"));
  }
  if (env_.message_logs && env_.log && !msglog_.empty()) {
    std::FILE* f = std::fopen(env_.layout.msglog_path(id_).c_str(), "a");
    if (f) {
      std::fwrite(msglog_.data(), 1, msglog_.size(), f);
      std::fclose(f);
    }
  }
  if (auto st = spool_rewrite_header(env_.layout, msg_, true); !st) {
    if (env_.log) env_.log->paniclog(id_ + " " + st.error().message);
    return DeliverStatus::Failed;
  }
  journal_.remove();
  return frozen_ ? DeliverStatus::Frozen : DeliverStatus::Deferred;
}

}  // namespace deliver_detail

DeliverStatus deliver_message(const DeliveryEnv& env, const std::string& id,
                              const DeliverRequest& req) {
  deliver_detail::MessageDelivery d(env, req, id);
  return d.run();
}

}  // namespace engine
