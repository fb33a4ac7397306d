// lang/lookups/cdb.cpp — the cdb lookup (spec 9.3): D. J. Bernstein's constant database.
//
// Format (cr.yp.to/cdb/cdb.txt): a 2048-byte header of 256 (position, slot count) pairs,
// little-endian 32-bit; records "klen dlen key data"; then 256 hash tables of (hash,
// record position) slots. hash = h*33 ^ byte from 5381; table = hash & 255; first slot
// (hash >> 8) % slots, probing linearly; an empty slot (position 0) ends the search. Keys are
// compared exactly (case matters); the first record with the key wins.
//
// The file is read whole and shared (lang/lookups/file_index.h). Every offset is checked
// against the file size: a damaged file makes the lookup defer, never read out of bounds.
#include <cerrno>
#include <cstdint>

#include "lang/context.h"
#include "lang/lookup.h"
#include "lang/lookup_cache.h"
#include "lang/lookups/file_index.h"
#include "util/strings.h"

namespace lang {
namespace {

constexpr size_t kHeader = 2048;

struct CdbIndex {
  std::string bytes;
  static std::shared_ptr<const CdbIndex> build(std::string content) {
    auto idx = std::make_shared<CdbIndex>();
    idx->bytes = std::move(content);
    return idx;
  }
};

FileIndexCache<CdbIndex>& cache() {
  static FileIndexCache<CdbIndex> c;
  return c;
}

struct CdbHandle : LookupHandle {
  std::shared_ptr<const CdbIndex> idx;
  FileCheck check;
};

uint32_t get32(std::string_view b, size_t at) {
  auto u = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(b[at + k])); };
  return u(0) | u(1) << 8 | u(2) << 16 | u(3) << 24;
}

uint32_t cdb_hash(std::string_view key) {
  uint32_t h = 5381;
  for (char c : key) h = ((h << 5) + h) ^ static_cast<unsigned char>(c);
  return h;
}

Status cdb_open_error(const std::string& file, int err) {
  if (err == kNotRegularFile) err = EISDIR;
  return Status::error("failed to open " + file + " for cdb lookup: " + util::errno_text(err));
}

Status cdb_open(const std::string& file, std::unique_ptr<LookupHandle>& out) {
  int err = 0;
  auto h = std::make_unique<CdbHandle>();
  h->idx = cache().get(file, err);
  if (!h->idx && err == kNotRegularFile) {
    return Status::error("failed to open cannot read header from " + file +
                         " for cdb lookup: " + util::errno_text(EISDIR));
  }
  if (!h->idx) return cdb_open_error(file, err);
  // Exim's wording, errno being 0 at that point.
  if (h->idx->bytes.size() < kHeader) {
    return Status::error("failed to open " + file + " too short for cdb lookup: Success");
  }
  out = std::move(h);
  return Status::ok();
}

LookupResult damaged(const std::string& file) {
  LookupResult r;
  r.outcome = LookupOutcome::Defer;
  r.message = "cdb file " + file + " is damaged";
  return r;
}

LookupResult cdb_search(std::string_view b, const std::string& file, std::string_view key) {
  LookupResult r;
  uint32_t h = cdb_hash(key);
  size_t table = (h & 255) * 8;
  uint32_t tpos = get32(b, table), slots = get32(b, table + 4);
  if (slots == 0) return r;
  if (tpos > b.size() || (b.size() - tpos) / 8 < slots) return damaged(file);
  uint32_t start = (h >> 8) % slots;
  for (uint32_t n = 0; n < slots; ++n) {
    size_t slot = tpos + static_cast<size_t>((start + n) % slots) * 8;
    uint32_t sh = get32(b, slot), rpos = get32(b, slot + 4);
    if (rpos == 0) return r;
    if (sh != h) continue;
    if (rpos > b.size() || b.size() - rpos < 8) return damaged(file);
    uint32_t klen = get32(b, rpos), dlen = get32(b, rpos + 4);
    size_t body = static_cast<size_t>(rpos) + 8;
    if (klen > b.size() - body || dlen > b.size() - body - klen) return damaged(file);
    if (b.substr(body, klen) != key) continue;
    r.outcome = LookupOutcome::Found;
    r.value.assign(b.substr(body + klen, dlen));
    return r;
  }
  return r;
}

LookupResult cdb_find(EvalContext& ctx, LookupHandle* handle, const std::string& file,
                      std::string_view key, const LookupOptions&) {
  auto* h = static_cast<CdbHandle*>(handle);
  if (file_check_due(h->check, ctx.lookups().file_check_interval_ns())) {
    int err = 0;
    auto fresh = cache().get(file, err);
    if (fresh && fresh->bytes.size() >= kHeader) h->idx = std::move(fresh);
  }
  return cdb_search(h->idx->bytes, file, key);
}

const LookupRegistrar reg({{"cdb", false, true, cdb_open, cdb_find, nullptr}});

}  // namespace
}  // namespace lang
