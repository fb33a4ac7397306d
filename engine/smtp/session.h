// engine/smtp/session.h — one SMTP server session as a state machine (RFC 5321 with ESMTP;
// spec chapter 48 "SMTP processing" and chapter 44 "Access control lists").
//
// The session owns no socket: the transport (stdin/stdout for -bs and -bh, a socket for the
// daemon, a TLS stream after STARTTLS) calls start(), then feed() with whatever bytes
// arrived, then end_of_input() when the peer is gone, and sends what take_output() returns
// after each call. finished() says the session is over (QUIT, drop, too many errors); the
// transport then sends the remaining output and closes.
//
// Replies, their texts and codes follow Exim 4.96 (see conformance/README-smtp.md). The
// session binds the acl_smtp_* ACLs to the verbs, with Exim's defaults when one is unset
// (RCPT, VRFY, EXPN, ETRN deny; the others accept), and sets the session variables
// ($sender_host_address, $sender_helo_name, $sender_address, $local_part, $domain,
// $recipients, $message_size ...) in its own Variables.
//
// Input rules: a command line ends at LF (a CR before it is removed); a line longer than the
// 16384-byte command buffer gets "500 unrecognized command" when the buffer is full and the
// rest is read as another command. In DATA, on network sessions only CRLF.CRLF ends the data;
// a bare CR or LF in the data makes the message rejected at its end (SMTP smuggling, see
// notes/security-tests.md T-SMUG-*). Sessions on stdin (lf_line_endings) take LF-only lines
// everywhere, as Exim does for -bs and -bh. BDAT chunks are counted in bytes, and read even
// when the BDAT is refused: chunk data is never taken as commands.
//
// What lives outside (the spool, routing for VRFY/EXPN/verify, authenticators, the log) is
// reached through SessionServices, whose defaults do nothing useful but never fail.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/acl.h"
#include "engine/acl_session.h"
#include "engine/config/config.h"
#include "engine/log_selector.h"
#include "engine/named_lists.h"
#include "engine/smtp/address.h"
#include "engine/smtp/client_name.h"
#include "engine/smtp/command.h"
#include "engine/smtp/message.h"
#include "engine/smtp/services.h"
#include "engine/variables.h"
#include "lang/dns.h"

namespace engine::smtp {

struct SessionSettings {
  std::string client_address;  // "" for a local (non-TCP) client, as with plain -bs
  int client_port = 0;
  std::string interface_address;  // the server side of the connection
  int interface_port = 25;
  bool host_checking = false;    // -bh: nothing is delivered, fake ids are explained
  bool lf_line_endings = false;  // stdin: LF alone ends lines, in DATA too
  bool tls_available = true;     // STARTTLS may be advertised (tls_advertise_hosts permitting)
  bool tls_can_start = false;    // the transport can do the handshake (never in -bh)
  bool local_smtp = false;       // -bs: received_protocol "local-smtp"/"local-esmtp"
  bool event_loop = false;       // the transport is an event loop: `delay =` must not block
  // smtp_enforce_sync on a network session: a command that must wait for its reply
  // (everything when PIPELINING was not advertised; HELO, EHLO, DATA, VRFY, EXPN, ETRN, NOOP,
  // QUIT, AUTH otherwise: RFC 2920 section 3.1) followed by more input already
  // received is a synchronization error: "554 SMTP synchronization error", session over.
  bool enforce_sync = false;
  // The daemon's other connections when this one arrived (-1: not a daemon session). When
  // this one is within smtp_accept_reserve of smtp_accept_max, start() refuses hosts that are
  // not in smtp_reserve_hosts with 421, as Exim's session start does.
  int accept_count = -1;
  std::string local_user;  // -bs: the login name shown in the HELO reply
  // The policy trace (-bh, -d+acl): ACL steps and list matches; null: none.
  acl::AclTracer* acl_trace = nullptr;
  lang::ListTracer* list_trace = nullptr;
};

// Whether the client is asked for a certificate in the TLS handshake (spec 42.7):
// tls_verify_hosts must present a valid one or the handshake fails; tls_try_verify_hosts may.
enum class TlsVerify : unsigned char { None, Try, Require };

// What a finished TLS handshake tells the session ($tls_in_* variables).
struct TlsInfo {
  std::string cipher;        // "TLS1.3:TLS_AES_256_GCM_SHA384:256"
  std::string peerdn;        // the client certificate's subject, "" without one
  bool verified = false;     // the client certificate verified against tls_verify_certificates
  std::string version{};     // "TLS1.3"
  std::string cipher_std{};  // the RFC name, "TLS_AES_256_GCM_SHA384"
  int bits = 0;
};

class SessionVariables;
class SessionAclHooks;

class Session {
 public:
  static constexpr size_t kCommandBufferSize = 16384;
  // The least time between a client's AUTH data and the final reply (see pace_auth_reply).
  static constexpr std::chrono::milliseconds kAuthDuration{200};

