// engine/smtp/session_acl.cpp — the session as the ACL items see it (acl::SessionHooks):
// controls, header changes, and the verifications the session can do itself (helo,
// header_syntax, not_blind) or hands to routing (recipient, sender, header_sender).
#include "engine/smtp/session_acl.h"

#include "engine/smtp/session_vars.h"
#include "engine/smtp/spool_message.h"
#include "util/ip.h"
#include "util/strings.h"

namespace engine::smtp {
namespace {

constexpr std::string_view kAddressHeaders[] = {
    "From",        "To",        "Cc",        "Bcc",        "Reply-To",     "Sender",
    "Resent-From", "Resent-To", "Resent-Cc", "Resent-Bcc", "Resent-Sender"};

// Splits an address-list header value at commas outside quotes, comments and brackets.
std::vector<std::string> split_addresses(std::string_view v) {
  std::vector<std::string> out;
  std::string cur;
  int angle = 0, paren = 0;
  bool quoted = false;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '\\' && i + 1 < v.size()) {
      cur += c;
      cur += v[++i];
      continue;
    }
    if (c == '"' && paren == 0) quoted = !quoted;
    if (!quoted) {
      if (c == '(') ++paren;
      if (c == ')' && paren > 0) --paren;
      if (c == '<' && paren == 0) ++angle;
      if (c == '>' && paren == 0 && angle > 0) --angle;
      if (c == ',' && angle == 0 && paren == 0) {
        out.push_back(cur);
        cur.clear();
        continue;
      }
    }
    cur += c;
  }
  out.push_back(cur);
  return out;
}

// The values of the header lines named in `names` (any case), every occurrence, in message
// order.
std::vector<std::pair<std::string, std::string>> header_lines(
    const Transaction& t, const std::vector<std::string_view>& names) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string_view headers(t.data.data(), std::min(t.header_end, t.data.size()));
  for (const std::string& h : split_headers(headers)) {
    size_t colon = h.find(':');
    if (colon == std::string::npos) continue;
    std::string_view name = util::trim(std::string_view(h).substr(0, colon));
    for (std::string_view n : names) {
      if (util::iequals(name, n)) out.emplace_back(std::string(name), h.substr(colon + 1));
    }
  }
  return out;
}

// local_part@domain with the domain lowercased, the local part too when `fold`.
std::string blind_key(std::string_view local_part, std::string_view domain, bool fold) {
  return (fold ? util::to_lower(local_part) : std::string(local_part)) + "@" +
         util::to_lower(domain);
}

}  // namespace

std::string_view SessionAclHooks::where() const {
  static constexpr std::string_view names[] = {
      "connect", "helo", "mail", "rcpt", "predata",  "data", "quit",
      "notquit", "vrfy", "expn", "etrn", "starttls", "auth", "mailauth"};
  return names[static_cast<size_t>(s_.acl_where())];
}

std::string SessionAclHooks::client_address() const {
  return s_.settings().client_address;
}

std::string SessionAclHooks::client_name() const {
  return s_.client_name().name();
}

lang::HostNameSource* SessionAclHooks::host_names() {
  return &s_.client_name();
}

acl::VerifyOutcome SessionAclHooks::verify_reverse(std::string& log) {
  if (s_.settings().client_address.empty()) return acl::VerifyOutcome::Ok;
  ClientName& c = s_.client_name();
  switch (c.lookup()) {
    case lang::HostFind::Found:
      return acl::VerifyOutcome::Ok;
    case lang::HostFind::NotFound:
      log = "host lookup failed for reverse lookup check" + c.message();
      return acl::VerifyOutcome::Fail;
    case lang::HostFind::Defer:
      break;
  }
  log = "host lookup deferred for reverse lookup check";
  return acl::VerifyOutcome::Defer;
}

