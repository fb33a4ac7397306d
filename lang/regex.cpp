// lang/regex.cpp — PCRE2 wrapper and the per-process pattern cache; see regex.h.
#include "lang/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <functional>
#include <mutex>
#include <unordered_map>

#include "lang/context.h"

namespace lang {
namespace {

constexpr size_t kCacheMax = 256;  // distinct run-time patterns kept per set of options

std::string pcre2_message(int code) {
  PCRE2_UCHAR buf[256];
  int n = pcre2_get_error_message(code, buf, sizeof buf);
  if (n < 0) return "unknown error";
  return std::string(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

std::string compile_error(std::string_view pattern, int code, size_t offset, RegexOptions opts) {
  if (opts.list_item) {
    return "regular expression error: " + pcre2_message(code) + " at offset " +
           std::to_string(offset) + " while compiling " + std::string(pattern);
  }
  return "regular expression error in \"" + std::string(pattern) + "\": " + pcre2_message(code) +
         " at offset " + std::to_string(offset);
}

struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

using RegexMap =
    std::unordered_map<std::string, std::shared_ptr<const Regex>, TextHash, std::equal_to<>>;

// One match-data block per thread, grown to the most groups seen, so that a match (${sg}
// makes one per replacement) allocates nothing. No callouts are used, so a match never
// starts another one on the same thread while the block is in use.
pcre2_match_data* thread_match_data(uint32_t pairs) {
  thread_local struct Block {
    pcre2_match_data* md = nullptr;
    uint32_t pairs = 0;
    ~Block() { pcre2_match_data_free(md); }
  } b;
  if (b.pairs < pairs) {
    pcre2_match_data_free(b.md);
    b.md = pcre2_match_data_create(pairs, nullptr);
    b.pairs = b.md ? pairs : 0;
  }
  return b.md;
}

}  // namespace

Regex::~Regex() {
  pcre2_code_free(static_cast<pcre2_code*>(code_));
}

Status Regex::compile(std::string_view pattern, std::shared_ptr<const Regex>& out,
                      RegexOptions opts) {
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   opts.caseless ? PCRE2_CASELESS : 0, &err, &off, nullptr);
  if (!code) return Status::error(compile_error(pattern, err, off, opts));
  auto r = std::make_shared<Regex>();
  r->code_ = code;
  uint32_t groups = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
  r->pairs_ = groups + 1;
  r->pattern_ = std::string(pattern);
  out = std::move(r);
  return Status::ok();
}

Status Regex::cached(std::string_view pattern, std::shared_ptr<const Regex>& out,
                     RegexOptions opts) {
  static std::mutex mu;
  static RegexMap maps[2];  // by caseless
  RegexMap& cache = maps[opts.caseless ? 1 : 0];
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(pattern);
    if (it != cache.end()) {
      out = it->second;
      return Status::ok();
    }
  }
  std::shared_ptr<const Regex> r;
  LANG_TRY(compile(pattern, r, opts));
  std::lock_guard<std::mutex> lock(mu);
  if (cache.size() >= kCacheMax) cache.erase(cache.begin());
  cache.emplace(std::string(pattern), r);
  out = std::move(r);
  return Status::ok();
}

bool Regex::search_span(std::string_view subject, size_t start, unsigned flags,
                        std::vector<std::string>& caps, size_t& begin, size_t& end) const {
  auto* code = static_cast<pcre2_code*>(code_);
  pcre2_match_data* md = thread_match_data(pairs_);
  if (!md) return false;
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start,
                       flags, md, nullptr);
  if (rc <= 0) return false;
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  const auto pairs = static_cast<size_t>(rc);  // the groups up to the last that took part
  caps.assign(pairs, std::string());
  for (size_t k = 0; k < pairs; ++k) {
    // Groups that did not take part read as empty.
    if (ov[2 * k] == PCRE2_UNSET || ov[2 * k + 1] < ov[2 * k]) continue;
    caps[k] = std::string(subject.substr(ov[2 * k], ov[2 * k + 1] - ov[2 * k]));
  }
  begin = ov[0];
  end = ov[1] < ov[0] ? ov[0] : ov[1];
  return true;
}

bool Regex::search(std::string_view subject, size_t start, std::vector<std::string>& caps,
                   unsigned flags) const {
  size_t b = 0, e = 0;
  return search_span(subject, start, flags, caps, b, e);
}

bool Regex::match(EvalContext& ctx, std::string_view subject) const {
  std::vector<std::string> caps;
  if (!search(subject, 0, caps)) return false;
  ctx.captures = std::move(caps);
  return true;
}

unsigned regex_flag_notempty_atstart_anchored() {
  return PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED;
}

}  // namespace lang
