// lang/node_pool.h — a recycling allocator for parse trees.
//
// Each -be line, ${expand:...} argument or run-time sg replacement is parsed into a tree that
// is thrown away soon after; the tree's nodes are many small objects of a few sizes. The pool
// keeps freed blocks on per-thread lists by size class (multiples of 16 bytes up to
// kMaxPooled) and hands them out again, so building and dropping a tree costs a few
// instructions per node instead of a trip through malloc. Larger requests go to malloc.
//
// Contract: memory from allocate(n) is returned with deallocate(p, n), same n, from any
// thread. Every block comes from malloc, so a list may take blocks freed on another thread;
// each thread keeps at most kMaxKept blocks per class (the rest go back to malloc) and frees
// its lists when it exits. Failure: std::bad_alloc, as operator new.
#pragma once

#include <cstddef>
#include <new>

namespace lang::node_pool {

inline constexpr size_t kGranule = 16;
inline constexpr size_t kMaxPooled = 512;
inline constexpr size_t kMaxKept = 4096;

void* allocate(size_t n);
void deallocate(void* p, size_t n) noexcept;

// An allocator for containers inside tree nodes (std::vector<NodePtr> ...).
template <class T>
struct Allocator {
  using value_type = T;
  Allocator() = default;
  template <class U>
  Allocator(const Allocator<U>&) {}  // NOLINT: converting, as std::allocator
  T* allocate(size_t n) {
    if (n > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(node_pool::allocate(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) noexcept { node_pool::deallocate(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const Allocator<U>&) const {
    return true;
  }
};

}  // namespace lang::node_pool
