// Tests for engine/daemon/worker_pool: jobs run on the pool and all queued ones run before
// stop() returns; the loop queue wakes its eventfd once for a burst and hands events back in
// order.
#include "engine/daemon/worker_pool.h"

#include <doctest/doctest.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

using engine::daemon::LoopEvent;
using engine::daemon::LoopQueue;
using engine::daemon::WorkerPool;

namespace {

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

}  // namespace

TEST_SUITE("daemon worker pool") {
  TEST_CASE("jobs run on the pool's threads, and stop() runs what is queued") {
    std::atomic<int> ran{0};
    std::mutex mu;
    std::set<std::thread::id> seen;
    {
      WorkerPool pool(3);
      CHECK(pool.size() == 3);
      for (int i = 0; i < 200; ++i)
        pool.submit([&] {
          {
            std::lock_guard g(mu);
            seen.insert(std::this_thread::get_id());
          }
          ++ran;
        });
      pool.stop();
      CHECK(ran == 200);
      pool.submit([&] { ++ran; });  // dropped after stop()
    }
    CHECK(ran == 200);
    CHECK(seen.count(std::this_thread::get_id()) == 0);
    CHECK(seen.size() <= 3);
  }

  TEST_CASE("a blocked job holds one thread, not the others") {
    WorkerPool pool(2);
    std::atomic<bool> release{false}, other{false};
    pool.submit([&] {
      while (!release) std::this_thread::yield();
    });
    pool.submit([&] { other = true; });
    for (int i = 0; i < 2000 && !other; ++i) usleep(1000);
    CHECK(other);
    release = true;
  }

  TEST_CASE("default size: at least 16, at most 128") {
    unsigned n = WorkerPool::default_size();
    CHECK(n >= 16);
    CHECK(n <= 128);
  }

  TEST_CASE("the loop queue wakes once per burst and keeps the order") {
    LoopQueue q;
    REQUIRE(q.fd() >= 0);
    CHECK_FALSE(readable(q.fd()));
    CHECK(q.take().empty());
    for (uint64_t s = 1; s <= 3; ++s) q.post({LoopEvent::Kind::WorkDone, s, true, {}});
    CHECK(readable(q.fd()));
    q.post({LoopEvent::Kind::StoreDone, 9, false, "disk full"});
    auto evs = q.take();
    REQUIRE(evs.size() == 4);
    CHECK(evs[0].serial == 1);
    CHECK(evs[2].serial == 3);
    CHECK(evs[3].kind == LoopEvent::Kind::StoreDone);
    CHECK(evs[3].error == "disk full");
    CHECK_FALSE(readable(q.fd()));  // take() drained the eventfd
    q.post({LoopEvent::Kind::WorkDone, 5, true, {}});
    CHECK(readable(q.fd()));  // the next post after a take() wakes again
  }

  TEST_CASE("a quiet post wakes nobody unless asked") {
    LoopQueue q;
    std::atomic<bool> wants{false};
    q.post_quietly({LoopEvent::Kind::WorkDone, 1, true, {}}, wants);
    CHECK_FALSE(readable(q.fd()));
    q.wake();  // the loop asked: events are waiting, so the wake-up comes
    CHECK(readable(q.fd()));
    CHECK(q.take().size() == 1);
    wants = true;
    q.post_quietly({LoopEvent::Kind::WorkDone, 2, true, {}}, wants);
    CHECK(readable(q.fd()));
    CHECK(q.take().size() == 1);
    q.wake();  // nothing waiting: no wake-up
    CHECK_FALSE(readable(q.fd()));
  }

  TEST_CASE("posts from many threads all arrive") {
    LoopQueue q;
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t)
      ts.emplace_back([&q, t] {
        for (uint64_t i = 0; i < 500; ++i)
          q.post({LoopEvent::Kind::WorkDone, t * 1000 + i, true, {}});
      });
    size_t got = 0;
    while (got < 2000) {
      pollfd p{q.fd(), POLLIN, 0};
      if (::poll(&p, 1, 1000) != 1) break;
      got += q.take().size();
    }
    for (auto& th : ts) th.join();
    got += q.take().size();
    CHECK(got == 2000);
  }
}