bool SessionAclHooks::control(std::string_view name, std::string_view options, std::string& error) {
  Session::Controls& c = s_.controls();
  if (name == "no_multiline_responses") {
    c.no_multiline = true;
  } else if (name == "allow_auth_unadvertised") {
    c.allow_auth_unadvertised = true;
  } else if (name == "caseful_local_part") {
    c.caseful_local_part = true;
    s_.variables().set("local_part", s_.rcpt_local_part());
  } else if (name == "caselower_local_part") {
    c.caseful_local_part = false;
    s_.variables().set("local_part", util::to_lower(s_.rcpt_local_part()));
  } else if (name == "fakereject" || name == "fakedefer") {
    c.fakereject = true;
    c.fakereject_text = std::string(options);
  } else if (name == "submission") {
    c.submission = true;
    std::string_view rest = options;
    while (!rest.empty()) {
      if (rest.substr(0, 5) == "name=") {  // the rest of the string, slashes and all
        c.submission_name = std::string(rest.substr(5));
        break;
      }
      size_t slash = rest.find('/');
      std::string_view o = rest.substr(0, slash);
      rest = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
      if (o == "sender_retain") {
        c.submission_retain = true;
      } else if (o.substr(0, 7) == "domain=") {
        c.submission_domain = std::string(o.substr(7));
      } else if (!o.empty()) {
        error = "syntax error in argument for \"control=submission\"";
        return false;
      }
    }
  } else if (name == "no_pipelining") {
    c.no_pipelining = true;
  } else if (name == "no_enforce_sync") {
    c.no_enforce_sync = true;
  } else if (name == "enforce_sync") {
    c.no_enforce_sync = false;
  } else if (name == "dkim_disable_verify" || name == "dmarc_disable_verify" ||
             name == "dmarc_enable_forensic" || name == "no_mbox_unspool" || name == "freeze" ||
             name == "queue_only" || name == "queue" || name == "no_delay_flush" ||
             name == "no_callout_flush" || name == "suppress_local_fixups" ||
             name == "cutthrough_delivery" || name == "debug" || name == "utf8_downconvert" ||
             name == "wellknown" || name == "allow_utf8_domains" || name == "no_bounce") {
    // Accepted; these have no effect on an SMTP session yet.
  } else {
    error = "unknown control \"" + std::string(name) + "\" in ACL";
    return false;
  }
  return true;
}

void SessionAclHooks::add_header(std::string text) {
  s_.add_header(std::move(text));
}
void SessionAclHooks::remove_header(std::string names) {
  s_.remove_header(std::move(names));
}
bool SessionAclHooks::delays_allowed() const {
  return !s_.settings().host_checking;
}

bool SessionAclHooks::delay_async(long long seconds) {
  if (!s_.settings().event_loop) return false;
  s_.hold_output(seconds);
  return true;
}

std::vector<std::string> SessionAclHooks::recipients() const {
  std::vector<std::string> r;
  for (const auto& x : s_.transaction().recipients) r.push_back(x.address);
  return r;
}

std::string SessionAclHooks::message_text() const {
  const Transaction& t = s_.transaction();
  size_t h = std::min(t.header_end, t.data.size());
  return t.received + t.data.substr(0, h) + "\n" + std::string(transaction_body(t));
}

std::string SessionAclHooks::authenticated_by() const {
  return s_.authenticated_by();
}

std::string SessionAclHooks::host_and_ident() const {
  return s_.host_id();
}

// verify = helo (spec 44.26 and helo_try_verify_hosts in chapter 14): true without a remote
// host; an address literal must be the client's address; a name must be the client's
// verified name or an alias, or have the client's address among its A/AAAA records. A
// temporary failure of the reverse lookup defers.
acl::VerifyOutcome SessionAclHooks::verify_helo(std::string& message) const {
  message = "";
  std::string helo;
  if (!s_.variables().get("sender_helo_name", helo) || helo.empty()) {
    return acl::VerifyOutcome::Fail;
  }
  const bool tracing = s_.settings().acl_trace != nullptr;
  if (tracing) s_.trace("verifying EHLO/HELO argument \"" + helo + "\"");
  auto client = util::IpAddress::parse(s_.settings().client_address);
  if (!client) return acl::VerifyOutcome::Ok;  // -bs with no client address
  if (helo.front() == '[') {
    if (helo.size() > 2 && helo.back() == ']') {
      std::string_view lit = std::string_view(helo).substr(1, helo.size() - 2);
      if (util::starts_with_ci(lit, "IPv6:")) lit.remove_prefix(5);
      auto a = util::IpAddress::parse(lit);
      if (a && a->str() == client->str()) {
        if (tracing) s_.trace("matched host address");
        return acl::VerifyOutcome::Ok;
      }
    }
    return acl::VerifyOutcome::Fail;
  }
  ClientName& c = s_.client_name();
  lang::HostFind f = c.lookup();
  if (f == lang::HostFind::Defer) return acl::VerifyOutcome::Defer;
  if (f == lang::HostFind::Found) {
    if (util::iequals(c.name(), helo)) return acl::VerifyOutcome::Ok;
    for (const auto& a : c.aliases()) {
      if (util::iequals(a, helo)) return acl::VerifyOutcome::Ok;
    }
  }
  for (std::uint16_t type : {util::dns::kAAAA, util::dns::kA}) {
    util::dns::Answer a = lang::dns_query(s_.context(), helo, type);
    for (const auto& r : a.records) {
      auto ip = util::IpAddress::parse(r.host);
      if (ip && ip->unmapped() == client->unmapped()) return acl::VerifyOutcome::Ok;
    }
  }
  return acl::VerifyOutcome::Fail;
}

