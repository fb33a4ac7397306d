// lang/lookups/lsearch.cpp — the lsearch lookup (spec 9.3): literal keys, compared without
// regard to ASCII case, first entry wins. Option ret=full returns the whole entry.
//
// The file is parsed once into a hash index (lang/lookups/file_index.h) instead of being
// scanned on every lookup as Exim does; the results are the same.
#include <unordered_map>

#include "lang/context.h"
#include "lang/lookup_cache.h"
#include "lang/lookups/file_index.h"
#include "lang/lookups/linear_file.h"
#include "util/strings.h"

namespace lang {
namespace {

struct LsearchIndex {
  std::vector<LinearEntry> entries;
  std::unordered_map<std::string, size_t> first;  // lower-cased key -> first entry

  static std::shared_ptr<const LsearchIndex> build(std::string content) {
    auto idx = std::make_shared<LsearchIndex>();
    idx->entries = linear_parse(content);
    idx->first.reserve(idx->entries.size());
    for (size_t i = 0; i < idx->entries.size(); ++i) {
      idx->first.emplace(util::to_lower(idx->entries[i].key), i);
    }
    return idx;
  }
};

FileIndexCache<LsearchIndex>& cache() {
  static FileIndexCache<LsearchIndex> c;
  return c;
}

struct LsearchHandle : LookupHandle {
  std::shared_ptr<const LsearchIndex> idx;
  FileCheck check;
};

Status lsearch_open(const std::string& file, std::unique_ptr<LookupHandle>& out) {
  int err = 0;
  auto h = std::make_unique<LsearchHandle>();
  h->idx = cache().get(file, err);
  if (!h->idx) return linear_open_error(file, err);
  out = std::move(h);
  return Status::ok();
}

LookupResult lsearch_find(EvalContext& ctx, LookupHandle* handle, const std::string& file,
                          std::string_view key, const LookupOptions& opts) {
  auto* h = static_cast<LsearchHandle*>(handle);
  cache().refresh(file, h->idx, h->check, ctx.lookups().file_check_interval_ns());
  LookupResult r;
  auto it = h->idx->first.find(util::to_lower(key));
  if (it == h->idx->first.end()) return r;
  const LinearEntry& e = h->idx->entries[it->second];
  r.outcome = LookupOutcome::Found;
  r.value = lookup_option(opts, "ret") == "full" ? e.full : e.data;
  return r;
}

const LookupRegistrar reg({{"lsearch", false, true, lsearch_open, lsearch_find, nullptr}});

}  // namespace
}  // namespace lang
