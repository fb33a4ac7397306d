// lang/lookups/lsearch.cpp — the lsearch lookup (spec 9.3): literal keys, compared without
// regard to ASCII case, first entry wins. Option ret=full returns the whole entry.
//
// The file is parsed once into a hash index (lang/lookups/file_index.h) instead of being
// scanned on every lookup as Exim does; the results are the same. The index is an
// open-addressed table, at most half full, of entry numbers by case-folded key hash.
#include <cstdint>
#include <vector>

#include "lang/context.h"
#include "lang/lookup_cache.h"
#include "lang/lookups/file_index.h"
#include "lang/lookups/linear_file.h"
#include "util/strings.h"

namespace lang {
namespace {

// ASCII case folding, as Exim's lsearch compares keys.
char fold(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

// FNV-1a of the case-folded key.
uint64_t key_hash(std::string_view k) {
  uint64_t h = 1469598103934665603ull;
  for (char c : k) h = (h ^ static_cast<unsigned char>(fold(c))) * 1099511628211ull;
  return h;
}

// The first entry of each key, by case-folded hash: an open-addressed table of entry
// numbers (a lookup folds the key as it hashes it, and allocates nothing).
struct LsearchIndex {
  std::vector<LinearEntry> entries;
  std::vector<uint32_t> slots;  // entry number + 1; 0 is empty; size a power of two

  static std::shared_ptr<const LsearchIndex> build(std::string content) {
    auto idx = std::make_shared<LsearchIndex>();
    idx->entries = linear_parse(content);
    size_t size = 16;
    while (size < idx->entries.size() * 2) size *= 2;
    idx->slots.assign(size, 0);
    for (size_t i = 0; i < idx->entries.size(); ++i) {
      uint32_t& slot = idx->slots[idx->slot_of(idx->entries[i].key)];
      if (slot == 0) slot = static_cast<uint32_t>(i + 1);  // the first entry wins
    }
    return idx;
  }

  // The slot holding `key`, or the empty slot where it would go.
  size_t slot_of(std::string_view key) const {
    size_t mask = slots.size() - 1;
    for (size_t i = key_hash(key) & mask;; i = (i + 1) & mask) {
      if (slots[i] == 0 || util::iequals(entries[slots[i] - 1].key, key)) return i;
    }
  }

  const LinearEntry* find(std::string_view key) const {
    uint32_t slot = slots[slot_of(key)];
    return slot ? &entries[slot - 1] : nullptr;
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
  const LinearEntry* e = h->idx->find(key);
  if (!e) return r;
  r.outcome = LookupOutcome::Found;
  r.value = lookup_option(opts, "ret") == "full" ? e->full : e->data;
  return r;
}

const LookupRegistrar reg({{"lsearch", false, true, lsearch_open, lsearch_find, nullptr}});

}  // namespace
}  // namespace lang
