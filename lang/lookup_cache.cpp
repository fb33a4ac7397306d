#include "lang/lookup_cache.h"

#include <chrono>

namespace lang {
namespace {
int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Status LookupCache::open(const LookupDef& def, std::string_view file, LookupHandle*& out,
                         const std::string*& stored) {
  if (last_.def == &def && *last_.file == file) {
    out = last_.handle;
    stored = last_.file;
    return Status::ok();
  }
  auto key = std::make_pair(&def, std::string(file));
  auto it = open_.find(key);
  if (it == open_.end()) {
    std::unique_ptr<LookupHandle> h;
    if (def.open) LANG_TRY(def.open(key.second, h));
    it = open_.emplace(std::move(key), std::move(h)).first;
  }
  out = it->second.get();
  stored = &it->first.second;
  last_ = {&def, stored, out};
  return Status::ok();
}

std::string LookupCache::result_key(const LookupDef& def, std::string_view file,
                                    std::string_view opts, std::string_view query) {
  std::string k(def.name);
  k.reserve(k.size() + file.size() + opts.size() + query.size() + 3);
  k += '\0';
  k += file;
  k += '\0';
  k += opts;
  k += '\0';
  k += query;
  return k;
}

const LookupResult* LookupCache::find_result(const LookupDef& def, std::string_view file,
                                             std::string_view opts, std::string_view query) {
  auto it = results_.find(result_key(def, file, opts, query));
  if (it == results_.end()) return nullptr;
  if (it->second.expires != 0 && it->second.expires <= now_seconds()) {
    results_.erase(it);
    return nullptr;
  }
  return &it->second.result;
}

void LookupCache::store_result(const LookupDef& def, std::string_view file, std::string_view opts,
                               std::string_view query, const LookupResult& r) {
  if (r.cache_ttl == 0) return;
  if (results_.size() >= kMaxResults) results_.clear();
  results_[result_key(def, file, opts, query)] = {
      r, r.cache_ttl > 0 ? now_seconds() + r.cache_ttl : 0};
}

}  // namespace lang
