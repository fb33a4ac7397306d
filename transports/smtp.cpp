// transports/smtp.cpp — the smtp transport (spec chapter 30): its options, the host list
// (the router's hosts, or `hosts`), and the walk over the hosts and fallback hosts until every
// address is decided or no host is left. One host attempt is in smtp_session.cpp.

#include <algorithm>
#include <cctype>
#include <random>

#include "engine/config/drivers.h"
#include "lang/lists.h"
#include "transports/smtp.h"
#include "transports/smtp_hosts.h"
#include "util/services.h"

namespace transports::smtp {
namespace {

using engine::config::DriverOption;
using engine::config::InstanceOptions;
using T = engine::config::OptType;

// Spec 30.4, sorted. The DKIM, DANE, OCSP, SOCKS, PRDR, CHUNKING, TCP Fast Open and
// serialization options are accepted and have no effect yet (docs/DESIGN.md).
constexpr DriverOption kOptions[] = {
    {"address_retry_include_sender", T::Bool, false, "true"},
    {"allow_localhost", T::Bool, false, "false"},
    {"authenticated_sender", T::String, true, ""},
    {"authenticated_sender_force", T::Bool, false, "false"},
    {"command_timeout", T::Time, false, "5m"},
    {"connect_timeout", T::Time, false, "5m"},
    {"connection_max_messages", T::Int, false, "500"},
    {"dane_require_tls_ciphers", T::String, true, ""},
    {"data_timeout", T::Time, false, "5m"},
    {"delay_after_cutoff", T::Bool, false, "true"},
    {"dkim_canon", T::String, true, ""},
    {"dkim_domain", T::List, true, ""},
    {"dkim_hash", T::String, true, "sha256"},
    {"dkim_identity", T::String, true, ""},
    {"dkim_private_key", T::String, true, ""},
    {"dkim_selector", T::String, true, ""},
    {"dkim_sign_headers", T::String, true, ""},
    {"dkim_strict", T::String, true, ""},
    {"dkim_timestamps", T::String, true, ""},
    {"dns_qualify_single", T::Bool, false, "true"},
    {"dns_search_parents", T::Bool, false, "false"},
    {"dnssec_request_domains", T::List, true, "*"},
    {"dnssec_require_domains", T::List, true, ""},
    {"dscp", T::String, true, ""},
    {"fallback_hosts", T::List, false, ""},
    {"final_timeout", T::Time, false, "10m"},
    {"gethostbyname", T::Bool, false, "false"},
    {"gnutls_compat_mode", T::Bool, false, ""},
    {"helo_data", T::String, true, "$primary_hostname"},
    {"host_name_extract", T::List, true, ""},
    {"hosts", T::List, true, ""},
    {"hosts_avoid_esmtp", T::List, true, ""},
    {"hosts_avoid_pipelining", T::List, true, ""},
    {"hosts_avoid_tls", T::List, true, ""},
    {"hosts_max_try", T::Int, false, "5"},
    {"hosts_max_try_hardlimit", T::Int, false, "50"},
    {"hosts_nopass_tls", T::List, true, ""},
    {"hosts_noproxy_tls", T::List, true, ""},
    {"hosts_override", T::Bool, false, "false"},
    {"hosts_pipe_connect", T::List, true, ""},
    {"hosts_randomize", T::Bool, false, "false"},
    {"hosts_request_ocsp", T::List, true, "*"},
    {"hosts_require_alpn", T::List, true, ""},
    {"hosts_require_auth", T::List, true, ""},
    {"hosts_require_dane", T::List, true, ""},
    {"hosts_require_ocsp", T::List, true, ""},
    {"hosts_require_tls", T::List, true, ""},
    {"hosts_try_auth", T::List, true, ""},
    {"hosts_try_chunking", T::List, true, "*"},
    {"hosts_try_dane", T::List, true, "*"},
    {"hosts_try_fastopen", T::List, true, "*"},
    {"hosts_try_prdr", T::List, true, "*"},
    {"hosts_verify_avoid_tls", T::List, true, ""},
    {"interface", T::List, true, ""},
    {"keepalive", T::Bool, false, "true"},
    {"lmtp_ignore_quota", T::Bool, false, "false"},
    {"max_rcpt", T::Int, false, "100"},
    {"message_linelength_limit", T::Int, false, "998"},
    {"multi_domain", T::Bool, true, "true"},
    {"port", T::String, true, ""},
    {"protocol", T::String, false, "smtp"},
    {"retry_include_ip_address", T::Bool, true, "true"},
    {"serialize_hosts", T::List, true, ""},
    {"size_addition", T::Int, false, "1024"},
    {"socks_proxy", T::String, true, ""},
    {"tls_alpn", T::String, true, ""},
    {"tls_certificate", T::String, true, ""},
    {"tls_crl", T::String, true, ""},
    {"tls_dh_min_bits", T::Int, false, "1024"},
    {"tls_privatekey", T::String, true, ""},
    {"tls_require_ciphers", T::String, true, ""},
    {"tls_resumption_hosts", T::List, true, ""},
    {"tls_sni", T::String, true, ""},
    {"tls_tempfail_tryclear", T::Bool, false, "true"},
    {"tls_try_verify_hosts", T::List, true, "*"},
    {"tls_verify_cert_hostnames", T::List, true, "*"},
    {"tls_verify_certificates", T::String, true, "system"},
    {"tls_verify_hosts", T::List, true, ""},
    {"utf8_downconvert", T::Int, true, "-1"},
};

util::Result<Options> read_options(const engine::config::Config& cfg,
                                   const engine::config::Instance& inst) {
  auto g = GenericOptions::read(cfg, inst);
  if (!g) return g.error();
  Options p;
  p.generic = std::move(*g);
  InstanceOptions o(engine::config::DriverKind::Transport, inst);
  for (auto [name, slot] : {std::pair{"hosts", &p.hosts},
                            {"port", &p.port},
                            {"interface", &p.interface},
                            {"helo_data", &p.helo_data},
                            {"authenticated_sender", &p.authenticated_sender},
                            {"hosts_avoid_tls", &p.hosts_avoid_tls},
                            {"hosts_require_tls", &p.hosts_require_tls},
                            {"hosts_avoid_esmtp", &p.hosts_avoid_esmtp},
                            {"hosts_avoid_pipelining", &p.hosts_avoid_pipelining},
                            {"hosts_require_auth", &p.hosts_require_auth},
                            {"hosts_try_auth", &p.hosts_try_auth},
                            {"tls_verify_hosts", &p.tls_verify_hosts},
                            {"tls_try_verify_hosts", &p.tls_try_verify_hosts},
                            {"tls_verify_cert_hostnames", &p.tls_verify_cert_hostnames},
                            {"tls_verify_certificates", &p.tls_verify_certificates},
                            {"tls_certificate", &p.tls_certificate},
                            {"tls_privatekey", &p.tls_privatekey},
                            {"tls_require_ciphers", &p.tls_require_ciphers},
                            {"tls_crl", &p.tls_crl},
                            {"tls_sni", &p.tls_sni}})
    *slot = option_program(inst, name);
  p.fallback_hosts = o.get_string("fallback_hosts");
  p.protocol = o.get_string("protocol");
  if (p.protocol != "smtp" && p.protocol != "lmtp" && p.protocol != "smtps")
    return util::Error{"transport " + inst.name + ": unknown protocol \"" + p.protocol + "\"",
                       inst.loc};
  p.hosts_override = o.get_bool("hosts_override");
  p.hosts_randomize = o.get_bool("hosts_randomize");
  p.allow_localhost = o.get_bool("allow_localhost");
  p.tls_tempfail_tryclear = o.get_bool("tls_tempfail_tryclear");
  p.authenticated_sender_force = o.get_bool("authenticated_sender_force");
  p.keepalive = o.get_bool("keepalive");
  p.tls_verify_hosts_set = o.is_set("tls_verify_hosts");
  // Its default, "*", counts as set; only an explicitly empty setting does not.
  p.tls_try_verify_hosts_set =
      !o.is_set("tls_try_verify_hosts") || !o.get_string("tls_try_verify_hosts").empty();
  p.command_timeout = std::max<int64_t>(1, o.get_time("command_timeout"));
  p.connect_timeout = o.get_time("connect_timeout");
  p.data_timeout = std::max<int64_t>(1, o.get_time("data_timeout"));
  p.final_timeout = std::max<int64_t>(1, o.get_time("final_timeout"));
  p.max_rcpt = o.get_int("max_rcpt");
  p.connection_max_messages = std::max<int64_t>(0, o.get_int("connection_max_messages"));
  p.size_addition = o.get_int("size_addition");
  p.hosts_max_try = std::max<int64_t>(1, o.get_int("hosts_max_try"));
  p.hosts_max_try_hardlimit = std::max<int64_t>(1, o.get_int("hosts_max_try_hardlimit"));
  p.auths = std::make_shared<std::vector<std::unique_ptr<authenticators::Authenticator>>>(
      authenticators::make_authenticators(cfg));
  return p;
}

// The port: the option's value (a number or a service name) or the protocol's default.
bool transport_port(Expander& ex, const Options& o, int& port, std::string& err) {
  std::string dflt = o.protocol == "lmtp" ? "lmtp" : o.protocol == "smtps" ? "smtps" : "smtp";
  std::string v;
  if (ex.option(o.port.get(), "port", v, err, dflt) != ExpandOutcome::Ok) return false;
  port = util::tcp_port(v);
  if (port > 0) return true;
  err = "invalid port \"" + v + "\" for " + ex.transport_name() + " transport";
  return false;
}

// The hosts to try: the router's, or the transport's `hosts` option.
bool host_list(Expander& ex, const Options& o, const Delivery& d, std::vector<Host>& out,
               std::string& err) {
  const DeliveryAddress& a = d.addresses.front();
  if (o.hosts && (o.hosts_override || a.hosts.empty())) {
    std::string list;
    if (ex.option(o.hosts.get(), "hosts", list, err) != ExpandOutcome::Ok) return false;
    auto hosts = parse_host_list(list, o.hosts_randomize);
    if (!hosts) return err = hosts.error().message, false;
    out = std::move(*hosts);
  } else {
    out = a.hosts;
    if (o.hosts_randomize && !a.hosts_from_mx && !a.hosts_randomized) {
      static thread_local std::mt19937 rng{std::random_device{}()};
      std::shuffle(out.begin(), out.end(), rng);
    }
  }
  if (out.empty()) err = "No hosts specified for " + ex.transport_name() + " transport";
  return !out.empty();
}

class Smtp : public Transport {
 public:
  Smtp(std::string name, Options o)
      : Transport(std::move(name), "smtp", o_.generic), o_(std::move(o)) {}
  bool is_local() const override { return false; }
  int max_addresses() const override { return 0; }
  void deliver(Delivery& d, const TransportServices& s) const override;