  // `lists` (the configuration's named lists) may be shared by all sessions; when null the
  // session makes its own.
  Session(const config::Config& cfg, const acl::AclSet& acls, SessionServices& services,
          SessionSettings settings, const lang::NamedLists* lists = nullptr);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();                       // connection checks, connect ACL, banner
  void feed(std::string_view bytes);  // input from the client
  void end_of_input();                // the client went away (or stdin ended)
  std::string take_output();          // replies to send now
  bool finished() const { return state_ == State::Closed; }
  // STARTTLS was accepted: the transport sends the output, runs the TLS handshake and then
  // calls tls_started(); until then the session reads nothing.
  bool tls_pending() const { return tls_pending_; }
  // An accepted message is being made durable (SessionServices::store_message_async); the
  // session reads nothing until the transport calls store_finished().
  bool store_pending() const { return store_pending_; }
  void store_finished(bool ok, const std::string& error);
  // `delay =` in an event-loop transport: replies produced from now on are held until the
  // returned time (the transport honours it); the session itself does not wait.
  void hold_output(long long seconds);
  std::chrono::steady_clock::time_point hold_until() const { return hold_until_; }
  void tls_started(const TlsInfo& tls);
  // Before a handshake (STARTTLS accepted, or a tls_on_connect port): how to treat the
  // client's certificate.
  TlsVerify tls_verify_policy();
  // The transport gave up waiting for input (smtp_receive_timeout): 421 and the not-QUIT
  // ACL with "command-timeout" or "data-timeout".
  void timed_out();
  // The daemon is stopping (SIGTERM): 421 and the not-QUIT ACL with "signal-exit".
  void shut_down();

  // Parts of the state, for tests and the transport.
  const Transaction& transaction() const { return txn_; }
  const std::string& helo_name() const { return helo_name_; }
  const std::string& rcpt_local_part() const { return rcpt_local_part_; }
  void trace(std::string_view text) { trace_note(text); }
  const std::string& authenticated_by() const { return authenticated_by_; }
  Variables& variables();
  lang::EvalContext& context() { return ctx_; }

  // ACL side effects (control = ..., add_header ...): see acl_session.h.
  struct Controls {
    bool no_multiline = false;
    bool allow_auth_unadvertised = false;
    bool caseful_local_part = false;
    bool fakereject = false;
    bool submission = false;
    bool submission_retain = false;                // submission/sender_retain
    std::optional<std::string> submission_domain;  // submission/domain=
    std::string submission_name;                   // submission/name= (the rest)
    bool no_pipelining = false;
    bool no_enforce_sync = false;
    std::string fakereject_text;
  };
  Controls& controls() { return controls_; }
  void add_header(std::string text) { txn_.added_headers.push_back(std::move(text)); }
  void remove_header(std::string names) { txn_.removed_headers.push_back(std::move(names)); }
  AclWhere acl_where() const { return where_; }
  // A failed sender verification: its lines ("Verification failed for <a>\n<reason>") go
  // before the next refusal's text, as Exim sends them (once per transaction).
  void set_sender_verify_failure(std::string text) { sender_verify_failure_ = std::move(text); }
  SessionServices& services() { return services_; }
  acl::RateCache& rate_cache() { return rate_cache_; }
  std::string spool_directory();  // expanded spool_directory
  // The client as log lines name it: "H=(helo) [ip]", or "U=user" for a local one.
  std::string host_id() const;
  ClientName& client_name() { return *client_name_; }
  const SessionSettings& settings() const { return settings_; }

