// transports/smtp_session.cpp — one attempt of the smtp transport at one host (see smtp.h):
// connection, greeting, STARTTLS (spec 43 "Encrypted SMTP connections using TLS/SSL", client
// side), client authentication (spec 33), and the transactions.
#include <algorithm>

#include "authenticators/client.h"
#include "lang/lists.h"
#include "lang/match/hostlist.h"
#include "transports/smtp.h"
#include "transports/smtp_hosts.h"
#include "util/ip.h"
#include "util/strings.h"

namespace transports::smtp {

util::Result<std::shared_ptr<util::TlsClientContext>> TlsContexts::get(
    const util::TlsClientOptions& o) {
  std::lock_guard<std::mutex> g(m_);
  if (auto it = cache_.find(o); it != cache_.end()) return it->second;
  auto c = util::TlsClientContext::create(o);
  if (!c) return c.error();
  cache_.emplace(o, *c);
  return *c;
}

bool host_in_list(Expander& ex, const ProgramPtr& list, std::string_view dflt, const Host& host) {
  std::string value(dflt), err;
  if (list && ex.expand(*list, value, err) != ExpandOutcome::Ok) return false;
  if (value.empty()) return false;
  lang::HostMatch m;
  lang::HostInfo info;
  info.address = host.address;
  info.name = host.name;
  lang::Status st = lang::match_hostlist(ex.context(), value, info, lang::HostListMode::Acl, m);
  return st.is_ok() && m.matched;
}

namespace {

enum class Next : unsigned char { Done, RetryInClear, Fresh };

std::string host_label(const Host& h) {
  std::string s = h.name + " [" + h.address + "]";
  if (h.port > 0 && h.port != 25) s += ":" + std::to_string(h.port);
  return s;
}

class Attempt {
 public:
  Attempt(Session& s, const Host& host, std::vector<size_t>& pending)
      : s_(s), host_(host), pending_(pending) {
    ha_.host = host;
  }
  // `reuse`: may carry on down an idle connection from the pool.
  Next run(bool try_tls, bool reuse);
  HostAttempt& record() { return ha_; }

 private:
  bool lmtp() const { return s_.opt.protocol == "lmtp"; }
  std::string label() const { return host_label(host_) + (continued_ ? "*" : ""); }
  void host_failed(std::string message, ErrorKind kind, int err = 0);
  bool bind_address(std::string& bind, std::string& err);
  void make_key(bool try_tls);
  bool resume();
  bool adopt(IdleConnection& c);
  void finish();
  bool connect();
  void open_conversation();
  void set_tls_vars();
  bool greet();
  bool ehlo();
  bool starttls(bool try_tls, bool& retry_clear);
  bool handshake(bool& retry_clear);
  bool authenticate();
  void transactions();
  void run_group(const std::vector<size_t>& group);
  std::string mail_command() const;
  std::string rcpt_command(const DeliveryAddress& a) const;

