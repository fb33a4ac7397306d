// lang/name_table.h — the name → definition tables behind the registries of items,
// operators, conditions (lang/registry.h) and lookup types (lang/lookup.h).
//
// Names are added during static initialisation and looked up while strings are parsed, once
// per item, operator, condition or lookup type written — so once or more per -be line. A
// lookup hashes the name (FNV-1a) into an open-addressed index kept at most a quarter full.
// Definitions keep their addresses.
//
// Contract: add() returns false for a duplicate name. find() and names() may be called from
// several threads at once, but not while add() runs (registration is static initialisation).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

namespace lang {

template <class Def>
class NameTable {
 public:
  bool add(const Def& d) {
    if (find(d.name)) return false;
    defs_.push_back(d);  // a deque: earlier definitions stay where they are
    if (defs_.size() * 4 > index_.size()) {
      rebuild(index_.empty() ? 64 : index_.size() * 2);
    } else {
      insert(&defs_.back());
    }
    return true;
  }

  const Def* find(std::string_view name) const {
    if (index_.empty()) return nullptr;
    size_t mask = index_.size() - 1;
    for (size_t i = hash(name) & mask;; i = (i + 1) & mask) {
      const Def* d = index_[i];
      if (!d) return nullptr;
      if (d->name == name) return d;
    }
  }

  // The names, sorted.
  std::vector<std::string_view> names() const {
    std::vector<std::string_view> v;
    for (const Def& d : defs_) v.push_back(d.name);
    std::sort(v.begin(), v.end());
    return v;
  }

 private:
  static size_t hash(std::string_view s) {
    uint64_t h = 1469598103934665603ull;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return static_cast<size_t>(h ^ (h >> 29));
  }

  void insert(const Def* d) {
    size_t mask = index_.size() - 1;
    size_t i = hash(d->name) & mask;
    while (index_[i]) i = (i + 1) & mask;
    index_[i] = d;
  }

  void rebuild(size_t size) {
    index_.assign(size, nullptr);
    for (const Def& d : defs_) insert(&d);
  }

  std::vector<const Def*> index_;  // size a power of two
  std::deque<Def> defs_;
};

}  // namespace lang
