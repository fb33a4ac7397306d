// engine/smtp/session_helo.cpp — the start of a session (host_reject_connection, connect ACL,
// banner), HELO/EHLO with the ESMTP keywords, and the simple verbs QUIT, RSET, NOOP, HELP
// (RFC 5321 sections 4.1.1.1, 4.1.1.5, 4.1.1.8-10; spec chapter 48).
#include <cctype>

#include "engine/smtp/session.h"
#include "engine/smtp/session_acl.h"
#include "engine/smtp/session_vars.h"
#include "util/ip.h"
#include "util/strings.h"

namespace engine::smtp {

void Session::set_session_vars() {
  vars_set_ = true;
  std::string host = primary_hostname(&cfg_);
  std::string active = option("smtp_active_hostname");
  vars_->set("smtp_active_hostname", active.empty() ? host : active);
  if (!settings_.client_address.empty()) {
    vars_->set("sender_host_address", settings_.client_address);
    vars_->set("sender_host_port", std::to_string(settings_.client_port));
    client_name_->update_vars();
  }
  if (!settings_.interface_address.empty()) {
    vars_->set("received_ip_address", settings_.interface_address);
    vars_->set("interface_address", settings_.interface_address);
  }
  vars_->set("received_port", std::to_string(settings_.interface_port));
  vars_->set("interface_port", std::to_string(settings_.interface_port));
  vars_->set("received_protocol", settings_.local_smtp ? "local-smtp" : "smtp");
  if (settings_.local_smtp && !settings_.local_user.empty()) {
    vars_->set("sender_ident", settings_.local_user);
  }
  if (!tls_active_) vars_->set("tls_cipher", "");  // TLS on connect: set before start()
  reset_transaction();
}

// smtp_banner, expanded; a failed expansion gives the default text.
std::string Session::banner_text() {
  std::string b = option("smtp_banner");
  if (b.empty()) b = vars_->get("smtp_active_hostname", b) ? b + " ESMTP" : "ESMTP";
  return b;
}

// The host lists of a new connection, in Exim's order; the ones facteur has no use for yet
// (hosts_connection_nolog, helo_try_verify_hosts: `verify = helo` checks when asked) are
// matched for the trace only. The PROXY protocol is not implemented: a host in hosts_proxy is
// refused rather than have its mail taken as the proxy's (T-PROXY-1), and the log says why.
bool Session::check_connection_hosts() {
  const bool trace = ctx_.list_tracer != nullptr;
  if (trace) (void)host_in("hosts_connection_nolog");
  if (settings_.client_address.empty()) return true;
  // host_lookup: the client's name is looked up at once for these hosts (spec 14).
  if (host_in("host_lookup")) client_name_->lookup();
  if (host_in("host_reject_connection")) {
    services_.log("refused connection from [" + settings_.client_address +
                  "] (host_reject_connection)");
    close_with(554, "SMTP service not available");
    return false;
  }
  host_flags_.sender_unqualified = host_in("sender_unqualified_hosts");
  host_flags_.recipient_unqualified = host_in("recipient_unqualified_hosts");
  host_flags_.helo_verify = host_in("helo_verify_hosts");
  if (trace) (void)host_in("helo_try_verify_hosts");
  host_flags_.helo_accept_junk = host_in("helo_accept_junk_hosts");
  if (host_in("hosts_proxy")) {
    services_.log("refused connection from [" + settings_.client_address +
                  "] (hosts_proxy: the PROXY protocol is not supported)");
    close_with(554, "SMTP service not available");
    return false;
  }
  return true;
}

void Session::start() {
  set_session_vars();
  if (!check_connection_hosts() || !reserve_slot_ok()) return;
  AclOutcome r = run_acl(AclWhere::Connect);
  if (r.verdict != lang::AclVerdict::Accept && r.verdict != lang::AclVerdict::Discard) {
    acl_refusal(AclWhere::Connect, r);
    return;
  }
  host_flags_.pipelining_connect =
      !settings_.client_address.empty() && host_in("pipelining_connect_advertise_hosts");
  reply_message(220, r.message.empty() ? banner_text() : r.message);
}

// RFC 5321 4.1.1.1 domain or address literal; letters, digits, hyphens, dots, plus
// helo_allow_chars (spec 14, helo_allow_chars).
bool Session::helo_syntax_ok(std::string_view name) {
  if (name.empty()) return false;
  if (name.front() == '[') {
    if (name.size() < 3 || name.back() != ']') return false;
    std::string_view ip = name.substr(1, name.size() - 2);
    if (util::starts_with_ci(ip, "IPv6:")) ip.remove_prefix(5);
    return util::IpAddress::parse(ip).has_value();
  }
  std::string extra = option("helo_allow_chars");
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '-' || c == '.') continue;
    if (extra.find(static_cast<char>(c)) != std::string::npos) continue;
    return false;
  }
  return true;
}

