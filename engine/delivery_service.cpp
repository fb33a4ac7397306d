// engine/delivery_service.cpp — the per-process delivery machinery and its thread pool (see
// delivery_service.h).
#include "engine/delivery_service.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "engine/config/main_options.h"
#include "engine/retry_hints.h"
#include "engine/spool_config.h"
#include "engine/variables.h"

namespace engine {

util::Result<std::unique_ptr<DeliveryService>> DeliveryService::create(const config::Config& cfg,
                                                                       DeliveryServiceOptions o) {
  std::unique_ptr<DeliveryService> s(new DeliveryService(cfg));
  s->opts_ = o;
  Variables vars(&cfg);
  lang::EvalContext ctx;
  ctx.vars = &vars;
  auto layout = spool_layout_from_config(cfg, ctx);
  if (!layout) return layout.error();
  if (auto st = spool_make_dirs(*layout); !st) return st.error();
  auto logc = log_config_from_config(cfg, ctx);
  if (!logc) return logc.error();
  s->log_ = std::make_unique<Logger>(std::move(*logc));
  auto chain = RouterChain::build(cfg);
  if (!chain) return chain.error();
  s->chain_ = std::make_unique<RouterChain>(std::move(*chain));
  auto transports = transports::transports_create(cfg);
  if (!transports) return transports.error();
  s->transports_ = std::move(*transports);
  auto rules = retry_rules_load(cfg);
  if (!rules) return rules.error();
  s->rules_ = std::move(*rules);
  std::string herr;
  s->hints_ = retry_store_open(layout->directory, &herr);
  CommitterOptions co;
  co.sync = o.spool_sync;
  s->committer_ = std::make_unique<SpoolCommitter>(co);
  int host_number = cfg.find_main("localhost_number")
                        ? static_cast<int>(config::main_int(cfg, "localhost_number"))
                        : -1;
  s->ids_ = std::make_unique<MessageIdSource>(static_cast<uint64_t>(getpid()), host_number);
  Submitter::Services ss;
  ss.cfg = &cfg;
  ss.layout = *layout;
  ss.committer = s->committer_.get();
  ss.log = s->log_.get();
  ss.ids = s->ids_.get();
  s->queue_submitter_ = std::make_unique<Submitter>(ss);
  DeliveryService* self = s.get();
  ss.submitted = [self](const std::string& id) { self->enqueue(id); };
  s->submitter_ = std::make_unique<Submitter>(std::move(ss));
  DeliveryEnv& e = s->env_;
  e.cfg = &cfg;
  e.chain = s->chain_.get();
  e.transports = &s->transports_;
  e.retry_rules = &s->rules_;
  e.hints = s->hints_.get();
  e.log = s->log_.get();
  e.layout = *layout;
  e.submitter = s->submitter_.get();
  e.durability = &s->sync_;
  e.sync_journal = o.sync_journal;
  e.message_logs = !cfg.find_main("message_logs") || config::main_bool(cfg, "message_logs");
  return s;
}

DeliveryService::~DeliveryService() {
  drain();
  {
    std::lock_guard l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

DeliverStatus DeliveryService::deliver(const std::string& id, const DeliverRequest& req) {
  DeliverRequest r = req;
  r.no_deliver |= opts_.no_deliver;
  return deliver_message(env_, id, r);
}

void DeliveryService::start_threads(unsigned n) {
  while (threads_.size() < n) threads_.emplace_back([this] { worker(); });
}

void DeliveryService::enqueue(const std::string& id, const DeliverRequest& req) {
  {
    std::lock_guard l(mu_);
    if (!queued_.insert(id).second) return;
    queue_.emplace_back(id, req);
    unsigned n = opts_.threads;
    if (n == 0) {
      int64_t rmp = config::main_int(cfg_, "remote_max_parallel");
      n = static_cast<unsigned>(std::max<int64_t>(8, rmp * 8));
    }
    start_threads(n);
  }
  cv_.notify_one();
}

void DeliveryService::worker() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    auto [id, req] = std::move(queue_.front());
    queue_.pop_front();
    queued_.erase(id);
    ++running_;
    lock.unlock();
    (void)deliver(id, req);
    lock.lock();
    --running_;
    if (queue_.empty() && running_ == 0) idle_cv_.notify_all();
  }
}

void DeliveryService::drain() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
}

QueueRunStats DeliveryService::queue_run(const QueueSelection& sel, int parallel) {
  FrozenPolicy fp = frozen_policy(cfg_);
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  return engine::queue_run(env_.layout, sel, fp, parallel, now,
                           [&](const std::string& id, const QueueDecision& d) {
                             DeliverRequest r;
                             r.queue_run = true;
                             r.forced = sel.force;
                             r.local_only = sel.local_only;
                             r.thaw = d.action == QueueAction::DeliverThawed;
                             r.give_up = d.action == QueueAction::Cancel;
                             r.ignore_errors = d.ignore_errors;
                             (void)deliver(id, r);
                           });
}

}  // namespace engine
