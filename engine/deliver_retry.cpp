// engine/deliver_retry.cpp — retry hints during a delivery (spec chapter 32): whether an
// address or host may be tried now, and the records written after temporary failures.
//
// Routing and local-delivery retry times are honoured in queue runs only (an immediate
// delivery always runs the routers and local transports, spec 32 intro); host retry times
// always, unless the delivery is forced. A message older than its rule's final cutoff is
// tried anyway, and fails if that try fails (spec 32.11). Without a matching rule, a
// temporary failure is permanent.
#include "engine/config/main_options.h"
#include "engine/deliver_internal.h"

namespace engine::deliver_detail {
namespace {

std::string host_key(const transports::Host& h) {
  std::string k = "T:" + h.name + ":" + h.address;
  if (h.port > 0 && h.port != 25) k += "+" + std::to_string(h.port);
  return k;
}

std::string host_key(const Host& h) {
  return host_key(transports::Host{h.name, h.address, h.port, h.mx});
}

}  // namespace

// A record that is recent enough to count (retry_data_expire).
static std::optional<RetryRecord> fresh(const DeliveryEnv& env, const std::string& key,
                                        int64_t now) {
  if (!env.hints) return std::nullopt;
  auto r = env.hints->get(key);
  if (!r) return r;
  int64_t expire = config::main_time(*env.cfg, "retry_data_expire");
  if (expire > 0 && now - r->time_stamp > expire) return std::nullopt;
  return r;
}

bool MessageDelivery::routing_due(const Address& a) {
  if (!req_.queue_run || req_.forced) return true;
  for (const std::string& key : {"R:" + a.domain, "R:" + a.address}) {
    auto r = fresh(env_, key, now_);
    if (r && now_ < r->next_try && !r->expired) return false;
  }
  return true;
}

bool MessageDelivery::local_due(const Address& a) {
  if (!req_.queue_run || req_.forced) return true;
  auto r = fresh(env_, "T:" + a.address, now_);
  return !r || now_ >= r->next_try || r->expired;
}

bool MessageDelivery::filter_hosts(Address& a, bool& all_expired) {
  all_expired = false;
  if (req_.forced || !env_.hints) return true;
  std::vector<Host> keep;
  bool every_skip_expired = true;
  for (const Host& h : a.hosts) {
    auto r = h.address.empty() ? std::nullopt : fresh(env_, host_key(h), now_);
    if (!r || now_ >= r->next_try) {
      keep.push_back(h);
      continue;
    }
    every_skip_expired &= r->expired;
  }
  if (keep.empty() && !a.hosts.empty()) {
    all_expired = every_skip_expired;
    return false;
  }
  a.hosts = std::move(keep);
  return true;
}

// The record after a failure now: the rule's next time, or expired.
static RetryRecord next_record(const std::optional<RetryRecord>& old, const RetryRule& rule,
                               int64_t now, int64_t first_failed_floor, int64_t interval_max,
                               const std::string& text) {
  RetryRecord r;
  r.first_failed = old ? old->first_failed : now;
  if (first_failed_floor > 0 && first_failed_floor < r.first_failed)
    r.first_failed = first_failed_floor;
  int64_t gap = old ? old->next_try - old->last_try : 0;
  RetryTiming t = retry_next(rule, r.first_failed, gap, now, interval_max);
  r.time_stamp = r.last_try = now;
  r.next_try = t.next_try;
  r.expired = t.expired;
  r.text = text;
  return r;
}

bool MessageDelivery::retry_address_failure(const std::string& key, const Address& a,
                                            RetryErrorKind kind, int code, const std::string& text,
                                            bool use_received) {
  RetryQuery q;
  q.subject = a.address.find('@') == std::string::npos ? "*@" + a.domain : a.address;
  q.error = {kind, code, false, -1};
  q.sender = &msg_.sender;
  const RetryRule* rule = env_.retry_rules ? retry_find_rule(*env_.retry_rules, ctx_, q) : nullptr;
  if (!rule) return true;
  // A message older than the longest cutoff fails at its first failure (spec 32.11).
  int64_t cutoff = retry_final_cutoff(*rule);
  if (cutoff > 0 && now_ - msg_.received_time > cutoff) return true;
  int64_t imax = config::main_time(*env_.cfg, "retry_interval_max");
  RetryRecord r = next_record(fresh(env_, key, now_), *rule, now_,
                              use_received ? msg_.received_time : 0, imax, text);
  if (env_.hints) env_.hints->put(key, r);
  return r.expired;
}

void MessageDelivery::retry_success(const std::string& key) {
  if (env_.hints) env_.hints->remove(key);
}

void MessageDelivery::update_host_retry(const transports::Delivery& d, const std::string& domain) {
  hosts_expired_ = false;
  bool any_failed = false, all_expired = true;
  int64_t imax = config::main_time(*env_.cfg, "retry_interval_max");
  for (const auto& ha : d.hosts) {
    std::string key = host_key(ha.host);
    if (ha.outcome == transports::Outcome::Ok) {
      retry_success(key);
      all_expired = false;
      continue;
    }
    if (ha.outcome != transports::Outcome::Defer) continue;
    if (!ha.message.empty() && !ha.message_specific) {
      log(log_host(ha.host.name + " [" + ha.host.address + "]", false) + " " + ha.message);
    }
    any_failed = true;
    if (ha.message_specific) key += ":" + id_;
    RetryQuery q;
    q.subject = "*@" + ha.host.name;
    q.alt_subject = "*@" + domain;
    q.error = {ha.error == transports::ErrorKind::Refused          ? RetryErrorKind::Refused
               : ha.error == transports::ErrorKind::TimeoutConnect ? RetryErrorKind::TimeoutConnect
               : ha.error == transports::ErrorKind::Timeout        ? RetryErrorKind::Timeout
               : ha.error == transports::ErrorKind::LostConnection ? RetryErrorKind::LostConnection
                                                                   : RetryErrorKind::Any,
               0, ha.host.mx >= 0, -1};
    q.sender = &msg_.sender;
    const RetryRule* rule =
        env_.retry_rules ? retry_find_rule(*env_.retry_rules, ctx_, q) : nullptr;
    if (!rule) continue;  // no rule: the failure is permanent for the addresses
    int64_t cutoff = retry_final_cutoff(*rule);
    bool old_message = cutoff > 0 && now_ - msg_.received_time > cutoff;
    RetryRecord r = next_record(fresh(env_, key, now_), *rule, now_,
                                ha.message_specific ? msg_.received_time : 0, imax, ha.message);
    if (env_.hints) env_.hints->put(key, r);
    all_expired &= r.expired || old_message;
  }
  bool rules = env_.retry_rules && !env_.retry_rules->rules.empty();
  hosts_expired_ = any_failed && (all_expired || !rules);
}

}  // namespace engine::deliver_detail