 private:
  bool try_hosts(Session& ses, const std::vector<Host>& hosts, std::vector<size_t>& pending,
                 int64_t& tried) const;
  Options o_;
  mutable TlsContexts tls_;
  mutable ConnectionPool pool_;  // declared last: closed first, while the options live
};

bool Smtp::try_hosts(Session& ses, const std::vector<Host>& hosts, std::vector<size_t>& pending,
                     int64_t& tried) const {
  int port = 25;
  std::string err;
  if (!transport_port(ses.ex, o_, port, err)) {
    for (size_t i : pending) ses.d.results[i] = defer_result(err);
    return false;
  }
  ResolvedHosts r = resolve_hosts(hosts, ses.services.resolve);
  for (Host h : r.hosts) {
    if (pending.empty() || tried >= o_.hosts_max_try || tried >= o_.hosts_max_try_hardlimit) break;
    if (h.port <= 0) h.port = port;
    if (!o_.allow_localhost && is_local_address(h.address)) {
      HostAttempt ha;
      ha.host = h;
      ha.message = "remote host address is the local host";
      ses.d.hosts.push_back(ha);
      for (size_t i : pending) ses.d.results[i] = defer_result(ha.message);
      continue;
    }
    ++tried;
    attempt_host(ses, h, pending);
  }
  if (r.hosts.empty()) {
    std::string why = r.temporary_failure ? "host lookup did not complete"
                                          : "all host address lookups failed permanently";
    for (size_t i : pending)
      ses.d.results[i] = r.temporary_failure ? defer_result(why) : fail_result(why);
    if (!r.temporary_failure) pending.clear();
  }
  return true;
}

void Smtp::deliver(Delivery& d, const TransportServices& s) const {
  Expander ex(s, d, name());
  Prepared prep;
  AddressResult fail;
  PrepareOptions po;
  po.need_identity = false;
  d.results.assign(d.addresses.size(), defer_result("no host was tried"));
  if (d.addresses.empty()) return;
  if (!prepare(o_.generic, ex, d, s, po, prep, fail)) return set_all_results(d, fail);
  std::vector<Host> hosts;
  std::string err;
  if (!host_list(ex, o_, d, hosts, err)) return set_all_results(d, defer_result(err));
  std::vector<size_t> pending(d.addresses.size());
  for (size_t i = 0; i < pending.size(); ++i) pending[i] = i;
  Session ses{o_, ex, s, prep, d, tls_, name(), &pool_};
  int64_t tried = 0;
  if (!try_hosts(ses, hosts, pending, tried) || pending.empty()) return;
  std::string fb = o_.fallback_hosts;
  std::vector<Host> fallback = d.addresses.front().fallback_hosts;
  if (fallback.empty() && !fb.empty()) {
    auto parsed = parse_host_list(fb, o_.hosts_randomize);
    if (parsed) fallback = std::move(*parsed);
  }
  if (!fallback.empty()) {
    tried = 0;
    (void)try_hosts(ses, fallback, pending, tried);
  }
}

const TransportRegistrar kRegistrar({"smtp", kOptions, make_transport<Smtp, read_options>});

}  // namespace
}  // namespace transports::smtp
