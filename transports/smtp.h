// transports/smtp.h — internal to the smtp transport (spec chapter 30): its options as read
// once from the configuration, and one attempt at one host (smtp_session.cpp): connect,
// banner, EHLO (or LHLO, or HELO), STARTTLS, AUTH, then transactions of up to max_rcpt
// recipients each, on the same connection, for the addresses still pending.
//
// A host attempt leaves in `results` what the host said about each address it was asked
// about, and says in HostAttempt whether the host itself failed (connection refused, timeout,
// TLS required but impossible, authentication required but failed) so that smtp.cpp moves on
// to the next host and the delivery process keeps a host retry record.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "authenticators/authenticator.h"
#include "transports/generic.h"
#include "transports/smtp_client.h"
#include "transports/smtp_pool.h"
#include "transports/transport.h"
#include "util/tls_client.h"

namespace transports::smtp {

struct Options {
  GenericOptions generic;
  ProgramPtr hosts, port, interface, helo_data, authenticated_sender;
  ProgramPtr hosts_avoid_tls, hosts_require_tls, hosts_avoid_esmtp, hosts_avoid_pipelining;
  ProgramPtr hosts_require_auth, hosts_try_auth;
  ProgramPtr tls_verify_hosts, tls_try_verify_hosts, tls_verify_cert_hostnames;
  ProgramPtr tls_verify_certificates, tls_certificate, tls_privatekey, tls_require_ciphers, tls_crl,
      tls_sni;
  std::string fallback_hosts, protocol = "smtp";
  bool hosts_override = false, hosts_randomize = false, allow_localhost = false;
  bool tls_tempfail_tryclear = true, authenticated_sender_force = false, keepalive = true;
  bool tls_verify_hosts_set = false, tls_try_verify_hosts_set = false;
  int64_t command_timeout = 300, connect_timeout = 300, data_timeout = 300, final_timeout = 600;
  int64_t max_rcpt = 100, size_addition = 1024, hosts_max_try = 5, hosts_max_try_hardlimit = 50;
  int64_t connection_max_messages = 500;  // messages down one connection; 0: no limit
  // The configuration's authenticators, for hosts_try_auth / hosts_require_auth.
  std::shared_ptr<const std::vector<std::unique_ptr<authenticators::Authenticator>>> auths;
};

// TLS client contexts, one per distinct set of expanded TLS options, shared by deliveries.
class TlsContexts {
 public:
  util::Result<std::shared_ptr<util::TlsClientContext>> get(const util::TlsClientOptions& o);

 private:
  std::mutex m_;
  std::map<util::TlsClientOptions, std::shared_ptr<util::TlsClientContext>> cache_;
};

struct Session {
  const Options& opt;
  Expander& ex;
  const TransportServices& services;
  const Prepared& prep;
  Delivery& d;
  TlsContexts& tls;
  const std::string& transport;
  ConnectionPool* pool = nullptr;  // idle connections to carry on with; none: QUIT each time
};

// Tries `host` for the addresses whose indices are in `pending`; removes from `pending` those
// it decided (delivered, failed, or deferred for an address reason) and records each
// address's latest result in d.results. Appends the attempt to d.hosts. With a pool, it
// first carries on down an idle connection to the same host (RSET, 250 expected; anything
// else: a new connection), and leaves a sound connection there instead of sending QUIT,
// until it has carried connection_max_messages messages. Results of a delivery down a
// reused connection name the host with a "*" after the address, as Exim logs them. When TLS
// fails after STARTTLS was accepted and the host may go without it (not in hosts_require_tls,
// tls_tempfail_tryclear), a new connection delivers in clear and the first address's result
// carries Exim's log line "...: delivering unencrypted to H=name [ip] (not in hosts_require_tls)".
void attempt_host(Session& s, const Host& host, std::vector<size_t>& pending);

// Whether `host` matches the (expanded) host-list option `list` (`dflt` when unset).
bool host_in_list(Expander& ex, const ProgramPtr& list, std::string_view dflt, const Host& host);

}  // namespace transports::smtp