// verify = header_syntax: every address in every address header line must parse. Exim's log
// text; like Exim (without smtp_return_error_details) the client gets only the ACL's message.
acl::VerifyOutcome SessionAclHooks::verify_header_syntax(std::string& message) const {
  const Transaction& t = s_.transaction();
  std::vector<std::string_view> names(std::begin(kAddressHeaders), std::end(kAddressHeaders));
  for (const auto& [name, value] : header_lines(t, names)) {
    for (const auto& part : split_addresses(value)) {
      if (util::trim(part).empty()) continue;
      auto r = parse_path(part, {});
      if (!r || r->domain.empty()) {
        message = (r ? std::string("unqualified address not permitted") : r.error().message) +
                  ": failing address in \"" + name +
                  ":\" header is: " + std::string(util::trim(part));
        return acl::VerifyOutcome::Fail;
      }
    }
  }
  return acl::VerifyOutcome::Ok;
}

// verify = not_blind: every envelope recipient is in a To:, Cc:, Resent-To: or Resent-Cc:
// header line; local parts compared exactly (or without case with /case_insensitive),
// domains without case. Exim's log text for a failure.
acl::VerifyOutcome SessionAclHooks::verify_not_blind(std::string_view options,
                                                     std::string& message) const {
  bool fold = false;
  while (!options.empty()) {
    size_t slash = options.find('/');
    std::string_view o = util::trim(options.substr(0, slash));
    options = slash == std::string_view::npos ? "" : options.substr(slash + 1);
    if (o == "case_insensitive") {
      fold = true;
    } else if (!o.empty()) {
      message = "unknown option \"" + std::string(o) + "\" in ACL condition \"verify\"";
      return acl::VerifyOutcome::Defer;
    }
  }
  const Transaction& t = s_.transaction();
  std::vector<std::string> seen;
  for (const auto& [name, value] : header_lines(t, {"To", "Cc", "Resent-To", "Resent-Cc"})) {
    for (const auto& part : split_addresses(value)) {
      auto r = parse_path(util::trim(part), {});
      if (r && !r->domain.empty()) seen.push_back(blind_key(r->local_part, r->domain, fold));
    }
  }
  for (const auto& rcpt : t.recipients) {
    size_t at = rcpt.address.rfind('@');
    if (at == std::string::npos) continue;
    std::string key = blind_key(std::string_view(rcpt.address).substr(0, at),
                                std::string_view(rcpt.address).substr(at + 1), fold);
    if (std::find(seen.begin(), seen.end(), key) == seen.end()) {
      message = "bcc recipient detected";
      return acl::VerifyOutcome::Fail;
    }
  }
  return acl::VerifyOutcome::Ok;
}

// verify = header_sender: one address of a Sender:, Reply-To: or From: header line verifies
// as a sender (routing, callouts as asked). A syntax error fails at once, with Exim's log
// text; deferrals count unless defer_ok.
acl::VerifyOutcome SessionAclHooks::verify_header_sender(const VerifyRequest& base, bool defer_ok,
                                                         std::string& message) {
  const Transaction& t = s_.transaction();
  bool deferred = false;
  for (const auto& [name, value] : header_lines(t, {"Sender", "Reply-To", "From"})) {
    for (const auto& part : split_addresses(value)) {
      std::string_view text = util::trim(part);
      if (text.empty()) continue;
      auto r = parse_path(text, {});
      if (!r) {
        message = "syntax error in '" + name +
                  ":' header when scanning for sender: " + r.error().message + " in \"" +
                  std::string(text) + "\"";
        return acl::VerifyOutcome::Fail;
      }
      if (r->domain.empty()) continue;  // unqualified: never a valid sender from a client
      VerifyRequest req = base;
      req.address = r->address();
      req.kind = VerifyKind::Sender;
      VerifyResult v = s_.services().verify_address(req, s_.context());
      if (v.status == VerifyStatus::Ok) return acl::VerifyOutcome::Ok;
      if (v.status == VerifyStatus::Defer) deferred = true;
    }
  }
  if (deferred && !defer_ok) {
    message = "could not verify any sender in the header lines";
    return acl::VerifyOutcome::Defer;
  }
  if (deferred) return acl::VerifyOutcome::Ok;
  message = "there is no valid sender in any header line";
  return acl::VerifyOutcome::Fail;
}

