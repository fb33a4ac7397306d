// lang/lookup_cache.h — lookup state kept per evaluation context (Exim keeps it per process,
// spec 9.8 "Lookup caching").
//
// Handles: one per (type, file), opened on first use and kept. File-based types keep only a
// reference to a shared in-memory index that they revalidate themselves (lang/lookups/
// file_index.h), so a changed file is seen at once — or, with a file check interval set,
// within that interval. Results: query-style lookups (sqlite,
// passwd) remember their results per (type, file, options, query), as Exim does; the
// `cache=no_rd` option skips reading the cache (the result is still stored). A result with a
// cache_ttl (dnsdb: the records' smallest TTL) is forgotten when that time has passed.
//
// Failure: open() returns the type's error (Exim's "failed to open ..." text) and caches
// nothing, so a later call tries again.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "lang/lookup.h"

namespace lang {

class LookupCache {
 public:
  // Returns the handle for (`def`, `file`), opening the file on first use, and the cache's
  // copy of the file name in `stored`. Both stay valid until clear().
  Status open(const LookupDef& def, std::string_view file, LookupHandle*& out,
              const std::string*& stored);

  // The remembered result of a query, or null.
  const LookupResult* find_result(const LookupDef& def, std::string_view file,
                                  std::string_view opts, std::string_view query);
  void store_result(const LookupDef& def, std::string_view file, std::string_view opts,
                    std::string_view query, const LookupResult& r);

  // Forgets every handle and result (files changed on disk, or between messages).
  void clear() {
    last_ = {};
    open_.clear();
    results_.clear();
  }

  // How long file-based types may use a file's index before checking the file again; 0 (the
  // default) checks on every lookup.
  void set_file_check_interval(int64_t ns) { file_check_ns_ = ns; }
  int64_t file_check_interval_ns() const { return file_check_ns_; }

  static constexpr size_t kMaxResults = 4096;  // the result cache is emptied beyond this

 private:
  static std::string result_key(const LookupDef& def, std::string_view file, std::string_view opts,
                                std::string_view query);

  std::map<std::pair<const LookupDef*, std::string>, std::unique_ptr<LookupHandle>, std::less<>>
      open_;
  // The handle opened last: a run of lookups in one file finds it without building a key.
  struct Last {
    const LookupDef* def = nullptr;
    const std::string* file = nullptr;  // the key in open_
    LookupHandle* handle = nullptr;
  } last_;
  int64_t file_check_ns_ = 0;
  struct Stored {
    LookupResult result;
    int64_t expires = 0;  // steady-clock seconds; 0: never
  };
  std::unordered_map<std::string, Stored> results_;
};

}  // namespace lang
