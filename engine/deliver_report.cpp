// engine/deliver_report.cpp — bounces for failed addresses and delay warnings for deferred
// ones, submitted as new messages (spec chapter 50; delay_warning, delay_warning_condition,
// RFC 3461 NOTIFY). A failed address counts as done only once its bounce is on the spool;
// a bounce that fails is never bounced: the message is frozen, or its failures are dropped
// past ignore_bounce_errors_after.
#include <pwd.h>
#include <unistd.h>

#include <map>
#include <random>

#include "engine/config/main_options.h"
#include "engine/config/values.h"
#include "engine/deliver_internal.h"
#include "engine/spool_config.h"
#include "util/strings.h"

namespace engine::deliver_detail {
namespace {

// The spool entry of the top-level recipient an address comes from (null if none).
const SpoolRecipient* recipient_of(const SpoolMessage& m, const Address& a) {
  const std::string& top = top_address(a);
  for (const auto& r : m.recipients)
    if (r.address == top) return &r;
  return nullptr;
}

// RFC 3461 NOTIFY: whether `flag` (failure or delay) was asked for (no NOTIFY: yes).
bool notify_wanted(const SpoolRecipient* r, unsigned flag) {
  if (!r || !r->has_dsn || r->dsn_flags == 0) return true;
  if (r->dsn_flags & kDsnNever) return false;
  return (r->dsn_flags & flag) != 0;
}

std::string process_login() {
  const passwd* pw = getpwuid(geteuid());
  return pw ? pw->pw_name : std::to_string(geteuid());
}

uint32_t random_u32() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  return rng() & 0x7fffffff;
}

// The body of the message to return, up to the size limit (and a little more, so that a
// cut is noticed).
std::string body_for_report(const transports::MessageSource& src, int64_t limit) {
  std::string body;
  size_t max = limit > 0 ? static_cast<size_t>(limit) + 1 : SIZE_MAX;
  (void)src.read_body([&](std::string_view chunk) {
    body.append(chunk.substr(0, std::min(chunk.size(), max - body.size())));
    return body.size() < max;
  });
  return body;
}

// delay_warning's schedule: the n-th warning is due at times[n]; past the list, every
// (last - previous) again (spec 14, delay_warning).
int64_t warning_threshold(const std::vector<int64_t>& times, int n) {
  if (times.empty()) return INT64_MAX;
  if (static_cast<size_t>(n) < times.size()) return times[static_cast<size_t>(n)];
  int64_t last = times.back();
  int64_t step = times.size() > 1 ? last - times[times.size() - 2] : last;
  if (step <= 0) return INT64_MAX;
  return last + step * (n - static_cast<int64_t>(times.size()) + 1);
}

}  // namespace

bool MessageDelivery::submit_report(LocalMessage m) {
  if (!env_.submitter) return false;
  m.caller.login = process_login();
  m.caller.uid = geteuid();
  m.caller.gid = getegid();
  auto id = env_.submitter->submit(m);
  if (!id && env_.log) {
    env_.log->paniclog(id_ + " failed to write a bounce or warning message: " + id.error().message);
  }
  return id.ok();
}

bool MessageDelivery::send_bounces() {
  std::map<std::string, std::vector<const FailedAddress*>> by_recipient;
  for (const auto& f : failures_) {
    const std::string& u = f.addr->unique.empty() ? f.addr->address : f.addr->unique;
    const SpoolRecipient* top = recipient_of(msg_, *f.addr);
    if (f.ignore || !notify_wanted(top, kDsnFailure)) {
      done_.push_back(u);
      continue;
    }
    std::string to = f.errors_to.empty() ? msg_.sender : f.errors_to;
    if (to.empty()) {  // a bounce that failed: no bounce of a bounce
      if (req_.ignore_errors) {
        done_.push_back(u);
        continue;
      }
      deferred_tops_.insert(top_address(*f.addr));
      freeze("delivery error message");
      continue;
    }
    by_recipient[to].push_back(&f);
  }
  if (by_recipient.empty()) return true;
  ReportOptions o = report_options(*env_.cfg);
  o.now = now_;
  std::string body = body_for_report(*src_, o.return_message ? o.size_limit : 0);
  ReportedMessage rm{&msg_, body, src_->body_size()};
  bool all_ok = true;
  for (const auto& [to, list] : by_recipient) {
    std::vector<ReportedAddress> reports;
    for (const FailedAddress* f : list) {
      reports.push_back(f->report);
      if (const SpoolRecipient* top = recipient_of(msg_, *f->addr); top && top->has_dsn)
        reports.back().orcpt = top->orcpt;
    }
    o.boundary_random = random_u32();
    if (submit_report(bounce_build(rm, to, reports, o))) {
      for (const FailedAddress* f : list)
        done_.push_back(f->addr->unique.empty() ? f->addr->address : f->addr->unique);
      continue;
    }
    all_ok = false;
    for (const FailedAddress* f : list) deferred_tops_.insert(top_address(*f->addr));
  }
  return all_ok;
}

void MessageDelivery::note_success(const AddressPtr& a) {
  const SpoolRecipient* top = recipient_of(msg_, *a);
  if (!top || !top->has_dsn || !(top->dsn_flags & kDsnSuccess) || msg_.sender.empty()) return;
  ReportedAddress r;
  r.address = a->address;
  r.orcpt = top->orcpt;
  successes_.push_back(std::move(r));
}

void MessageDelivery::send_success_notices() {
  if (successes_.empty()) return;
  ReportOptions o = report_options(*env_.cfg);
  o.now = now_;
  o.boundary_random = random_u32();
  ReportedMessage rm{&msg_, "", src_->body_size()};
  (void)submit_report(success_build(rm, msg_.sender, successes_, o));
  successes_.clear();
}

void MessageDelivery::maybe_warn() {
  if (deferrals_.empty() || msg_.sender.empty()) return;
  std::vector<int64_t> times;
  std::string text = config::main_string(*env_.cfg, "delay_warning");
  if (!env_.cfg->find_main("delay_warning")) text = "1d";
  if (!config::read_time_list(text, "delay_warning", times).empty() || times.empty() ||
      times.front() <= 0)
    return;
  int64_t age = now_ - msg_.received_time;
  if (age < warning_threshold(times, msg_.warning_count)) return;
  std::vector<ReportedAddress> reports;
  std::string domain;
  bool one_domain = true;
  for (const auto& d : deferrals_) {
    if (!notify_wanted(recipient_of(msg_, *d.addr), kDsnDelay)) continue;
    ReportedAddress r;
    r.address = d.addr->address;
    if (!d.message.empty()) r.reason.push_back(d.message);
    reports.push_back(std::move(r));
    if (domain.empty()) domain = d.addr->domain;
    one_domain &= d.addr->domain == domain;
  }
  if (reports.empty()) return;
  base_vars_.set("domain", one_domain ? domain : "");
  auto cond = main_option_value(*env_.cfg, ctx_, "delay_warning_condition");
  base_vars_.unset("domain");
  if (!cond || cond->empty() || *cond == "0" || util::iequals(*cond, "no") ||
      util::iequals(*cond, "false"))
    return;
  ReportOptions o = report_options(*env_.cfg);
  o.now = now_;
  o.boundary_random = random_u32();
  ReportedMessage rm{&msg_, "", src_->body_size()};
  if (!submit_report(warning_build(rm, msg_.sender, reports, age, o))) return;
  int n = msg_.warning_count;
  while (warning_threshold(times, n) <= age && n < 1000000) ++n;
  msg_.warning_count = n;
}

}  // namespace engine::deliver_detail
