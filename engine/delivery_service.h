// engine/delivery_service.h — everything deliveries need, built once per process from the
// configuration, and a pool of threads that delivers messages as they are handed in (the
// daemon's immediate deliveries, queue runs, -odb), so that no delivery blocks the caller.
//
// create() builds the router chain, the transports, the retry rules, the logs, the spool
// layout, the retry hints store, the submitter for bounces (whose new messages are handed to
// the pool in turn) and the shared fsync helper. deliver() runs one attempt on the caller's
// thread; enqueue() hands an id to the pool (a message already queued is not queued twice);
// queue_run() is one run over the spool with the pool's parallelism.
//
// Why threads and not a process per delivery (Exim re-executes itself for each): a delivery
// costs its routing and its file writes, not a fork and an exec plus a configuration read
// (most of Exim's ~20 ms of CPU a message). Deliveries to users' mailboxes by a root process
// switch only the thread's file-system identity (util/fs_identity.h, setfsuid), which is what
// permission checks and file ownership use; pipe commands run in a child with the user's
// uid/gid (util/spawn.h). So a delivery forks only when it runs a command.
//
// Failure: create() returns the configuration errors (routers, transports, retry rules,
// spool); deliveries report through their status and the logs.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/deliver.h"
#include "engine/group_sync.h"
#include "engine/message_id.h"
#include "engine/queue_runner.h"

namespace engine {

struct DeliveryServiceOptions {
  unsigned threads = 0;  // pool size; 0: the default (remote_max_parallel x 8, at least 8)
  SpoolSync spool_sync = SpoolSync::kFiles;
  bool sync_journal = false;
  bool no_deliver = false;  // -N
};

class DeliveryService {
 public:
  static util::Result<std::unique_ptr<DeliveryService>> create(const config::Config& cfg,
                                                               DeliveryServiceOptions o = {});
  ~DeliveryService();  // finishes the queued work, then stops the threads

  DeliverStatus deliver(const std::string& id, const DeliverRequest& req);
  void enqueue(const std::string& id, const DeliverRequest& req = {});
  // Waits until nothing is queued or running.
  void drain();
  QueueRunStats queue_run(const QueueSelection& sel, int parallel);

  Submitter& submitter() { return *submitter_; }
  // A submitter that does not start a delivery (the caller decides: -od? modes).
  Submitter& queue_submitter() { return *queue_submitter_; }
  Logger& logger() { return *log_; }
  const SpoolLayout& layout() const { return env_.layout; }
  const config::Config& config() const { return cfg_; }
  GroupSync& group_sync() { return sync_; }

 private:
  explicit DeliveryService(const config::Config& cfg) : cfg_(cfg) {}
  void start_threads(unsigned n);
  void worker();

  const config::Config& cfg_;
  std::unique_ptr<RouterChain> chain_;
  TransportMap transports_;
  RetryRules rules_;
  std::unique_ptr<RetryStore> hints_;
  std::unique_ptr<Logger> log_;
  std::unique_ptr<SpoolCommitter> committer_;
  std::unique_ptr<MessageIdSource> ids_;
  std::unique_ptr<Submitter> submitter_, queue_submitter_;
  GroupSync sync_;
  DeliveryEnv env_;
  DeliveryServiceOptions opts_;

  std::mutex mu_;
  std::condition_variable cv_, idle_cv_;
  std::deque<std::pair<std::string, DeliverRequest>> queue_;
  std::set<std::string> queued_;
  unsigned running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace engine
