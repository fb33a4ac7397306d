// lang/lookups/wildlsearch.cpp — wildlsearch and nwildlsearch (spec 9.3): an lsearch file
// whose keys are domain-list style patterns (lang/match/pattern.h), matched without regard
// to case, first matching entry wins. wildlsearch expands each key before use (so "$" and
// "\" in keys must be escaped, or protected with \N); nwildlsearch takes keys as written.
//
// Keys are parsed (and, when constant, compiled to patterns) once per file version; keys
// with variable parts are expanded and compiled on each lookup.
//
// Failure: a key whose expansion fails or whose regex is bad defers the lookup when the scan
// reaches it (entries before it still match), as in Exim; so does a nested lookup that
// defers.
#include <unordered_map>

#include "lang/context.h"
#include "lang/expand.h"
#include "lang/lookup_cache.h"
#include "lang/lookups/file_index.h"
#include "lang/lookups/linear_file.h"
#include "lang/match/pattern.h"
#include "util/strings.h"

namespace lang {
namespace {

constexpr Pattern::Options kOptions{true, true};

struct WildKey {
  std::unique_ptr<Program> prog;  // wildlsearch keys that need expanding
  Pattern pattern;                // keys that are constant
  Status error;                   // a key that can never be used
  bool expand_failed = false;     // ... because its expansion failed
};

// Constant literal keys are also hashed: a lookup then scans only the other keys that come
// before the first literal hit.
template <bool Expand>
struct WildIndex {
  std::vector<LinearEntry> entries;
  std::vector<WildKey> keys;
  std::unordered_map<std::string, size_t> literal;  // lower-cased literal key -> first entry
  std::vector<size_t> scanned;                      // entries that must be tried in order

  static std::shared_ptr<const WildIndex> build(std::string content) {
    auto idx = std::make_shared<WildIndex>();
    idx->entries = linear_parse(content);
    idx->keys.resize(idx->entries.size());
    for (size_t i = 0; i < idx->entries.size(); ++i) {
      WildKey& k = idx->keys[i];
      prepare(idx->entries[i].key, k);
      if (k.error.is_ok() && !k.prog && k.pattern.kind() == Pattern::Kind::Literal) {
        idx->literal.emplace(util::to_lower(k.pattern.text()), i);
      } else {
        idx->scanned.push_back(i);
      }
    }
    return idx;
  }

  static void prepare(const std::string& key, WildKey& k) {
    if (Expand) {
      auto prog = std::make_unique<Program>();
      k.error = Program::compile(key, *prog);
      k.expand_failed = !k.error.is_ok();
      if (k.expand_failed) return;
      if (!prog->is_literal()) {
        k.prog = std::move(prog);
        return;
      }
      // Constant: its value is the text with escapes applied.
      EvalContext scratch;
      std::string text;
      k.error = prog->eval(scratch, text);
      k.expand_failed = !k.error.is_ok();
      if (k.error.is_ok()) k.error = Pattern::compile(text, kOptions, k.pattern);
      return;
    }
    k.error = Pattern::compile(key, kOptions, k.pattern);
  }
};

// Outcome of one key against the subject. Exim gives no reason when a key fails to
// expand: `err` stays empty then.
Pattern::Result match_key(EvalContext& ctx, const WildKey& k, std::string_view subject,
                          std::string& err) {
  if (!k.error.is_ok()) {
    if (!k.expand_failed) err = k.error.message();
    return Pattern::Result::Defer;
  }
  if (!k.prog) return k.pattern.match(ctx, subject, err);
  std::string text;
  Status st = k.prog->eval(ctx, text);
  if (st.is_fail()) return Pattern::Result::NoMatch;
  if (!st.is_ok()) return Pattern::Result::Defer;
  return pattern_match(ctx, text, subject, kOptions, err);
}

template <bool Expand>
struct WildHandle : LookupHandle {
  std::shared_ptr<const WildIndex<Expand>> idx;
  FileCheck check;
};

template <bool Expand>
FileIndexCache<WildIndex<Expand>>& cache() {
  static FileIndexCache<WildIndex<Expand>> c;
  return c;
}

template <bool Expand>
Status wild_open(const std::string& file, std::unique_ptr<LookupHandle>& out) {
  int err = 0;
  auto h = std::make_unique<WildHandle<Expand>>();
  h->idx = cache<Expand>().get(file, err);
  if (!h->idx) return linear_open_error(file, err);
  out = std::move(h);
  return Status::ok();
}

template <bool Expand>
LookupResult wild_scan(EvalContext& ctx, LookupHandle* handle, const std::string& file,
                       std::string_view key, const LookupOptions& opts) {
  auto* h = static_cast<WildHandle<Expand>*>(handle);
  cache<Expand>().refresh(file, h->idx, h->check, ctx.lookups().file_check_interval_ns());
  std::shared_ptr<const WildIndex<Expand>> idx = h->idx;  // kept alive across nested lookups
  LookupResult r;
  auto lit = idx->literal.find(util::to_lower(key));
  size_t hit = lit == idx->literal.end() ? idx->entries.size() : lit->second;
  for (size_t i : idx->scanned) {
    if (i > hit) break;
    Pattern::Result m = match_key(ctx, idx->keys[i], key, r.message);
    if (m == Pattern::Result::NoMatch) continue;
    if (m == Pattern::Result::Defer) {
      r.outcome = LookupOutcome::Defer;
      return r;
    }
    hit = i;
    break;
  }
  if (hit == idx->entries.size()) return r;
  const LinearEntry& e = idx->entries[hit];
  r.outcome = LookupOutcome::Found;
  r.value = lookup_option(opts, "ret") == "full" ? e.full : e.data;
  return r;
}

// Spec 9.3: the numeric variables are unset after a (n)wildlsearch lookup, matched or not.
template <bool Expand>
LookupResult wild_find(EvalContext& ctx, LookupHandle* handle, const std::string& file,
                       std::string_view key, const LookupOptions& opts) {
  LookupResult r = wild_scan<Expand>(ctx, handle, file, key, opts);
  ctx.captures.clear();
  return r;
}

const LookupRegistrar reg({
    {"wildlsearch", false, true, wild_open<true>, wild_find<true>, nullptr},
    {"nwildlsearch", false, true, wild_open<false>, wild_find<false>, nullptr},
});

}  // namespace
}  // namespace lang
