// engine/retry_store.h — retry hints: what is remembered between delivery attempts about hosts
// and addresses that failed temporarily (spec chapter 32, "Retry configuration"; Exim's
// db/retry hints file and its dbdata_retry record).
//
// Keys are Exim's:
//   R:domain, R:local@domain     routing deferred (the address key with retry_use_local_part)
//   R:local@domain:<sender>      a remote host gave 4xx to RCPT for this address and sender
//   T:local@domain               a local delivery deferred
//   T:host:ip[+port]             a remote host failed (connection, timeout, 4xx to MAIL...)
//   T:host:ip[+port]:ID          a host refused this message only (4xx after DATA)
// A record holds when the failures began, the last try, the next one, whether the rules'
// cutoff has passed, and the last error. Records older than retry_data_expire are ignored.
//
// RetryStore is the interface the delivery process uses; the persistent store is the hints
// database (engine/retry_hints.h), MemoryRetryStore serves tests. Hints are only hints: a
// store that fails to read or write loses retry history, never mail.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace engine {

struct RetryRecord {
  int64_t time_stamp = 0;    // when written
  int64_t first_failed = 0;  // start of the current run of failures
  int64_t last_try = 0;
  int64_t next_try = 0;
  bool expired = false;  // past the last cutoff of its rule
  int basic_errno = 0;
  int more_errno = 0;
  std::string text;  // the last error
};

class RetryStore {
 public:
  virtual ~RetryStore() = default;
  virtual std::optional<RetryRecord> get(std::string_view key) = 0;
  virtual void put(std::string_view key, const RetryRecord& r) = 0;
  virtual void remove(std::string_view key) = 0;
};

class MemoryRetryStore : public RetryStore {
 public:
  std::optional<RetryRecord> get(std::string_view key) override {
    std::lock_guard l(mu_);
    auto it = records_.find(key);
    if (it == records_.end()) return std::nullopt;
    return it->second;
  }
  void put(std::string_view key, const RetryRecord& r) override {
    std::lock_guard l(mu_);
    records_[std::string(key)] = r;
  }
  void remove(std::string_view key) override {
    std::lock_guard l(mu_);
    auto it = records_.find(key);
    if (it != records_.end()) records_.erase(it);
  }
  size_t size() {
    std::lock_guard l(mu_);
    return records_.size();
  }

 private:
  std::mutex mu_;
  std::map<std::string, RetryRecord, std::less<>> records_;
};

}  // namespace engine
