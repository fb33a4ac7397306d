#include "engine/callout_cache.h"

#include <chrono>
#include <sstream>

#include "engine/hints_db.h"

namespace engine {
namespace {

int64_t now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

long long address_ttl(const CalloutExpiry& e, const std::string& data) {
  return data == "accept" ? e.positive : e.negative;
}

long long domain_ttl(const CalloutExpiry& e, const std::string& data) {
  bool negative = callout_words_have(data, "reject") || callout_words_have(data, "pm_reject");
  return negative ? e.domain_negative : e.domain_positive;
}

}  // namespace

bool callout_words_have(const std::string& words, const std::string& word) {
  std::istringstream in(words);
  for (std::string w; in >> w;)
    if (w == word) return true;
  return false;
}

CalloutCache::CalloutCache(const std::string& spool_directory, CalloutExpiry expiry)
    : expiry_(expiry) {
  if (spool_directory.empty()) return;
  auto db = HintsDb::open(spool_directory, "callout");
  if (db) db_ = *db;
}

CalloutCache::~CalloutCache() = default;

std::optional<std::string> CalloutCache::live(const std::string& key,
                                              long long (*ttl)(const CalloutExpiry&,
                                                               const std::string&)) {
  if (!db_) return std::nullopt;
  auto r = db_->get(key);
  if (!r || !*r) return std::nullopt;
  const HintsRecord& rec = **r;
  if (rec.written_us + ttl(expiry_, rec.data) * 1000000 < now_us()) return std::nullopt;
  return rec.data;
}

std::optional<std::string> CalloutCache::address(const std::string& key) {
  return live("A:" + key, address_ttl);
}

void CalloutCache::set_address(const std::string& key, bool accepted) {
  if (db_) (void)db_->put("A:" + key, accepted ? "accept" : "reject");
}

std::optional<std::string> CalloutCache::domain(const std::string& domain) {
  return live("D:" + domain, domain_ttl);
}

void CalloutCache::set_domain(const std::string& domain, const std::string& words) {
  if (db_) (void)db_->put("D:" + domain, words);
}

}  // namespace engine
