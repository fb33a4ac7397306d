// engine/retry_hints.cpp — retry records in the hints database (see retry_hints.h).
#include "engine/retry_hints.h"

#include <cinttypes>
#include <cstdio>
#include <sstream>

#include "engine/hints_db.h"

namespace engine {

std::string retry_record_format(const RetryRecord& r) {
  std::ostringstream s;
  s << r.first_failed << ' ' << r.last_try << ' ' << r.next_try << ' ' << (r.expired ? 1 : 0) << ' '
    << r.basic_errno << ' ' << r.more_errno << ' ' << r.text;
  return s.str();
}

bool retry_record_parse(std::string_view text, RetryRecord& r) {
  std::istringstream s{std::string(text)};
  int expired = 0;
  if (!(s >> r.first_failed >> r.last_try >> r.next_try >> expired >> r.basic_errno >>
        r.more_errno))
    return false;
  r.expired = expired != 0;
  std::getline(s, r.text);
  if (!r.text.empty() && r.text[0] == ' ') r.text.erase(0, 1);
  return true;
}

namespace {

class HintsRetryStore : public RetryStore {
 public:
  explicit HintsRetryStore(std::shared_ptr<HintsDb> db) : db_(std::move(db)) {}
  std::optional<RetryRecord> get(std::string_view key) override {
    auto r = db_->get(key);
    if (!r || !*r) return std::nullopt;
    RetryRecord rec;
    if (!retry_record_parse((*r)->data, rec)) return std::nullopt;
    rec.time_stamp = (*r)->written_us / 1000000;
    return rec;
  }
  void put(std::string_view key, const RetryRecord& rec) override {
    (void)db_->put(key, retry_record_format(rec));
  }
  void remove(std::string_view key) override {
    auto r = db_->get(key);
    if (r && *r) (void)db_->remove(key);
  }

 private:
  std::shared_ptr<HintsDb> db_;
};

}  // namespace

std::unique_ptr<RetryStore> retry_store_open(const std::string& spool_directory,
                                             std::string* error) {
  auto db = HintsDb::open(spool_directory, "retry");
  if (db) return std::make_unique<HintsRetryStore>(std::move(*db));
  if (error) *error = db.error().message;
  return std::make_unique<MemoryRetryStore>();
}

}  // namespace engine
