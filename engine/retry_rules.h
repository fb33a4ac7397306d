// engine/retry_rules.h — the `begin retry` section as a typed table, and the retry-time
// arithmetic (spec chapter 32, "Retry configuration").
//
// A rule is "PATTERN ERROR [senders=LIST] [PARAMS]": PATTERN is one address-list item
// (expanded when used; a bare domain means "*@domain"), ERROR one of the names of spec 32.5 or
// "*", PARAMS a ';'-separated list of "F,cutoff,interval", "G,cutoff,start,factor" or
// "H,cutoff,start,factor". retry_rules_load() reads every rule of a configuration once (at
// start-up, so -bV reports a bad rule) and collects every problem as "FILE:LINE: message" with
// Exim's texts ("unknown or malformed retry error", "comma expected", "bad parameters for
// retry rule" ...).
//
// retry_find_rule() picks the first rule whose pattern, error and senders match (spec 32.3,
// 32.4, 32.6); the subject is an address "local@domain", or "*@domain" when only a domain (or a
// host name) is known, so that "alice@x" does not match a bare domain and "*@x" or "x" do.
// retry_next() computes, from a rule, when to try again and whether the cutoff has passed
// (spec 32.7, 32.10). Nothing here does I/O or keeps state; randomness (H rules) and the time
// are arguments.
//
// Failure: loading returns an Error listing every bad line; matching returns no rule when a
// pattern's expansion or a list match defers (treated as "does not match", as Exim does).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/config.h"
#include "lang/context.h"
#include "lang/expand.h"
#include "util/result.h"

namespace engine {

// What a temporary failure was (spec 32.5), as a rule names it and as deliveries report it.
enum class RetryErrorKind : unsigned char {
  Any,  // "*" in a rule; in a report: an error with no specific name
  AuthFailed,
  Data4xx,
  Mail4xx,
  Rcpt4xx,
  LostConnection,
  Lookup,
  Refused,
  TimeoutConnect,
  Timeout,
  TlsRequired,
  Quota,
};

// The error part of a rule.
struct RetryErrorSpec {
  RetryErrorKind kind = RetryErrorKind::Any;
  char digit2 = 'x', digit3 = 'x';  // the 4xx rules: "rcpt_45x" -> '5', 'x'
  enum class Source : unsigned char { Any, Mx, A } source = Source::Any;  // refused_MX ...
  int64_t quota_idle = 0;  // quota_<time>: the mailbox unread for at least this long
};

// A failure to look a rule up for.
struct RetryError {
  RetryErrorKind kind = RetryErrorKind::Any;
  int smtp_code = 0;          // for the 4xx kinds
  bool from_mx = false;       // the host came from an MX record
  int64_t mailbox_idle = -1;  // quota: seconds since the mailbox was read, -1 unknown
};

struct RetryParam {
  char algo = 'F';       // 'F', 'G' or 'H'
  int64_t cutoff = 0;    // seconds since the first failure
  int64_t interval = 0;  // F: the interval; G/H: the first interval
  int factor = 1000;     // G/H: multiplier in thousandths
};

struct RetryRule {
  std::string pattern;  // as written (unquoted)
  std::shared_ptr<const lang::Program> pattern_program;
  RetryErrorSpec error;
  std::string error_text;  // as written
  bool has_senders = false;
  std::string senders;
  std::vector<RetryParam> params;  // empty: no retries (the address fails at once)
  util::SourceLoc loc;
};

struct RetryRules {
  std::vector<RetryRule> rules;
};

// Parses one rule line ("" on success, else Exim's message).
std::string retry_rule_parse(std::string_view text, RetryRule& out);
// Parses an error name ("rcpt_45x", "quota_4d", "*"); Exim's message or "".
std::string retry_error_parse(std::string_view name, RetryErrorSpec& out);
// Every rule of `cfg`, or an Error listing each bad line as "FILE:LINE: message".
util::Result<RetryRules> retry_rules_load(const config::Config& cfg);

bool retry_error_matches(const RetryErrorSpec& spec, const RetryError& e);

struct RetryQuery {
  std::string subject;      // "local@domain", or "*@domain" / "*@host" when no local part
  std::string alt_subject;  // tried with each rule when `subject` does not match ("" = none)
  RetryError error;
  const std::string* sender = nullptr;  // null: rules with a senders list never match
};
// The first matching rule, or null.
const RetryRule* retry_find_rule(const RetryRules& rules, lang::EvalContext& ctx,
                                 const RetryQuery& q);

// "*  *  F,2h,15m; G,16h,1h,1.5; F,4d,6h; " as -brt prints it after "Retry rule: ".
std::string retry_rule_display(const RetryRule& r);

struct RetryTiming {
  int64_t next_try = 0;
  bool expired = false;  // the last cutoff has passed: give up on the address
};
// When to try next after a failure at `now` (spec 32.7): the first parameter set whose cutoff
// (counted from `first_failed`) has not passed applies; past every cutoff the address has
// expired and the last set computes the time. G and H intervals grow from their start by the
// factor until they exceed `last_gap` (the previous next_try - last_try, 0 at the first
// failure); H picks a random interval between the start and that value (`random01` returns a
// number in [0, 1)). Intervals are capped at `interval_max`. No rule parameters: expired.
RetryTiming retry_next(const RetryRule& r, int64_t first_failed, int64_t last_gap, int64_t now,
                       int64_t interval_max, const std::function<double()>& random01 = {});
// The longest cutoff of a rule (0 when it has no parameters).
int64_t retry_final_cutoff(const RetryRule& r);

}  // namespace engine
