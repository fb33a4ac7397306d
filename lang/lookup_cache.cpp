#include "lang/lookup_cache.h"

namespace lang {

Status LookupCache::open(const LookupDef& def, const std::string& file, LookupHandle*& out) {
  auto key = std::make_pair(&def, file);
  auto it = open_.find(key);
  if (it != open_.end()) {
    out = it->second.get();
    return Status::ok();
  }
  std::unique_ptr<LookupHandle> h;
  if (def.open) LANG_TRY(def.open(file, h));
  out = h.get();
  open_.emplace(std::move(key), std::move(h));
  return Status::ok();
}

}  // namespace lang
