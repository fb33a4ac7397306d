// transports/smtp_pool.cpp — the idle connection pool of the smtp transport (smtp_pool.h).
#include "transports/smtp_pool.h"

#include <algorithm>

namespace transports::smtp {

void quit_connection(util::LineStream& s) {
  if (!s.is_open()) return;
  if (!s.write("QUIT\r\n", 2)) {
    auto reply = s.read_line(2);
    (void)reply;
  }
  s.close();
}

namespace {

void quit_all(std::vector<IdleConnection>& v) {
  for (IdleConnection& c : v) quit_connection(c.stream);
  v.clear();
}

}  // namespace

ConnectionPool::~ConnectionPool() {
  std::vector<IdleConnection> all;
  {
    std::lock_guard<std::mutex> g(mu_);
    stop_ = true;
    for (auto& [key, c] : idle_) all.push_back(std::move(c));
    idle_.clear();
  }
  cv_.notify_all();
  if (reaper_.joinable()) reaper_.join();
  quit_all(all);
}

void ConnectionPool::take_expired(std::vector<IdleConnection>& out) {
  auto now = std::chrono::steady_clock::now();
  for (auto it = idle_.begin(); it != idle_.end();) {
    if (now - it->second.since >= limits_.idle) {
      out.push_back(std::move(it->second));
      it = idle_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<IdleConnection> ConnectionPool::take(const PoolKey& k) {
  std::vector<IdleConnection> expired;
  std::optional<IdleConnection> found;
  {
    std::lock_guard<std::mutex> g(mu_);
    take_expired(expired);
    auto [lo, hi] = idle_.equal_range(k);
    auto newest = lo;
    for (auto it = lo; it != hi; ++it)
      if (it->second.since > newest->second.since) newest = it;
    if (lo != hi) {
      found = std::move(newest->second);
      idle_.erase(newest);
    }
  }
  quit_all(expired);
  return found;
}

void ConnectionPool::put(const PoolKey& k, IdleConnection c) {
  std::vector<IdleConnection> out;
  c.since = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> g(mu_);
    take_expired(out);
    if (limits_.per_key == 0 || limits_.total == 0 || stop_) {
      out.push_back(std::move(c));
    } else {
      auto oldest_of = [&](Map::iterator lo, Map::iterator hi) {
        return std::min_element(
            lo, hi, [](const auto& a, const auto& b) { return a.second.since < b.second.since; });
      };
      auto [lo, hi] = idle_.equal_range(k);
      if (static_cast<size_t>(std::distance(lo, hi)) >= limits_.per_key) {
        auto o = oldest_of(lo, hi);
        out.push_back(std::move(o->second));
        idle_.erase(o);
      } else if (idle_.size() >= limits_.total) {
        auto o = oldest_of(idle_.begin(), idle_.end());
        out.push_back(std::move(o->second));
        idle_.erase(o);
      }
      idle_.emplace(k, std::move(c));
      if (!reaper_.joinable()) reaper_ = std::thread([this] { reaper(); });
    }
  }
  quit_all(out);
}

size_t ConnectionPool::idle() const {
  std::lock_guard<std::mutex> g(mu_);
  return idle_.size();
}

void ConnectionPool::reap() {
  std::vector<IdleConnection> expired;
  {
    std::lock_guard<std::mutex> g(mu_);
    take_expired(expired);
  }
  quit_all(expired);
}

void ConnectionPool::reaper() {
  auto step = std::max(std::chrono::milliseconds(50), limits_.idle / 4);
  std::unique_lock<std::mutex> lk(mu_);
  while (!stop_) {
    cv_.wait_for(lk, step, [this] { return stop_; });
    if (stop_) break;
    std::vector<IdleConnection> expired;
    take_expired(expired);
    lk.unlock();
    quit_all(expired);
    lk.lock();
  }
}

}  // namespace transports::smtp