 private:
  enum class State : unsigned char { Command, Data, Bdat, AuthResponse, Closed };
  friend class SessionVariables;

  // session.cpp: input, dispatch, replies, counters.
  void process();
  bool take_line(std::string& line, bool& overlong);
  void dispatch(const Command& cmd);
  void reply(int code, std::string_view text, bool last = true);
  void reply_message(int code, std::string_view message);
  std::string checked_message(int code, const std::string& message);
  bool synprot_error(int code, std::string_view text);
  bool count_nonmail(Verb v);
  bool sync_error(Verb v);
  // session_log.cpp: log lines in Exim's words.
  std::string full_host() const;  // "(helo) [ip]" (host_and_ident without "H=")
  void log_refusal(AclWhere where, const AclOutcome& r);
  void log_synprot(int code, std::string_view text);
  void log_dropped(std::string_view why, bool with_history);
  void note_command(Verb v);
  void log_lost_connection();
  // A remark for the policy trace (-bh), if one is on.
  void trace_note(std::string_view text) {
    if (settings_.acl_trace) settings_.acl_trace->note(0, text);
  }
  void close_with(int code, std::string_view text);
  void drop(std::string_view reason);
  void reset_transaction();
  std::string option(std::string_view name);  // expanded main option (default if unset)
  int64_t int_option(std::string_view name);
  uint64_t message_size_limit();  // 0: no limit
  DataLimits data_limits();
  bool host_in(std::string_view option_name);
  bool domain_in(std::string_view option_name, std::string_view domain);
  // Runs the ACL for `where`; unset ACLs get Exim's default verdict.
  AclOutcome run_acl(AclWhere where);
  // The reply for a refusing ACL verdict; true when the session must end (drop).
  bool acl_refusal(AclWhere where, const AclOutcome& r);

  // session_helo.cpp
  void cmd_helo(const Command& cmd);
  void cmd_quit();
  void cmd_rset();
  void cmd_help();
  void cmd_noop();
  bool helo_syntax_ok(std::string_view name);
  bool helo_verified(bool ehlo, const std::string& arg);
  void send_ehlo_reply();
  std::string hello_text();
  std::string banner_text();
  bool reserve_slot_ok();  // session_events.cpp

  // session_mail.cpp
  void cmd_mail(const Command& cmd);
  void cmd_rcpt(const Command& cmd);
  bool mail_params(std::string& arg);
  bool mail_auth(const std::string& operand);
  bool rcpt_params(std::string& arg);
  bool parse_operand(const Command& cmd, std::string& arg, bool is_mail, Path& out);

  // session_data.cpp
  void cmd_data();
  void cmd_bdat(const Command& cmd);
  bool predata_ok(std::string_view verb);  // "DATA" or "BDAT"
  bool bdat_sequence_error(Verb v);        // a command between chunks that may not be there
  void skip_chunk(uint64_t size);          // a refused BDAT: its chunk is read and dropped
  void data_line(std::string_view line);
  void process_data();
  void process_bdat();
  void end_of_message();
  void finish_message(bool accepted_by_acl);
  void complete_message(bool stored, const std::string& error);
  void log_arrival();
  size_t stored_size() const;
  void fill_origin();
  void submission_fixups();
  std::string received_header();

