// engine/smtp/session.cpp — the session core: reading input, dispatching commands, replies,
// error counters and ACL calls (see session.h). The verbs live in session_helo.cpp,
// session_mail.cpp, session_data.cpp and session_misc.cpp.
#include "engine/smtp/session.h"

#include <cctype>

#include "engine/config/main_options.h"
#include "engine/dns_settings.h"
#include "engine/smtp/session_acl.h"
#include "engine/smtp/session_vars.h"
#include "util/strings.h"

namespace engine::smtp {

std::string_view acl_option_name(AclWhere w) {
  switch (w) {
    case AclWhere::Connect:
      return "acl_smtp_connect";
    case AclWhere::Helo:
      return "acl_smtp_helo";
    case AclWhere::Mail:
      return "acl_smtp_mail";
    case AclWhere::Rcpt:
      return "acl_smtp_rcpt";
    case AclWhere::Predata:
      return "acl_smtp_predata";
    case AclWhere::Data:
      return "acl_smtp_data";
    case AclWhere::Quit:
      return "acl_smtp_quit";
    case AclWhere::NotQuit:
      return "acl_smtp_notquit";
    case AclWhere::Vrfy:
      return "acl_smtp_vrfy";
    case AclWhere::Expn:
      return "acl_smtp_expn";
    case AclWhere::Etrn:
      return "acl_smtp_etrn";
    case AclWhere::Starttls:
      return "acl_smtp_starttls";
    case AclWhere::Auth:
      return "acl_smtp_auth";
    case AclWhere::MailAuth:
      return "acl_smtp_mailauth";
  }
  return "";
}

Session::Session(const config::Config& cfg, const acl::AclSet& acls, SessionServices& services,
                 SessionSettings settings, const lang::NamedLists* lists)
    : cfg_(cfg),
      services_(services),
      settings_(std::move(settings)),
      vars_(std::make_unique<SessionVariables>(cfg, *this)),
      dns_(dns_settings(cfg)),
      acl_(acls, ctx_) {
  ctx_.vars = vars_.get();
  ctx_.dns = &dns_;
  if (!lists) {
    own_lists_ = std::make_unique<ConfigNamedLists>(cfg);
    lists = own_lists_.get();
  }
  ctx_.lists = lists;
  ctx_.acl = &acl_;
  client_name_ = std::make_unique<ClientName>(ctx_, *vars_, settings_.client_address);
  hooks_ = std::make_unique<SessionAclHooks>(*this);
  acl_.set_session(hooks_.get());
  acl_.set_log_sink([this](std::string_view line) { services_.log(line); });
  acl_.set_tracer(settings_.acl_trace);
  ctx_.list_tracer = settings_.list_trace;
  if (const config::Setting* ls = cfg_.find_main("log_selector")) {
    if (auto sel = log_selector_parse(ls->value)) log_selector_ = *sel;
  }
  client_name_->on_not_found([this](const std::string& address) {
    if (log_selector_.on(LogItem::HostLookupFailed))
      services_.log("no host name found for IP address " + address);
  });
}

Session::~Session() = default;

std::string Session::take_output() {
  std::string o;
  o.swap(out_);
  return o;
}

// ---- options ----

std::string Session::option(std::string_view name) {
  const config::Setting* s = cfg_.find_main(name);
  std::string text;
  if (s) {
    text = s->value;
  } else if (const config::MainOption* o = config::find_main_option(name)) {
    text = std::string(o->dflt);
  }
  const config::MainOption* def = config::find_main_option(name);
  if (!def || !def->expanded || text.find_first_of("$\\") == std::string::npos) return text;
  std::string out;
  lang::Program prog;
  const lang::Program* p = s && s->program ? s->program.get() : nullptr;
  if (!p) {
    if (!lang::Program::compile(text, prog).is_ok()) return "";
    p = &prog;
  }
  lang::Status st = p->eval(ctx_, out);
  if (!st.is_ok()) {
    if (st.is_error()) services_.log("failed to expand " + std::string(name) + ": " + st.message());
    return "";
  }
  return out;
}

std::string Session::spool_directory() {
  return option("spool_directory");
}

int64_t Session::int_option(std::string_view name) {
  return config::main_int(cfg_, name);
}

// message_size_limit is expanded: a number with an optional K, M or G (powers of 1024).
uint64_t Session::message_size_limit() {
  std::string t(util::trim(option("message_size_limit")));
  uint64_t mult = 1;
  if (!t.empty()) {
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(t.back())));
    mult = c == 'K' ? 1024 : c == 'M' ? 1024 * 1024 : c == 'G' ? 1024 * 1024 * 1024 : 1;
    if (mult > 1) t.pop_back();
  }
  uint64_t n = 0;
  if (!parse_decimal(t, UINT64_MAX / (1024 * 1024 * 1024), n)) return 0;
  return n * mult;
}

