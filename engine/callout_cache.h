// engine/callout_cache.h — the "callout" hints database (spec 44.48 "Callout caching"): what
// earlier callouts found, so that a repeated verification makes no connection.
//
// Two kinds of record, under spool_directory/db/callout (engine/hints_db.h):
//   "A:<address>" or "A:<address>/<sender>" (a non-empty MAIL address keys the record too):
//       "accept" or "reject", live for callout_positive_expire (24h) or
//       callout_negative_expire (2h);
//   "D:<domain>": "reject" when a host refused the connection, HELO or MAIL FROM:<>, else
//       "accept", with the postmaster check ("pm_accept"/"pm_reject") and the random check
//       ("random_accept"/"random_reject") as further words; live for
//       callout_domain_negative_expire (3h) when it says reject or pm_reject, else
//       callout_domain_positive_expire (7d).
// Expired records read as absent. The expiry times are the caller's (main options).
//
// Failure: a database that cannot be opened or written is ignored (hints are advice): reads
// find nothing, writes do nothing.
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace engine {

class HintsDb;

struct CalloutExpiry {
  long long positive = 24 * 3600, negative = 2 * 3600;
  long long domain_positive = 7 * 24 * 3600, domain_negative = 3 * 3600;
};

class CalloutCache {
 public:
  // No database (every lookup misses) when `spool_directory` is "" or cannot be used.
  CalloutCache(const std::string& spool_directory, CalloutExpiry expiry);
  ~CalloutCache();

  // The live address record ("accept"/"reject") or nullopt.
  std::optional<std::string> address(const std::string& key);
  void set_address(const std::string& key, bool accepted);
  // The live domain record's words ("reject", "accept pm_accept" ...) or nullopt.
  std::optional<std::string> domain(const std::string& domain);
  void set_domain(const std::string& domain, const std::string& words);

 private:
  std::optional<std::string> live(const std::string& key,
                                  long long (*ttl)(const CalloutExpiry&, const std::string&));
  std::shared_ptr<HintsDb> db_;
  CalloutExpiry expiry_;
};

// Whether a domain record's words contain `word`.
bool callout_words_have(const std::string& words, const std::string& word);

}  // namespace engine
