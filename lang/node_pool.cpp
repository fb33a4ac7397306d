// lang/node_pool.cpp — per-thread free lists in front of malloc (see node_pool.h).
#include "lang/node_pool.h"

#include <cstdlib>

namespace lang::node_pool {
namespace {

constexpr size_t kClasses = kMaxPooled / kGranule;

struct Block {
  Block* next;
};

// Trivially destructible, so that it stays usable while other thread_local and static
// objects are destroyed; the Reaper empties it when the thread exits.
struct Lists {
  Block* head[kClasses];
  size_t count[kClasses];
  bool dead;  // the thread is exiting: blocks go straight back to malloc
};

thread_local Lists t_lists;

struct Reaper {
  ~Reaper() {
    Lists& l = t_lists;
    l.dead = true;
    for (size_t k = 0; k < kClasses; ++k) {
      while (Block* b = l.head[k]) {
        l.head[k] = b->next;
        std::free(b);
      }
      l.count[k] = 0;
    }
  }
};

// Registers the thread's Reaper; called whenever a list is about to stop being empty.
void ensure_reaper() {
  thread_local Reaper reaper;
  (void)reaper;
}

// Size class of a request of n bytes (1 <= n <= kMaxPooled): blocks of (k + 1) * kGranule.
size_t size_class(size_t n) {
  return (n - 1) / kGranule;
}

void* malloc_or_throw(size_t n) {
  void* p = std::malloc(n);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// Under AddressSanitizer (and ThreadSanitizer) every block goes straight to malloc, so that
// a use after free of a node, or a race on one, is still caught.
constexpr bool kPooled = false;
#else
constexpr bool kPooled = true;
#endif

void* allocate(size_t n) {
  if (n == 0) n = 1;
  if (!kPooled || n > kMaxPooled) return malloc_or_throw(n);
  size_t k = size_class(n);
  Lists& l = t_lists;
  if (Block* b = l.head[k]) {
    l.head[k] = b->next;
    --l.count[k];
    return b;
  }
  return malloc_or_throw((k + 1) * kGranule);
}

void deallocate(void* p, size_t n) noexcept {
  if (!p) return;
  if (n == 0) n = 1;
  if (!kPooled || n > kMaxPooled) {
    std::free(p);
    return;
  }
  size_t k = size_class(n);
  Lists& l = t_lists;
  if (l.count[k] >= kMaxKept || l.dead) {
    std::free(p);
    return;
  }
  if (l.count[k] == 0) ensure_reaper();
  auto* b = static_cast<Block*>(p);
  b->next = l.head[k];
  l.head[k] = b;
  ++l.count[k];
}

}  // namespace lang::node_pool