// ---- input ----

void Session::feed(std::string_view bytes) {
  if (state_ == State::Closed) return;
  in_.append(bytes);
  process();
}

bool Session::take_line(std::string& line, bool& overlong) {
  overlong = false;
  size_t avail = in_.size() - in_pos_;
  size_t lf = in_.find('\n', in_pos_);
  size_t len = lf == std::string::npos ? avail : lf - in_pos_;
  if (len >= kCommandBufferSize) {
    line.assign(in_, in_pos_, kCommandBufferSize);
    in_pos_ += kCommandBufferSize;
    overlong = true;
    return true;
  }
  if (lf == std::string::npos) return false;
  line.assign(in_, in_pos_, len);
  in_pos_ = lf + 1;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

void Session::hold_output(long long seconds) {
  auto now = std::chrono::steady_clock::now();
  if (hold_until_ < now) hold_until_ = now;
  hold_until_ += std::chrono::seconds(seconds);
}

void Session::process() {
  while (state_ != State::Closed && !tls_pending_ && !store_pending_) {
    size_t before = in_pos_;
    State s = state_;
    if (s == State::Data) {
      process_data();
    } else if (s == State::Bdat) {
      process_bdat();
    } else {
      std::string line;
      bool overlong;
      if (!take_line(line, overlong)) break;
      if (s == State::AuthResponse) {
        auth_response(line);
      } else if (overlong) {
        dispatch(Command{Verb::Unknown, Verb::Unknown, ""});
      } else {
        vars_->set("smtp_command", line);
        dispatch(parse_command(line));
      }
    }
    if (in_pos_ == before && state_ == s) break;  // waiting for more input
  }
  if (in_pos_ > 0 && (in_pos_ == in_.size() || in_pos_ > 65536)) {
    in_.erase(0, in_pos_);
    in_pos_ = 0;
  }
}

void Session::end_of_input() {
  if (state_ == State::Closed) return;
  if (state_ == State::Data || state_ == State::Bdat) {
    services_.log("SMTP connection from " + full_host() + " lost while reading message data");
    reply(421, "Lost incoming connection");
    drop("connection-lost");
    return;
  }
  reply(421, option("smtp_active_hostname").empty()
                 ? primary_hostname(&cfg_) + " lost input connection"
                 : option("smtp_active_hostname") + " lost input connection");
  drop("connection-lost");
  log_lost_connection();
}

// ---- replies ----

// Writes `text` as a reply; each '\n' starts a continuation line, unless the ACL asked for
// single-line responses. `last` false leaves the final line as a continuation too.
void Session::reply(int code, std::string_view text, bool last) {
  std::string c = std::to_string(code);
  size_t pos = 0;
  while (true) {
    size_t nl = text.find('\n', pos);
    bool final_line = nl == std::string_view::npos || controls_.no_multiline;
    std::string_view line = text.substr(pos, final_line ? std::string_view::npos : nl - pos);
    if (final_line && nl != std::string_view::npos) line = text.substr(pos, nl - pos);
    out_ += c;
    out_ += (final_line && last) ? ' ' : '-';
    out_.append(line);
    out_ += "\r\n";
    if (final_line) return;
    pos = nl + 1;
  }
}

// An ACL message may start with its own code ("550 5.7.1 text"); it is used when its first
// digit is that of the default code (spec 44.20).
void Session::reply_message(int code, std::string_view message) {
  if (message.size() >= 4 && std::isdigit(static_cast<unsigned char>(message[0])) &&
      std::isdigit(static_cast<unsigned char>(message[1])) &&
      std::isdigit(static_cast<unsigned char>(message[2])) &&
      (message[3] == ' ' || message[3] == '-')) {
    int given = (message[0] - '0') * 100 + (message[1] - '0') * 10 + (message[2] - '0');
    if (given / 100 == code / 100) code = given;
    message.remove_prefix(4);
  } else if (message.size() == 3 && std::isdigit(static_cast<unsigned char>(message[0]))) {
    int given = std::atoi(std::string(message).c_str());
    if (given / 100 == code / 100) {
      reply(given, "");
      return;
    }
  }
  reply(code, message);
}

// An ACL message starting with a code of the wrong class (a 4xx for a refusal): Exim logs
// the mistake, puts the default code in its place and drops an enhanced code of the wrong
// class with it ("450 4.7.1 text" in a deny becomes "550 text").
std::string Session::checked_message(int code, const std::string& message) {
  auto digit = [&](size_t i) {
    return i < message.size() && std::isdigit(static_cast<unsigned char>(message[i]));
  };
  if (!digit(0) || !digit(1) || !digit(2) ||
      (message.size() > 3 && message[3] != ' ' && message[3] != '-')) {
    return message;
  }
  const char want = static_cast<char>('0' + code / 100);
  if (message[0] == want) return message;
  services_.log("configured error code starts with incorrect digit (expected " +
                std::string(1, want) + ") in \"" + message + "\"");
  std::string rest = message.size() > 4 ? message.substr(4) : "";
  if (rest.size() >= 6 && rest[0] != want && rest[1] == '.' &&
      std::isdigit(static_cast<unsigned char>(rest[0]))) {
    size_t sp = rest.find(' ');
    rest = sp == std::string::npos ? "" : rest.substr(sp + 1);
  }
  return std::to_string(code) + (message.size() > 3 ? std::string(1, message[3]) : "") + rest;
}

// A syntax or protocol error: the reply, counted against smtp_max_synprot_errors. True when
// that was one too many and the session is over.
bool Session::synprot_error(int code, std::string_view text) {
  log_synprot(code, text);
  if (++synprot_errors_ > int_option("smtp_max_synprot_errors")) {
    log_dropped("too many syntax or protocol errors", true);
    reply(code, text, false);
    reply(code, "Too many syntax or protocol errors");
    drop("bad-commands");
    return true;
  }
  reply(code, text);
  return false;
}

void Session::close_with(int code, std::string_view text) {
  reply(code, text);
  state_ = State::Closed;
}

// The session ends without QUIT: the not-QUIT ACL runs for its side effects.
void Session::drop(std::string_view reason) {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  vars_->set("smtp_notquit_reason", std::string(reason));
  if (!option("acl_smtp_notquit").empty()) (void)run_acl(AclWhere::NotQuit);
}

// smtp_accept_max_nonmail (spec 14): one RSET, one HELO/EHLO and one STARTTLS between
// messages and the first AUTH are free; every other command but MAIL, RCPT, DATA, BDAT and
// QUIT counts.
bool Session::count_nonmail(Verb v) {
  if (verb_is_mail_command(v) && v != Verb::Auth) return false;
  bool* free_flag = v == Verb::Rset                        ? &free_rset_
                    : (v == Verb::Helo || v == Verb::Ehlo) ? &free_helo_
                    : v == Verb::Starttls                  ? &free_starttls_
                    : v == Verb::Auth                      ? &free_auth_
                                                           : nullptr;
  if (free_flag && *free_flag) {
    *free_flag = false;
    return false;
  }
  if (v == Verb::Auth) return false;
  if (!nonmail_checked_) {  // smtp_accept_max_nonmail_hosts: asked once, when first needed
    nonmail_checked_ = true;
    nonmail_counting_ = host_in("smtp_accept_max_nonmail_hosts");
  }
  if (!nonmail_counting_ || ++nonmail_count_ <= int_option("smtp_accept_max_nonmail")) {
    return false;
  }
  log_dropped("too many nonmail commands", false);
  close_with(554, "Too many nonmail commands");
  drop("bad-commands");
  return true;
}

// A client that sends more after a command it must wait on (see SessionSettings).
bool Session::sync_error(Verb v) {
  if (!settings_.enforce_sync || controls_.no_enforce_sync || in_pos_ >= in_.size()) return false;
  // STARTTLS is not one of them: what follows it in clear is thrown away (T-TLS-1, as Exim).
  bool must_wait = !pipelining_advertised_ || v == Verb::Helo || v == Verb::Ehlo ||
                   v == Verb::Data || v == Verb::Vrfy || v == Verb::Expn || v == Verb::Etrn ||
                   v == Verb::Noop || v == Verb::Quit || v == Verb::Auth;
  if (!must_wait) return false;
  services_.log("SMTP protocol synchronization error (input sent without waiting for reply)");
  close_with(554, "SMTP synchronization error");
  drop("synchronization-error");
  return true;
}

void Session::dispatch(const Command& cmd) {
  last_was_rej_mail_ = was_rej_mail_;
  was_rej_mail_ = false;
  last_was_rcpt_ = was_rcpt_;
  was_rcpt_ = cmd.verb == Verb::Rcpt;
  vars_->set("smtp_command_argument", cmd.arg);
  rate_cache_.cmd.clear();
  note_command(cmd.verb);
  if (sync_error(cmd.verb)) return;
  if (cmd.verb < Verb::Unknown && count_nonmail(cmd.verb)) return;
  if (bdat_sequence_error(cmd.verb)) return;
  switch (cmd.verb) {
    case Verb::Helo:
    case Verb::Ehlo:
      return cmd_helo(cmd);
    case Verb::Mail:
      cmd_mail(cmd);
      was_rej_mail_ = !txn_.mail_given;
      return;
    case Verb::Rcpt:
      return cmd_rcpt(cmd);
    case Verb::Data:
      return cmd_data();
    case Verb::Bdat:
      return cmd_bdat(cmd);
    case Verb::Rset:
      return cmd_rset();
    case Verb::Noop:
      return cmd_noop();
    case Verb::Quit:
      return cmd_quit();
    case Verb::Help:
      return cmd_help();
    case Verb::Vrfy:
      return cmd_vrfy(cmd);
    case Verb::Expn:
      return cmd_expn(cmd);
    case Verb::Etrn:
      return cmd_etrn(cmd);
    case Verb::Auth:
      return cmd_auth(cmd);
    case Verb::Starttls:
      return cmd_starttls();
    case Verb::BadChar:
      (void)synprot_error(501, "NUL characters are not allowed in SMTP commands");
      return;
    case Verb::BadArg:
      (void)synprot_error(501, "unexpected argument data");
      return;
    case Verb::Unknown:
      if (++unknown_commands_ > int_option("smtp_max_unknown_commands")) {
        log_dropped("too many unrecognized commands", false);
        close_with(500, "Too many unrecognized commands");
        drop("bad-commands");
        return;
      }
      (void)synprot_error(500, "unrecognized command");
      return;
  }
}

// ---- ACLs ----

AclOutcome Session::run_acl(AclWhere where) {
  AclOutcome r;
  where_ = where;
  std::string name = option(acl_option_name(where));
  if (name.empty()) {
    bool denies = where == AclWhere::Rcpt || where == AclWhere::Vrfy || where == AclWhere::Expn ||
                  where == AclWhere::Etrn;
    r.verdict = denies ? lang::AclVerdict::Deny : lang::AclVerdict::Accept;
    return r;
  }
  r.from_acl = true;
  r.verdict = acl_.run(name, {}, r.message);
  r.log_message = acl_.log_message();
  return r;
}

// Replies for an ACL that did not accept (spec 44.13): 5xx for deny and drop, 4xx for defer
// and errors. True when the connection is to be dropped.
bool Session::acl_refusal(AclWhere where, const AclOutcome& r) {
  using lang::AclVerdict;
  std::string msg = r.message;
  int code = 550;
  if (r.verdict == AclVerdict::Defer) {
    code = 451;
    if (msg.empty()) msg = "Temporary local problem - please try later";
  } else if (r.verdict == AclVerdict::Error) {
    code = 451;
    msg = "Temporary local problem - please try later";
  } else if (msg.empty()) {
    msg = "Administrative prohibition";
  }
  if (where == AclWhere::Vrfy && code == 550) code = 252;  // VRFY refusals are 252
  if (where == AclWhere::Auth && code == 550) code = 503;  // so are AUTH ones 503
  if (where == AclWhere::Etrn && code == 550 && r.message.empty()) code = 458;
  if (where == AclWhere::Rcpt) {
    if (txn_.rcpt_fail_count > 0 && txn_.rcpt_fail_message != msg) txn_.rcpt_fail_same = false;
    txn_.rcpt_fail_message = msg;
    (r.verdict == AclVerdict::Defer ? txn_.rcpt_defer_count : txn_.rcpt_fail_count)++;
  }
  AclOutcome checked = r;
  checked.message = msg = checked_message(code, msg);
  if (r.message.empty()) checked.message.clear();
  log_refusal(where, checked);
  if (code / 100 == 5 && !sender_verify_failure_.empty()) {
    msg = sender_verify_failure_ + "\n" + msg;
    sender_verify_failure_.clear();
  }
  if (where == AclWhere::Connect && code / 100 == 4) code = 421;
  reply_message(code, msg);
  if (r.verdict == AclVerdict::Drop || where == AclWhere::Connect) {
    if (r.verdict == AclVerdict::Drop) drop("acl-drop");  // runs the not-QUIT ACL
    state_ = State::Closed;
    return true;
  }
  return false;
}

void Session::reset_transaction() {
  txn_ = Transaction{};
  bdat_active_ = bdat_need_rset_ = bdat_last_ = false;  // no chunk sequence outlives it
  // Controls that apply to one message (Exim resets them with the transaction).
  controls_.submission = controls_.submission_retain = controls_.fakereject = false;
  controls_.submission_domain.reset();
  controls_.submission_name.clear();
  controls_.fakereject_text.clear();
  rate_cache_.mail.clear();
  sender_verify_failure_.clear();
  state_ = state_ == State::Closed ? State::Closed : State::Command;
  for (auto it = ctx_.acl_vars.begin(); it != ctx_.acl_vars.end();) {
    it = it->first.rfind("acl_m", 0) == 0 ? ctx_.acl_vars.erase(it) : std::next(it);
  }
  for (const char* v :
       {"sender_address", "local_part", "domain", "recipients", "authenticated_sender"}) {
    vars_->unset(v);
  }
  vars_->set("message_size", "0");
  vars_->set("rcpt_count", "0");
  vars_->set("recipients_count", "0");
}

}  // namespace engine::smtp
