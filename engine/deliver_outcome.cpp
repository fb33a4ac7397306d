// engine/deliver_outcome.cpp — what happens to an address once its fate is known (spec 53.7 -
// 53.10 for the log lines): delivered addresses go to the journal, deferred ones keep their
// top-level recipient on the spool, failed ones wait for the bounce. Transport results are
// turned into these outcomes here, with the retry hints they update.
#include "engine/deliver_internal.h"
#include "engine/log_lines.h"
#include "util/strings.h"

namespace engine::deliver_detail {
namespace {

// Exim's special errno values in "defer (N)" for 4xx replies.
int defer_errno(const transports::AddressResult& r) {
  switch (r.error) {
    case transports::ErrorKind::Rcpt4xx:
      return -44;
    case transports::ErrorKind::Mail4xx:
      return -45;
    case transports::ErrorKind::Data4xx:
      return -46;
    default:
      return r.errno_value ? r.errno_value : -1;
  }
}

RetryErrorKind retry_kind(transports::ErrorKind k) {
  using E = transports::ErrorKind;
  switch (k) {
    case E::Quota:
      return RetryErrorKind::Quota;
    case E::Timeout:
      return RetryErrorKind::Timeout;
    case E::TimeoutConnect:
      return RetryErrorKind::TimeoutConnect;
    case E::Refused:
      return RetryErrorKind::Refused;
    case E::LostConnection:
      return RetryErrorKind::LostConnection;
    case E::Mail4xx:
      return RetryErrorKind::Mail4xx;
    case E::Rcpt4xx:
      return RetryErrorKind::Rcpt4xx;
    case E::Data4xx:
      return RetryErrorKind::Data4xx;
    case E::AuthFailed:
      return RetryErrorKind::AuthFailed;
    case E::TlsRequired:
      return RetryErrorKind::TlsRequired;
    default:
      return RetryErrorKind::Any;
  }
}

// The server's reply at the end of an "SMTP error from remote mail server after X: REPLY".
std::string remote_reply(const std::string& message) {
  static constexpr std::string_view kLead = "SMTP error from remote ";
  if (message.rfind(kLead, 0) != 0) return {};
  size_t after = message.find(" after ");
  size_t colon = message.find(": ", after == std::string::npos ? 0 : after);
  return colon == std::string::npos ? std::string() : message.substr(colon + 2);
}

}  // namespace

void MessageDelivery::delivered(const AddressPtr& a, const std::string& line) {
  if (!line.empty()) log(line);
  const std::string& u = a->unique.empty() ? a->address : a->unique;
  done_.push_back(u);
  journal_pending_.push_back(u);
  note_success(a);
}

void MessageDelivery::deferred(const AddressPtr& a, const AddressOutcome& o,
                               const std::string& line) {
  if (!line.empty()) log(line);
  deferred_tops_.insert(top_address(*a));
  deferrals_.push_back({a, o.message});
  if (o.freeze) freeze("");
}

void MessageDelivery::failed(const AddressPtr& a, const AddressOutcome& o,
                             const std::string& line) {
  if (!line.empty()) log(line);
  FailedAddress f;
  f.addr = a;
  f.report.address = a->address;
  if (a->parent) f.report.reason.push_back("(generated from " + top_address(*a) + ")");
  if (!o.host.empty()) f.report.reason.push_back("host " + o.host);
  std::string text = o.bounce_text.empty() ? o.message : o.bounce_text;
  std::string reply = remote_reply(text);
  if (!reply.empty()) {
    f.report.reason.push_back(text.substr(0, text.size() - reply.size() - 1));
    text = reply;
  }
  for (std::string_view l : util::split_lines(text)) f.report.reason.emplace_back(l);
  f.report.remote_mta = o.host.substr(0, o.host.find(' '));
  f.report.diagnostic = o.remote_reply.empty() ? reply : o.remote_reply;
  f.report.output = o.output;
  f.ignore = a->prop.ignore_error || (a->prop.errors_to && a->prop.errors_to->empty());
  f.errors_to = a->prop.errors_to.value_or("");
  failures_.push_back(std::move(f));
  if (o.freeze) freeze("");
}

void MessageDelivery::journal_flush() {
  if (journal_pending_.empty()) return;
  if (auto st = journal_.append(journal_pending_); !st && env_.log) {
    env_.log->paniclog(id_ + " " + st.error().message);
  }
  journal_pending_.clear();
}

// The outcome as the rest of the delivery needs it, from a transport's result.
static AddressOutcome outcome_of(const transports::AddressResult& r) {
  AddressOutcome o;
  o.kind = r.outcome == transports::Outcome::Ok     ? AddressOutcome::Kind::Delivered
           : r.outcome == transports::Outcome::Fail ? AddressOutcome::Kind::Failed
                                                    : AddressOutcome::Kind::Deferred;
  o.message = r.message;
  o.bounce_text = r.bounce_text;
  size_t bracket = r.host.find(']');
  o.host = r.host.substr(0, bracket == std::string::npos ? r.host.size() : bracket + 1);
  o.remote_reply = remote_reply(r.message);
  o.errno_value = defer_errno(r);
  o.freeze = r.freeze;
  if (r.return_output) o.output = r.output;
  return o;
}

// The retry key of an address failure: T:address for local transports, R:address:<sender>
// for an address refused by a remote host.
std::string MessageDelivery::address_retry_key(const Address& a, bool local) const {
  return local ? "T:" + a.address : "R:" + a.address + ":<" + msg_.sender + ">";
}

// A deferral is a failure once the retry rules give up (spec 32.10).
bool MessageDelivery::deferral_expired(const transports::AddressResult& r, const Address& a,
                                       bool local) {
  if (r.retry == transports::RetryScope::Address) {
    return retry_address_failure(address_retry_key(a, local), a, retry_kind(r.error), r.smtp_code,
                                 r.message, r.error == transports::ErrorKind::Quota);
  }
  return (r.retry == transports::RetryScope::Host || r.retry == transports::RetryScope::Message) &&
         hosts_expired_;
}

void MessageDelivery::record_results(const transports::Transport& t, std::vector<AddressPtr>& batch,
                                     transports::Delivery& d) {
  const LogSelector& sel = env_.log ? env_.log->config().selector : LogSelector();
  if (!t.is_local()) update_host_retry(d, batch.front()->domain);
  bool first_ok = true;
  for (size_t i = 0; i < batch.size() && i < d.results.size(); ++i) {
    const AddressPtr& a = batch[i];
    const transports::AddressResult& r = d.results[i];
    bool lp_only = a->router >= 0 && env_.chain->at(a->router).opts.log_as_local && t.is_local() &&
                   !is_delivery_address(*a);
    std::string who = log_address(*a, lp_only) + " R=" + a->router_name + " T=" + t.name();
    std::string host = r.host.empty() ? "" : " " + log_host(r.host, sel.on(LogItem::OutgoingPort));
    AddressOutcome o = outcome_of(r);
    if (!r.log_note.empty()) log(r.log_note);
    if (o.kind == AddressOutcome::Kind::Delivered) {
      std::string line = (first_ok ? "=> " : "-> ") + who + host;
      if (!r.confirmation.empty() && sel.on(LogItem::SmtpConfirmation))
        line += " C=" + log_quote(r.confirmation);
      first_ok = false;
      delivered(a, line);
      retry_success(address_retry_key(*a, t.is_local()));
    } else if (o.kind == AddressOutcome::Kind::Failed) {
      failed(a, o, "** " + who + host + ": " + r.message);
    } else if (deferral_expired(r, *a, t.is_local())) {
      o.kind = AddressOutcome::Kind::Failed;
      failed(a, o, "** " + who + host + ": retry timeout exceeded");
    } else {
      deferred(a, o,
               "== " + who + " defer (" + std::to_string(o.errno_value) + ")" +
                   (r.smtp_code ? host : "") + ": " + r.message);
    }
  }
}

}  // namespace engine::deliver_detail
