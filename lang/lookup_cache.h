// lang/lookup_cache.h — open lookup files kept per process (Exim keeps up to
// lookup_open_max files open and remembers the last result of each).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "lang/lookup.h"

namespace lang {

class LookupCache {
 public:
  // Returns the handle for (`def`, `file`), opening the file on first use. On failure the
  // error carries the type's message and nothing is cached.
  Status open(const LookupDef& def, const std::string& file, LookupHandle*& out);
  // Forgets every handle (files changed on disk, or between messages).
  void clear() { open_.clear(); }

 private:
  std::map<std::pair<const LookupDef*, std::string>, std::unique_ptr<LookupHandle>, std::less<>> open_;
};

}  // namespace lang