  Session& s_;
  const Host& host_;
  std::vector<size_t>& pending_;
  HostAttempt ha_;
  util::LineStream stream_;
  std::unique_ptr<SmtpConversation> conv_;
  SmtpCapabilities caps_;
  std::string helo_;
  bool tls_ = false;
  bool broken_ = false;  // the connection is unusable
  util::TlsSessionInfo tls_info_;
  std::optional<PoolKey> key_;  // set when the connection may go to the pool
  int64_t messages_ = 0;        // messages sent down this connection before this one
  bool continued_ = false;      // carried on from an earlier delivery
  bool stale_ = false;          // a reused connection failed before MAIL was answered
};

void Attempt::host_failed(std::string message, ErrorKind kind, int err) {
  ha_.outcome = Outcome::Defer;
  ha_.error = kind;
  ha_.message = message;
  for (size_t i : pending_) {
    AddressResult r = defer_result(message, err);
    r.error = kind;
    r.retry = RetryScope::Host;
    r.host = label();
    s_.d.results[i] = std::move(r);
  }
  broken_ = true;
}

// The local address to bind (`interface`): the first of the host's family, or "".
bool Attempt::bind_address(std::string& bind, std::string& err) {
  if (!s_.opt.interface) return true;
  std::string list;
  if (s_.ex.expand(*s_.opt.interface, list, err) == ExpandOutcome::Error) {
    err = "failed to expand \"interface\": " + err;
    return false;
  }
  auto want = util::IpAddress::parse(host_.address);
  lang::ListReader r(list);
  std::string item;
  while (bind.empty() && r.next(item)) {
    auto ip = util::IpAddress::parse(item);
    if (ip && want && ip->is_v4() == want->is_v4()) bind = item;
  }
  return true;
}

// The SMTP conversation on stream_, with the transport's timeouts; `sending_*` variables.
void Attempt::open_conversation() {
  SmtpTimeouts t{static_cast<int>(s_.opt.command_timeout), static_cast<int>(s_.opt.data_timeout),
                 static_cast<int>(s_.opt.final_timeout)};
  conv_ = std::make_unique<SmtpConversation>(stream_, t, s_.services.debug);
  s_.ex.vars().set("sending_ip_address", stream_.local_address());
  s_.ex.vars().set("sending_port", std::to_string(stream_.local_port()));
}

// What the host attempt record and the $tls_out_* variables say about the TLS session.
void Attempt::set_tls_vars() {
  ha_.tls_cipher = tls_info_.cipher;
  ha_.tls_peerdn = tls_info_.peerdn;
  ha_.tls_verified = tls_info_.verified;
  Expander& ex = s_.ex;
  ex.vars().set("tls_out_cipher", tls_info_.cipher);
  ex.vars().set("tls_out_peerdn", tls_info_.peerdn);
  ex.vars().set("tls_out_bits", std::to_string(tls_info_.bits));
  ex.vars().set("tls_out_certificate_verified", tls_info_.verified ? "1" : "0");
}

bool Attempt::connect() {
  std::string bind, err;
  if (!bind_address(bind, err)) {
    host_failed(err, ErrorKind::Other);
    return false;
  }
  auto c = util::LineStream::connect_tcp(host_.address, ha_.host.port, bind,
                                         static_cast<int>(s_.opt.connect_timeout));
  if (auto* e = std::get_if<util::IoError>(&c)) {
    ErrorKind k = e->kind == util::IoErrorKind::Refused   ? ErrorKind::Refused
                  : e->kind == util::IoErrorKind::Timeout ? ErrorKind::TimeoutConnect
                                                          : ErrorKind::Other;
    host_failed(e->err ? util::errno_text(e->err) : e->message, k, e->err);
    return false;
  }
  stream_ = std::move(std::get<util::LineStream>(c));
  open_conversation();
  return true;
}

// EHLO (LHLO for LMTP), falling back to HELO when EHLO is refused or avoided.
bool Attempt::ehlo() {
  bool avoid = !lmtp() && host_in_list(s_.ex, s_.opt.hosts_avoid_esmtp, "", host_);
  std::string verb = lmtp() ? "LHLO " : "EHLO ";
  auto r = conv_->exchange((avoid ? "HELO " : verb) + helo_);
  if (auto* e = std::get_if<util::IoError>(&r)) {
    host_failed(
        smtp_io_error_text(*e, avoid ? "HELO" : verb.substr(0, 4)),
        e->kind == util::IoErrorKind::Timeout ? ErrorKind::Timeout : ErrorKind::LostConnection);
    return false;
  }
  SmtpReply rep = std::get<SmtpReply>(r);
  if (!rep.ok() && !avoid && !lmtp()) {
    auto h = conv_->exchange("HELO " + helo_);
    if (auto* e = std::get_if<util::IoError>(&h)) {
      host_failed(smtp_io_error_text(*e, "HELO"), ErrorKind::LostConnection);
      return false;
    }
    rep = std::get<SmtpReply>(h);
    avoid = true;
  }
  if (!rep.ok()) {
    host_failed(smtp_error_text(avoid ? "HELO" : verb.substr(0, 4), rep, lmtp()), ErrorKind::Other);
    return false;
  }
  caps_ = avoid ? SmtpCapabilities{} : parse_capabilities(rep);
  return true;
}

bool Attempt::greet() {
  auto banner = conv_->read_reply();
  if (auto* e = std::get_if<util::IoError>(&banner)) {
    host_failed(smtp_io_error_text(*e, "initial connection"), e->kind == util::IoErrorKind::Timeout
                                                                  ? ErrorKind::Timeout
                                                                  : ErrorKind::LostConnection);
    return false;
  }
  const SmtpReply& b = std::get<SmtpReply>(banner);
  if (!b.ok()) {
    host_failed(smtp_error_text("initial connection", b, lmtp()), ErrorKind::Other);
    return false;
  }
  std::string err;
  if (s_.ex.option(s_.opt.helo_data.get(), "helo_data", helo_, err, "$primary_hostname") !=
      ExpandOutcome::Ok) {
    host_failed(err, ErrorKind::Other);
    return false;
  }
  if (!s_.opt.helo_data) s_.ex.vars().get("primary_hostname", helo_);
  return ehlo();
}

// The TLS handshake itself, and the verification policy afterwards.
bool Attempt::handshake(bool& retry_clear) {
  Expander& ex = s_.ex;
  util::TlsClientOptions to;
  std::string err, sni;
  bool ok = ex.option(s_.opt.tls_verify_certificates.get(), "tls_verify_certificates",
                      to.verify_certificates, err, "system") == ExpandOutcome::Ok &&
            ex.option(s_.opt.tls_certificate.get(), "tls_certificate", to.certificate, err) !=
                ExpandOutcome::Error &&
            ex.option(s_.opt.tls_privatekey.get(), "tls_privatekey", to.privatekey, err) !=
                ExpandOutcome::Error &&
            ex.option(s_.opt.tls_require_ciphers.get(), "tls_require_ciphers", to.ciphers, err) !=
                ExpandOutcome::Error &&
            ex.option(s_.opt.tls_crl.get(), "tls_crl", to.crl, err) != ExpandOutcome::Error &&
            ex.option(s_.opt.tls_sni.get(), "tls_sni", sni, err) != ExpandOutcome::Error;
  auto ctx = ok ? s_.tls.get(to)
                : util::Result<std::shared_ptr<util::TlsClientContext>>(util::Error{err, {}});
  if (!ctx) {
    host_failed("TLS error: " + ctx.error().message, ErrorKind::Other);
    return false;
  }
  bool check_name = !util::IpAddress::parse(host_.name) &&
                    host_in_list(ex, s_.opt.tls_verify_cert_hostnames, "*", host_);
  auto failed = stream_.start_tls((*ctx)->get(), sni, static_cast<int>(s_.opt.command_timeout),
                                  [&](SSL* ssl) {
                                    if (check_name) util::tls_expect_host(ssl, host_.name);
                                  });
  std::string why = failed ? failed->message : "";
  util::TlsSessionInfo info;
  if (!failed) {
    info = util::tls_session_info(stream_.ssl());
    bool must = host_in_list(ex, s_.opt.tls_verify_hosts, "", host_) ||
                (!s_.opt.tls_verify_hosts_set && !s_.opt.tls_try_verify_hosts_set);
    if (must && !info.verified) why = "certificate verification failed: " + info.verify_error;
  }
  if (!why.empty()) {
    bool require = host_in_list(ex, s_.opt.hosts_require_tls, "", host_);
    retry_clear = !require && s_.opt.tls_tempfail_tryclear;
    host_failed("TLS session failure: " + why, require ? ErrorKind::TlsRequired : ErrorKind::Other);
    return false;
  }
  tls_ = true;
  tls_info_ = info;
  set_tls_vars();
  return true;
}

bool Attempt::starttls(bool try_tls, bool& retry_clear) {
  bool require = host_in_list(s_.ex, s_.opt.hosts_require_tls, "", host_);
  if (tls_) return true;
  if (!try_tls || !caps_.starttls) {
    if (!require) return true;
    host_failed(try_tls ? "a TLS session is required, but the server did not offer TLS support"
                        : "a TLS session is required, but an attempt to start TLS failed",
                ErrorKind::TlsRequired);
    return false;
  }
  auto r = conv_->exchange("STARTTLS");
  if (auto* e = std::get_if<util::IoError>(&r)) {
    host_failed(smtp_io_error_text(*e, "STARTTLS"), ErrorKind::LostConnection);
    return false;
  }
  const SmtpReply& rep = std::get<SmtpReply>(r);
  if (rep.code != 220) {
    if (!require && (rep.permanent() || s_.opt.tls_tempfail_tryclear)) return true;
    host_failed(smtp_error_text("STARTTLS", rep), ErrorKind::TlsRequired);
    return false;
  }
  return handshake(retry_clear) && ehlo();
}

// Client AUTH (spec 33) through the configuration's authenticators (authenticators/client.h).
bool Attempt::authenticate() {
  bool require = host_in_list(s_.ex, s_.opt.hosts_require_auth, "", host_);
  bool attempt = require || host_in_list(s_.ex, s_.opt.hosts_try_auth, "", host_);
  if (!attempt) return true;
  if (caps_.auth.empty()) {
    if (!require) return true;
    host_failed("authentication required but the server does not offer AUTH",
                ErrorKind::AuthFailed);
    return false;
  }
  authenticators::ClientAuthRequest req{caps_.auth, require, tls_};
  conv_->set_secret(true);
  auto out = authenticators::client_authenticate_host(*s_.opt.auths, req, *conv_, s_.ex.context());
  conv_->set_secret(false);
  if (out.kind == authenticators::ClientAuthOutcome::Defer) {
    host_failed(out.message, ErrorKind::AuthFailed);
    return false;
  }
  if (out.kind == authenticators::ClientAuthOutcome::Authenticated) {
    ha_.authenticated = true;
    ha_.authenticator = out.authenticator;
    ha_.auth_id = out.client_id;
  }
  return true;
}

std::string Attempt::mail_command() const {
  std::string cmd = "MAIL FROM:<" + s_.prep.return_path + ">";
  if (caps_.size && s_.opt.size_addition >= 0 && s_.d.message) {
    int64_t size = s_.d.message->envelope().header_size() + s_.d.message->body_size();
    cmd += " SIZE=" + std::to_string(size + s_.opt.size_addition);
  }
  if (ha_.authenticated || s_.opt.authenticated_sender_force) {
    std::string as, err;
    if (s_.opt.authenticated_sender &&
        s_.ex.expand(*s_.opt.authenticated_sender, as, err) != ExpandOutcome::Ok)
      as.clear();
    if (!as.empty())
      cmd += " AUTH=" + as;
    else if (ha_.authenticated)
      cmd += " AUTH=<>";
  }
  return cmd;
}

std::string Attempt::rcpt_command(const DeliveryAddress& a) const {
  bool whole = s_.opt.generic.rcpt_include_affixes || a.local_part.empty();
  return "RCPT TO:<" + (whole ? a.address : a.local_part + "@" + a.domain) + ">";
}

void Attempt::run_group(const std::vector<size_t>& group) {
  SmtpTransaction t;
  t.lmtp = lmtp();
  t.pipelining = caps_.pipelining && !host_in_list(s_.ex, s_.opt.hosts_avoid_pipelining, "", host_);
  t.mail = mail_command();
  for (size_t i : group) t.rcpts.push_back(rcpt_command(s_.d.addresses[i]));
  WriteOptions wo = smtp_write_options(s_.opt.generic.headers_only, s_.opt.generic.body_only);
  t.write_message = [&](const Sink& sink) {
    return write_message(*s_.d.message, s_.prep.edits, wo, sink);
  };
  SmtpTransactionResult r = smtp_run_transaction(*conv_, t);
  if (continued_ && r.io && r.stage == SmtpTransactionResult::Stage::Mail) {
    // Closed between our RSET and MAIL: nothing happened to the message; connect afresh.
    stale_ = broken_ = true;
    return;
  }
  std::vector<AddressResult> res;
  smtp_assign_results(t, r, label(), res);
  for (size_t k = 0; k < group.size(); ++k) {
    AddressResult& a = res[k];
    bool decided = a.outcome != Outcome::Defer || a.retry == RetryScope::Address;
    if (decided) pending_.erase(std::find(pending_.begin(), pending_.end(), group[k]));
    if (a.retry == RetryScope::Message) ha_.message_specific = true;
    s_.d.results[group[k]] = std::move(a);
  }
  if (r.io) {
    broken_ = true;
    ha_.outcome = Outcome::Defer;
    ha_.error =
        r.io->kind == util::IoErrorKind::Timeout ? ErrorKind::Timeout : ErrorKind::LostConnection;
    ha_.message = smtp_io_error_text(*r.io, r.io_command);
    return;
  }
  if (r.stage != SmtpTransactionResult::Stage::Done) {
    auto rs = conv_->exchange("RSET");
    if (std::holds_alternative<util::IoError>(rs)) broken_ = true;
  }
}

void Attempt::transactions() {
  ha_.outcome = Outcome::Ok;
  size_t per = s_.opt.max_rcpt > 0 ? static_cast<size_t>(s_.opt.max_rcpt) : pending_.size();
  std::vector<size_t> todo = pending_;
  for (size_t start = 0; start < todo.size() && !broken_; start += per) {
    std::vector<size_t> group(todo.begin() + static_cast<long>(start),
                              todo.begin() + static_cast<long>(std::min(todo.size(), start + per)));
    run_group(group);
  }
  if (ha_.outcome == Outcome::Ok && ha_.message_specific) ha_.outcome = Outcome::Defer;
  if (!stale_) finish();
}

// A sound connection goes to the pool until it has carried connection_max_messages; otherwise
// QUIT.
void Attempt::finish() {
  if (broken_) return;
  int64_t sent = messages_ + 1;
  int64_t max = s_.opt.connection_max_messages;
  if (!s_.pool || !key_ || (max > 0 && sent >= max)) {
    auto bye = conv_->send("QUIT");
    if (!bye) {
      auto rep = conv_->read_reply(5);
      (void)rep;
    }
    return;
  }
  conv_.reset();
  IdleConnection c;
  c.stream = std::move(stream_);
  c.caps = caps_;
  c.tls = tls_;
  c.tls_info = tls_info_;
  c.authenticated = ha_.authenticated;
  c.authenticator = ha_.authenticator;
  c.auth_id = ha_.auth_id;
  c.messages = sent;
  s_.pool->put(*key_, std::move(c));
}

// What makes a connection to this host interchangeable with another (smtp_pool.h).
void Attempt::make_key(bool try_tls) {
  if (!s_.pool) return;
  PoolKey k;
  std::string err;
  if (!bind_address(k.interface, err)) return;
  if (s_.ex.option(s_.opt.helo_data.get(), "helo_data", k.helo, err, "$primary_hostname") !=
      ExpandOutcome::Ok)
    return;
  if (!s_.opt.helo_data) s_.ex.vars().get("primary_hostname", k.helo);
  k.transport = s_.transport;
  k.host = host_.name;
  k.address = host_.address;
  k.port = ha_.host.port;
  k.try_tls = try_tls;
  k.require_tls = host_in_list(s_.ex, s_.opt.hosts_require_tls, "", host_);
  k.require_auth = host_in_list(s_.ex, s_.opt.hosts_require_auth, "", host_);
  k.try_auth = k.require_auth || host_in_list(s_.ex, s_.opt.hosts_try_auth, "", host_);
  key_ = std::move(k);
}

// Takes over an idle connection once RSET says it is alive.
bool Attempt::adopt(IdleConnection& c) {
  if (c.stream.readable_now()) return false;  // the server closed it or timed it out
  stream_ = std::move(c.stream);
  open_conversation();
  if (conv_->send("RSET")) return false;
  auto r = conv_->read_reply(std::min(conv_->timeouts().command, 10));
  auto* rep = std::get_if<SmtpReply>(&r);
  if (!rep || rep->code != 250) return false;
  caps_ = c.caps;
  tls_ = c.tls;
  tls_info_ = c.tls_info;
  messages_ = c.messages;
  continued_ = true;
  ha_.authenticated = c.authenticated;
  ha_.authenticator = c.authenticator;
  ha_.auth_id = c.auth_id;
  if (tls_) set_tls_vars();
  return true;
}

// Carries on down an idle connection to the same host, if one answers RSET with 250.
bool Attempt::resume() {
  if (!s_.pool || !key_) return false;
  while (auto c = s_.pool->take(*key_)) {
    if (adopt(*c)) return true;
    if (s_.services.debug) s_.services.debug("idle connection to " + label() + " is stale");
    conv_.reset();
    stream_.close();
    c->stream.close();
  }
  return false;
}

Next Attempt::run(bool try_tls, bool reuse) {
  make_key(try_tls);
  if (reuse && resume()) {
    transactions();
    return stale_ ? Next::Fresh : Next::Done;
  }
  if (!connect()) return Next::Done;
  bool retry_clear = false;
  if (s_.opt.protocol == "smtps" && !handshake(retry_clear)) return Next::Done;
  if (!greet()) return Next::Done;
  if (s_.opt.protocol != "smtps" && !starttls(try_tls, retry_clear))
    return retry_clear ? Next::RetryInClear : Next::Done;
  if (!authenticate()) return Next::Done;
  transactions();
  return Next::Done;
}

}  // namespace

void attempt_host(Session& s, const Host& host, std::vector<size_t>& pending) {
  s.ex.vars().set("host", host.name);
  s.ex.vars().set("host_address", host.address);
  bool try_tls = !host_in_list(s.ex, s.opt.hosts_avoid_tls, "", host);
  bool reuse = true;
  std::vector<size_t> first = pending;
  std::string clear_note;  // TLS failed and the delivery goes on in clear: said in the log
  for (int round = 0; round < 3; ++round) {
    Attempt a(s, host, pending);
    Next next = a.run(try_tls, reuse);
    if (next == Next::Fresh) {
      reuse = false;
      continue;
    }
    if (next == Next::RetryInClear && try_tls) {
      try_tls = false;
      clear_note = a.record().message + ": delivering unencrypted to H=" + host.name + " [" +
                   host.address + "] (not in hosts_require_tls)";
      continue;
    }
    if (!clear_note.empty() && !first.empty()) s.d.results[first.front()].log_note = clear_note;
    s.d.hosts.push_back(std::move(a.record()));
    return;
  }
}

}  // namespace transports::smtp