// The options of verify = recipient/sender (spec 44.45): defer_ok, no_details,
// success_on_redirect, callout[=...] (made by the verifier: engine/callout.h).
static bool verify_options(std::string_view options, bool& defer_ok, bool& no_details,
                           VerifyRequest& req, std::string& error) {
  while (!options.empty()) {
    size_t slash = options.find('/');
    std::string_view o = util::trim(options.substr(0, slash));
    options = slash == std::string_view::npos ? "" : options.substr(slash + 1);
    if (o == "defer_ok")
      defer_ok = true;
    else if (o == "no_details")
      no_details = true;
    else if (o == "success_on_redirect")
      req.success_on_redirect = true;
    else if (o.substr(0, 7) == "callout" && (o.size() == 7 || o[7] == '='))
      req.callout = std::string(o.substr(7));
    else if (o == "quota" || o.substr(0, 6) == "quota=")
      continue;
    else if (!o.empty()) {
      error = "unknown option \"" + std::string(o) + "\" in ACL condition \"verify\"";
      return false;
    }
  }
  return true;
}

acl::VerifyOutcome SessionAclHooks::verify(std::string_view what, std::string_view options,
                                           std::string& message, std::string& log) {
  if (what == "helo") return verify_helo(message);
  if (what == "header_syntax") {
    acl::VerifyOutcome o = verify_header_syntax(message);
    if (o == acl::VerifyOutcome::Fail) log = message, message.clear();
    return o;
  }
  if (what == "not_blind" || what == "header_sender") {
    if (s_.acl_where() != AclWhere::Data) {
      message = "cannot check " + std::string(what) + " in a non-DATA ACL";
      return acl::VerifyOutcome::Defer;
    }
  }
  if (what == "not_blind") {
    acl::VerifyOutcome o = verify_not_blind(options, message);
    if (o == acl::VerifyOutcome::Fail) log = message, message.clear();
    return o;
  }
  bool defer_ok = false, no_details = false;
  VerifyRequest req;
  if (!verify_options(options, defer_ok, no_details, req, message))
    return acl::VerifyOutcome::Defer;
  if (what == "header_sender") {
    acl::VerifyOutcome o = verify_header_sender(req, defer_ok, message);
    if (o != acl::VerifyOutcome::Ok) log = message, message.clear();
    return o;
  }
  if (what == "recipient") {
    std::string d;
    s_.variables().get("domain", d);
    req.address = s_.rcpt_local_part() + "@" + d;
    req.kind = VerifyKind::Recipient;
  } else if (what == "sender") {
    s_.variables().get("sender_address", req.address);
    if (req.address.empty()) return acl::VerifyOutcome::Ok;  // the null sender is always good
    req.kind = VerifyKind::Sender;
  } else {
    message = "verify = " + std::string(what) + " is not supported";
    return acl::VerifyOutcome::Defer;
  }
  VerifyResult r = s_.services().verify_address(req, s_.context());
  if (r.status == VerifyStatus::Ok || (r.status == VerifyStatus::Defer && defer_ok)) {
    // $address_data stays for the rest of the ACL; a sender's becomes $sender_address_data.
    std::string var = what == "sender" ? "sender_address_data" : "address_data";
    if (r.address_data_set)
      s_.variables().set(var, r.address_data);
    else
      s_.variables().unset(var);
    return acl::VerifyOutcome::Ok;
  }
  message = r.user_message.empty() ? r.message : r.user_message;
  if (!r.user_message.empty() && !r.message.empty() && r.message != r.user_message) log = r.message;
  if (what == "sender") {
    // Exim logs a failed sender verification on a line of its own.
    std::string why = log.empty() ? message : log;
    s_.services().log(s_.host_id() + " sender verify " +
                      (r.status == VerifyStatus::Fail ? "fail" : "defer") + " for <" + req.address +
                      ">" + (why.empty() ? "" : ": " + why));
    log.clear();
    if (r.status == VerifyStatus::Fail && !no_details && !r.user_message.empty())
      s_.set_sender_verify_failure("Verification failed for <" + req.address + ">\n" +
                                   r.user_message);
    bool callout_defer = r.user_message.rfind("Could not complete sender verify", 0) == 0;
    message = r.status == VerifyStatus::Fail ? "Sender verify failed"
              : callout_defer                ? r.user_message
                                             : "Could not complete sender verify";
  }
  return r.status == VerifyStatus::Fail ? acl::VerifyOutcome::Fail : acl::VerifyOutcome::Defer;
}

}  // namespace engine::smtp