  // session_misc.cpp
  void cmd_vrfy(const Command& cmd);
  bool vrfy_expn_address(AclWhere where, const Command& cmd, std::string& addr);
  void cmd_expn(const Command& cmd);
  void cmd_etrn(const Command& cmd);
  void cmd_auth(const Command& cmd);
  void auth_response(std::string_view line);
  void auth_step(std::string_view response, bool initial);
  void auth_finished(const std::string& name, const AuthStep& s, bool cancelled);
  void auth_succeeded(const std::string& name, const std::string& id);
  void tls_authenticate();
  void pace_auth_reply(std::chrono::steady_clock::time_point started);
  std::string protocol_name() const;
  static std::string printable_id(std::string_view id);
  bool mail_auth_condition_ok();
  void cmd_starttls();
  void set_session_vars();

  const config::Config& cfg_;
  SessionServices& services_;
  SessionSettings settings_;
  std::unique_ptr<SessionVariables> vars_;
  std::unique_ptr<ConfigNamedLists> own_lists_;
  lang::DnsSettings dns_;
  lang::EvalContext ctx_;
  acl::Evaluator acl_;
  std::unique_ptr<SessionAclHooks> hooks_;
  std::unique_ptr<ClientName> client_name_;

  State state_ = State::Command;
  std::string in_;
  size_t in_pos_ = 0;
  std::string out_;
  AclWhere where_ = AclWhere::Connect;
  Controls controls_;
  acl::RateCache rate_cache_;

  // The host lists Exim checks once at the start of a connection (spec chapter 14).
  struct HostFlags {
    bool sender_unqualified = false;
    bool recipient_unqualified = false;
    bool helo_accept_junk = false;
    bool helo_verify = false;  // helo_verify_hosts: HELO/EHLO must match the client
    bool pipelining_connect = false;
  };
  HostFlags host_flags_;
  bool check_connection_hosts();  // false: host_reject_connection matched

  // Session state.
  bool vars_set_ = false;  // set_session_vars() has run
  std::string helo_name_;
  bool helo_seen_ = false;
  bool esmtp_ = false;
  bool pipelining_advertised_ = false;
  bool chunking_advertised_ = false;
  bool starttls_advertised_ = false;
  bool dsn_advertised_ = false;
  bool smtputf8_advertised_ = false;
  std::vector<std::string> auth_advertised_;
  bool authenticated_ = false;
  std::string authenticated_by_;  // the authenticator's name
  bool tls_pending_ = false;
  bool store_pending_ = false;
  std::chrono::steady_clock::time_point hold_until_{};
  bool tls_active_ = false;
  bool bdat_active_ = false;
  int synprot_errors_ = 0;
  bool was_rej_mail_ = false, last_was_rej_mail_ = false;  // this / the previous command
  bool was_rcpt_ = false, last_was_rcpt_ = false;          // the same for "was RCPT"
  int unknown_commands_ = 0;
  int nonmail_count_ = 0;
  bool nonmail_counting_ = true;
  bool nonmail_checked_ = false;
  bool free_rset_ = true, free_helo_ = true, free_starttls_ = true, free_auth_ = true;
  int messages_ = 0;
  std::vector<std::string_view> history_;  // verbs so far (the C= of a "dropped" log line)
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  LogSelector log_selector_;

  std::string rcpt_local_part_;  // the RCPT local part before lower-casing
  std::string rcpt_given_;       // the RCPT address as written, for the log
  std::string sender_verify_failure_;

  // The transaction (MAIL .. end of data).
  Transaction txn_;
  DataReader data_;
  uint64_t bdat_remaining_ = 0, bdat_size_ = 0;
  bool bdat_last_ = false;
  bool bdat_discard_ = false;    // the chunk being read belongs to a refused BDAT
  bool bdat_need_rset_ = false;  // a wrong command between chunks: only RSET (or QUIT) now
  std::unique_ptr<AuthExchange> auth_;
};

}  // namespace engine::smtp