void Session::cmd_helo(const Command& cmd) {
  bool ehlo = cmd.verb == Verb::Ehlo;
  std::string name = cmd.arg;
  // Only the first word counts (Exim ignores the rest of the line).
  size_t sp = name.find_first_of(" \t");
  if (sp != std::string::npos) name.resize(sp);
  bool junk_ok = host_flags_.helo_accept_junk;
  if (!junk_ok && !helo_syntax_ok(name)) {
    services_.log_reject(
        "rejected " + std::string(ehlo ? "EHLO" : "HELO") + " from " + full_host() +
        ": syntactically invalid argument(s): " + (name.empty() ? "(no argument given)" : name));
    (void)synprot_error(
        501, std::string("Syntactically invalid ") + (ehlo ? "EHLO" : "HELO") + " argument(s)");
    return;
  }
  // A HELO name in helo_lookup_domains (our own name, by default) makes Exim look the
  // client's real name up at once (spec 14).
  if (!settings_.client_address.empty() && domain_in("helo_lookup_domains", name)) {
    client_name_->lookup();
  }
  reset_transaction();
  helo_seen_ = false;
  vars_->set("sender_helo_name", name);
  client_name_->update_vars();
  if (host_flags_.helo_verify && !helo_verified(ehlo, cmd.arg)) return;
  AclOutcome r = run_acl(AclWhere::Helo);
  if (r.verdict != lang::AclVerdict::Accept && r.verdict != lang::AclVerdict::Discard) {
    acl_refusal(AclWhere::Helo, r);  // the log line names the refused HELO
    vars_->unset("sender_helo_name");
    client_name_->update_vars();
    return;
  }
  helo_seen_ = true;
  helo_name_ = name;
  esmtp_ = ehlo;
  vars_->set("received_protocol", protocol_name());
  if (ehlo) return send_ehlo_reply();
  reply(250, hello_text());
}

// helo_verify_hosts (spec 14): the name must pass `verify = helo`, or the command gets 550
// (a temporary failure of the lookups too, as in Exim) and the session stays without HELO.
bool Session::helo_verified(bool ehlo, const std::string& arg) {
  std::string why;
  if (hooks_->verify_helo(why) == acl::VerifyOutcome::Ok) return true;
  const char* verb = ehlo ? "EHLO" : "HELO";
  services_.log_reject("rejected \"" + std::string(verb) + " " + arg + "\" from " + full_host());
  reply(550, std::string(verb) + " argument does not match calling host");
  vars_->unset("sender_helo_name");
  client_name_->update_vars();
  return false;
}

// "host Hello name [ip]" (the verified host name, else the HELO name), or "host Hello user at
// helo" for a local client.
std::string Session::hello_text() {
  std::string active;
  vars_->get("smtp_active_hostname", active);
  if (settings_.client_address.empty()) {
    return active + " Hello " +
           (settings_.local_user.empty() ? "" : settings_.local_user + " at ") + helo_name_;
  }
  const std::string& name = client_name_->name();
  return active + " Hello " + (name.empty() ? helo_name_ : name) + " [" + settings_.client_address +
         "]";
}

// The EHLO keywords in Exim's order (spec 48.1 and the *_advertise_hosts options).
void Session::send_ehlo_reply() {
  std::string first = hello_text();
  std::vector<std::string> kw;
  uint64_t size = message_size_limit();
  kw.push_back(size > 0 ? "SIZE " + std::to_string(size) : "SIZE");
  kw.push_back("8BITMIME");
  dsn_advertised_ = host_in("dsn_advertise_hosts");
  if (dsn_advertised_) kw.push_back("DSN");
  if (!option("acl_smtp_etrn").empty()) kw.push_back("ETRN");
  if (!option("acl_smtp_vrfy").empty()) kw.push_back("VRFY");
  if (!option("acl_smtp_expn").empty()) kw.push_back("EXPN");
  pipelining_advertised_ = !controls_.no_pipelining && host_in("pipelining_advertise_hosts");
  if (pipelining_advertised_) {
    kw.push_back("PIPELINING");
    if (host_flags_.pipelining_connect) kw.push_back("PIPECONNECT");
  }
  auth_advertised_.clear();
  if (!authenticated_ && !cfg_.authenticators.empty() && host_in("auth_advertise_hosts")) {
    auth_advertised_ = services_.auth_mechanisms(ctx_);
  }
  if (!auth_advertised_.empty()) {
    std::string a = "AUTH";
    for (const auto& m : auth_advertised_) a += " " + m;
    kw.push_back(a);
  }
  chunking_advertised_ = host_in("chunking_advertise_hosts");
  if (chunking_advertised_) kw.push_back("CHUNKING");
  starttls_advertised_ = settings_.tls_available && host_in("tls_advertise_hosts");
  if (starttls_advertised_) kw.push_back("STARTTLS");
  smtputf8_advertised_ = host_in("smtputf8_advertise_hosts");
  if (smtputf8_advertised_) kw.push_back("SMTPUTF8");
  kw.push_back("HELP");
  reply(250, first, false);
  for (size_t i = 0; i < kw.size(); ++i) reply(250, kw[i], i + 1 == kw.size());
}

void Session::cmd_quit() {
  AclOutcome r;
  if (!option("acl_smtp_quit").empty()) r = run_acl(AclWhere::Quit);
  std::string active;
  vars_->get("smtp_active_hostname", active);
  std::string text = r.message.empty() ? active + " closing connection" : r.message;
  // The QUIT ACL cannot change the code (spec 44.20).
  if (text.size() >= 4 && std::isdigit(static_cast<unsigned char>(text[0])) &&
      text.substr(0, 3) == "221" && (text[3] == ' ' || text[3] == '-')) {
    text.erase(0, 4);
  }
  close_with(221, text);
}

void Session::cmd_rset() {
  reset_transaction();
  reply(250, "Reset OK");
}

void Session::cmd_noop() {
  reply(250, "OK");
}

void Session::cmd_help() {
  std::string list = "AUTH";
  if (settings_.tls_available && host_in("tls_advertise_hosts")) list += " STARTTLS";
  list += " HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP";
  if (!option("acl_smtp_etrn").empty()) list += " ETRN";
  if (!option("acl_smtp_expn").empty()) list += " EXPN";
  if (!option("acl_smtp_vrfy").empty()) list += " VRFY";
  reply(214, "Commands supported:", false);
  reply(214, list);
}

}  // namespace engine::smtp
