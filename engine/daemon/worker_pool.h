// engine/daemon/worker_pool.h — the daemon's worker threads and the queue that carries
// results back to its event loop.
//
// WorkerPool runs jobs on a fixed number of threads, in the order they were submitted. The
// daemon gives it one piece of session work per connection at a time (see connection.h), so
// that a session never runs on two threads at once while different sessions run in parallel,
// and a session blocked in a slow lookup holds one worker, not the event loop. A job must
// not throw (an escaping exception ends the process, as for any thread).
//
// LoopQueue carries events from any thread (workers, the spool committer) to the event-loop
// thread: post() appends and wakes the loop through an eventfd unless it was woken already
// and has not taken the events yet, so a burst of completions costs one wake-up. An event
// may also be posted without waking (post_quietly()): the loop takes it at its next
// iteration (it calls take() on every iteration, not only when the eventfd is readable), and
// wake() asks for the wake-up after all. A poster must not touch what the event is about
// once post() returns: the loop may have taken it and freed its object. The queue's mutex orders
// everything a poster wrote before post() before what the loop reads after take().
//
// Threads start with the signal mask of the thread that creates the pool (the daemon blocks
// its signals first, so that only the loop's signalfd sees them).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace engine::daemon {

class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(std::function<void()> job);
  // Jobs wait for a thread: a job that could go on with more of its own work (a session
  // waiting a moment for its client's next command) should hand back its thread instead.
  bool backlogged() const { return queued_.load(std::memory_order_relaxed) > 0; }
  // Runs the jobs already queued, then joins the threads. Further submits are dropped.
  void stop();
  unsigned size() const { return static_cast<unsigned>(threads_.size()); }
  // The number of threads the daemon uses on this machine (8 per core, 16 to 128): enough
  // to keep every core busy while some sessions wait in blocking lookups; idle threads cost
  // a stack's worth of address space and nothing else.
  static unsigned default_size();

 private:
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  unsigned idle_ = 0;
  std::atomic<size_t> queued_{0};  // jobs_.size(), read without the lock
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// What a worker or the committer tells the event loop.
struct LoopEvent {
  enum class Kind : unsigned char { WorkDone, StoreDone };
  Kind kind = Kind::WorkDone;
  uint64_t serial = 0;  // the connection
  bool ok = true;       // StoreDone: the message is durable
  std::string error;    // StoreDone: why not
};

class LoopQueue {
 public:
  LoopQueue();  // creates the eventfd; fd() < 0 when that failed
  ~LoopQueue();
  LoopQueue(const LoopQueue&) = delete;
  LoopQueue& operator=(const LoopQueue&) = delete;

  int fd() const { return fd_; }
  void post(LoopEvent ev);
  // Posts without waking, unless `wake_if` (read under the queue's lock, so that it may
  // belong to an object the loop frees once it has taken the event) is set.
  void post_quietly(LoopEvent ev, const std::atomic<bool>& wake_if);
  void wake();  // if events are waiting and no wake-up is pending
  // Everything posted so far; clears the eventfd.
  std::vector<LoopEvent> take();

 private:
  void signal();  // under mu_

  int fd_ = -1;
  std::mutex mu_;
  std::vector<LoopEvent> items_;
  bool signaled_ = false;  // the eventfd holds a wake-up the loop has not taken
};

}  // namespace engine::daemon
