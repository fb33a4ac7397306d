#include "lang/node_pool.h"

#include <doctest/doctest.h>

#include <cstring>
#include <thread>
#include <vector>

#include "lang/expand.h"

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPooled = false;  // the pool hands everything to malloc under ASan
#else
constexpr bool kPooled = true;
#endif

TEST_SUITE("lang.node_pool") {
  TEST_CASE("blocks of a class are recycled and hold their size") {
    void* a = lang::node_pool::allocate(40);
    std::memset(a, 0xab, 40);
    lang::node_pool::deallocate(a, 40);
    void* b = lang::node_pool::allocate(48);  // same 16-byte class as 40
    if (kPooled) CHECK(b == a);
    std::memset(b, 0xcd, 48);
    lang::node_pool::deallocate(b, 48);
  }
  TEST_CASE("sizes beyond the pooled classes and zero") {
    for (size_t n : {size_t{0}, size_t{1}, size_t{16}, size_t{17}, lang::node_pool::kMaxPooled,
                     lang::node_pool::kMaxPooled + 1, size_t{100000}}) {
      void* p = lang::node_pool::allocate(n);
      REQUIRE(p != nullptr);
      std::memset(p, 1, n);
      lang::node_pool::deallocate(p, n);
    }
    lang::node_pool::deallocate(nullptr, 8);
  }
  TEST_CASE("a block freed on another thread") {
    void* p = lang::node_pool::allocate(64);
    std::thread t([p] {
      lang::node_pool::deallocate(p, 64);
      void* q = lang::node_pool::allocate(64);  // the thread's list now holds p
      if (kPooled) CHECK(q == p);
      lang::node_pool::deallocate(q, 64);
    });
    t.join();  // the thread's lists go back to malloc as it exits
  }
  TEST_CASE("container allocator") {
    std::vector<int, lang::node_pool::Allocator<int>> v;
    for (int i = 0; i < 1000; ++i) v.push_back(i);
    CHECK(v[999] == 999);
  }
  TEST_CASE("trees built and dropped repeatedly") {
    lang::EvalContext ctx;
    std::string out;
    for (int i = 0; i < 1000; ++i) {
      REQUIRE(lang::expand_string("a\\tb${if eq{1}{1}{x\\N$y\\N}{z}}${lc:AB}", ctx, out).is_ok());
      CHECK(out == "a\tbx$yab");
    }
  }
}
