#include "engine/daemon/worker_pool.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

namespace engine::daemon {

WorkerPool::WorkerPool(unsigned threads) {
  threads = std::max(1U, threads);
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() {
  stop();
}

unsigned WorkerPool::default_size() {
  unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  return std::clamp(8 * cores, 16U, 128U);
}

void WorkerPool::submit(std::function<void()> job) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    jobs_.push_back(std::move(job));
    queued_.store(jobs_.size(), std::memory_order_relaxed);
    wake = idle_ > 0;
  }
  if (wake) cv_.notify_one();
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void WorkerPool::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (jobs_.empty()) {
      if (stopping_) return;
      ++idle_;
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      continue;
    }
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    queued_.store(jobs_.size(), std::memory_order_relaxed);
    lock.unlock();
    job();
    job = nullptr;  // whatever it holds goes before the lock is taken again
    lock.lock();
  }
}

LoopQueue::LoopQueue() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

LoopQueue::~LoopQueue() {
  if (fd_ >= 0) close(fd_);
}

void LoopQueue::signal() {
  if (signaled_) return;
  signaled_ = true;
  uint64_t one = 1;
  (void)!::write(fd_, &one, sizeof one);
}

void LoopQueue::post(LoopEvent ev) {
  std::lock_guard lock(mu_);
  items_.push_back(std::move(ev));
  signal();
}

void LoopQueue::post_quietly(LoopEvent ev, const std::atomic<bool>& wake_if) {
  std::lock_guard lock(mu_);
  items_.push_back(std::move(ev));
  if (wake_if.load()) signal();
}

void LoopQueue::wake() {
  std::lock_guard lock(mu_);
  if (!items_.empty()) signal();
}

std::vector<LoopEvent> LoopQueue::take() {
  std::vector<LoopEvent> out;
  std::lock_guard lock(mu_);
  out.swap(items_);
  if (signaled_) {
    uint64_t n;
    (void)!::read(fd_, &n, sizeof n);
    signaled_ = false;
  }
  return out;
}

}  // namespace engine::daemon
