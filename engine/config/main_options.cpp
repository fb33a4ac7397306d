#include "engine/config/main_options.h"

#include <cstdio>

#include <grp.h>
#include <pwd.h>
#include <sys/utsname.h>

#include <algorithm>
#include <vector>

#include "engine/config/config.h"
#include "engine/config/suggest.h"
#include "engine/config/values.h"
#include "lang/lists.h"
#include "util/dns.h"
#include "util/strings.h"

namespace engine::config {
namespace {

using T = OptType;

// Names and defaults as Exim 4.96 prints them with -bP (paths and names adapted to facteur);
// types and the expanded flag from the manual's option table.
constexpr MainOption kOptions[] = {
    {"accept_8bitmime", T::Bool, false, "true"},
    {"acl_not_smtp", T::String, true, ""},
    {"acl_not_smtp_mime", T::String, true, ""},
    {"acl_not_smtp_start", T::String, true, ""},
    {"acl_smtp_auth", T::String, true, ""},
    {"acl_smtp_connect", T::String, true, ""},
    {"acl_smtp_data", T::String, true, ""},
    {"acl_smtp_data_prdr", T::String, true, "accept"},
    {"acl_smtp_dkim", T::String, true, ""},
    {"acl_smtp_etrn", T::String, true, ""},
    {"acl_smtp_expn", T::String, true, ""},
    {"acl_smtp_helo", T::String, true, ""},
    {"acl_smtp_mail", T::String, true, ""},
    {"acl_smtp_mailauth", T::String, true, ""},
    {"acl_smtp_mime", T::String, true, ""},
    {"acl_smtp_notquit", T::String, true, ""},
    {"acl_smtp_predata", T::String, true, ""},
    {"acl_smtp_quit", T::String, true, ""},
    {"acl_smtp_rcpt", T::String, true, ""},
    {"acl_smtp_starttls", T::String, true, ""},
    {"acl_smtp_vrfy", T::String, true, ""},
    {"add_environment", T::List, false, ""},
    {"admin_groups", T::GidList, true, ""},
    {"allow_domain_literals", T::Bool, false, "false"},
    {"allow_mx_to_ip", T::Bool, false, "false"},
    {"allow_utf8_domains", T::Bool, false, "false"},
    {"auth_advertise_hosts", T::List, true, "*"},
    {"auto_thaw", T::Time, false, "0s"},
    {"av_scanner", T::String, false, "sophie:/var/run/sophie"},
    {"bi_command", T::String, false, ""},
    {"bounce_message_file", T::String, true, ""},
    {"bounce_message_text", T::String, false, ""},
    {"bounce_return_body", T::Bool, false, "true"},
    {"bounce_return_linesize_limit", T::Int, false, "998"},
    {"bounce_return_message", T::Bool, false, "true"},
    {"bounce_return_size_limit", T::Size, false, "100K"},
    {"bounce_sender_authentication", T::String, false, ""},
    {"callout_domain_negative_expire", T::Time, false, "3h"},
    {"callout_domain_positive_expire", T::Time, false, "1w"},
    {"callout_negative_expire", T::Time, false, "2h"},
    {"callout_positive_expire", T::Time, false, "1d"},
    {"callout_random_local_part", T::String, true, "$primary_hostname-$tod_epoch-testing"},
    {"check_log_inodes", T::Int, false, "100"},
    {"check_log_space", T::SizeK, false, "10M"},
    {"check_rfc2047_length", T::Bool, false, "true"},
    {"check_spool_inodes", T::Int, false, "100"},
    {"check_spool_space", T::SizeK, false, "10M"},
    {"chunking_advertise_hosts", T::List, true, "*"},
    {"commandline_checks_require_admin", T::Bool, false, "false"},
    {"daemon_smtp_ports", T::String, false, "smtp"},
    {"daemon_startup_retries", T::Int, false, "9"},
    {"daemon_startup_sleep", T::Time, false, "30s"},
    {"debug_store", T::Bool, false, "false"},
    {"delay_warning", T::TimeList, false, "1d"},
    {"delay_warning_condition", T::String, true,
     "${if or {{ !eq{$h_list-id:$h_list-post:$h_list-subscribe:}{} }{ "
     "match{$h_precedence:}{(?i)bulk|list|junk} }{ "
     "match{$h_auto-submitted:}{(?i)auto-generated|auto-replied} }} {no}{yes}}"},
    {"deliver_drop_privilege", T::Bool, false, "false"},
    {"deliver_queue_load_max", T::Fixed, false, ""},
    {"delivery_date_remove", T::Bool, false, "true"},
    {"disable_fsync", T::Bool, false, "false"},
    {"disable_ipv6", T::Bool, false, "false"},
    {"dkim_verify_hashes", T::List, false, "sha256:sha512"},
    {"dkim_verify_keytypes", T::List, false, "ed25519:rsa"},
    {"dkim_verify_min_keysizes", T::List, false, "rsa=1024 ed25519=250"},
    {"dkim_verify_minimal", T::Bool, false, "false"},
    {"dkim_verify_signers", T::List, true, "$dkim_signers"},
    {"dmarc_forensic_sender", T::String, true, ""},
    {"dmarc_history_file", T::String, false, ""},
    {"dmarc_tld_file", T::String, false, ""},
    {"dns_again_means_nonexist", T::List, true, ""},
    {"dns_check_names_pattern", T::String, false,
     "(?i)^(?>(?(1)\\.|())[^\\W](?>[a-z0-9/_-]*[^\\W])?)+(\\.?)$"},
    {"dns_cname_loops", T::Int, false, "1"},
    {"dns_csa_search_limit", T::Int, false, "5"},
    {"dns_csa_use_reverse", T::Bool, false, "true"},
    {"dns_dnssec_ok", T::Int, false, "-1"},
    {"dns_ipv4_lookup", T::List, true, ""},
    {"dns_retrans", T::Time, false, "0s"},
    {"dns_retry", T::Int, false, "0"},
    // facteur's own: the name servers to ask (default: those of /etc/resolv.conf).
    {"dns_servers", T::List, false, ""},
    {"dns_trust_aa", T::List, true, ""},
    {"dns_use_edns0", T::Int, false, "-1"},
    {"drop_cr", T::Bool, false, "false"},
    {"dsn_advertise_hosts", T::List, true, ""},
    {"dsn_from", T::String, true, "Mail Delivery System <Mailer-Daemon@$qualify_domain>"},
    {"envelope_to_remove", T::Bool, false, "true"},
    {"errors_copy", T::List, true, ""},
    {"errors_reply_to", T::String, false, ""},
    {"event_action", T::String, true, ""},
    {"exim_group", T::Gid, false, "mail"},
    {"exim_path", T::String, false, "/usr/sbin/facteur"},
    {"exim_user", T::Uid, false, "mail"},
    {"exim_version", T::String, false, ""},
    {"extra_local_interfaces", T::List, false, ""},
    {"extract_addresses_remove_arguments", T::Bool, false, "true"},
    {"finduser_retries", T::Int, false, "0"},
    {"freeze_tell", T::List, false, ""},
    {"gecos_name", T::String, true, ""},
    {"gecos_pattern", T::String, false, ""},
    {"gnutls_allow_auto_pkcs11", T::Bool, false, "false"},
    {"gnutls_compat_mode", T::Bool, false, "false"},
    {"header_line_maxsize", T::Int, false, "0"},
    {"header_maxsize", T::Int, false, "1048576"},
    {"headers_charset", T::String, false, "UTF-8"},
    {"helo_accept_junk_hosts", T::List, true, ""},
    {"helo_allow_chars", T::String, false, ""},
    {"helo_lookup_domains", T::List, true, "@ : @[]"},
    {"helo_try_verify_hosts", T::List, true, ""},
    {"helo_verify_hosts", T::List, true, ""},
    {"hold_domains", T::List, true, ""},
    {"host_lookup", T::List, true, ""},
    {"host_lookup_order", T::List, false, "bydns:byaddr"},
    {"host_reject_connection", T::List, true, ""},
    {"hosts_connection_nolog", T::List, true, ""},
    {"hosts_proxy", T::List, true, ""},
    {"hosts_require_alpn", T::List, true, ""},
    {"hosts_require_helo", T::List, true, "*"},
    {"hosts_treat_as_local", T::List, true, ""},
    {"ibase_servers", T::List, false, ""},
    {"ignore_bounce_errors_after", T::Time, false, "10w"},
    {"ignore_fromline_hosts", T::List, true, ""},
    {"ignore_fromline_local", T::Bool, false, "false"},
    {"keep_environment", T::List, false, ""},
    {"keep_malformed", T::Time, false, "4d"},
    {"ldap_ca_cert_dir", T::String, false, ""},
    {"ldap_ca_cert_file", T::String, false, ""},
    {"ldap_cert_file", T::String, false, ""},
    {"ldap_cert_key", T::String, false, ""},
    {"ldap_cipher_suite", T::String, false, ""},
    {"ldap_default_servers", T::List, false, ""},
    {"ldap_require_cert", T::String, false, ""},
    {"ldap_start_tls", T::Bool, false, "false"},
    {"ldap_version", T::Int, false, "-1"},
    {"local_from_check", T::Bool, false, "true"},
    {"local_from_prefix", T::String, false, ""},
    {"local_from_suffix", T::String, false, ""},
    {"local_interfaces", T::List, false, "<; ::0 ; 0.0.0.0"},
    {"local_scan_timeout", T::Time, false, "5m"},
    {"local_sender_retain", T::Bool, false, "false"},
    {"localhost_number", T::String, true, ""},
    {"log_file_path", T::List, true, "/var/log/facteur/%slog"},
    {"log_selector", T::String, false, ""},
    {"log_timezone", T::Bool, false, "false"},
    {"lookup_open_max", T::Int, false, "25"},
    {"max_username_length", T::Int, false, "0"},
    {"message_body_newlines", T::Bool, false, "false"},
    {"message_body_visible", T::Int, false, "500"},
    {"message_id_header_domain", T::String, true, ""},
    {"message_id_header_text", T::String, true, ""},
    {"message_logs", T::Bool, false, "true"},
    {"message_size_limit", T::String, true, "50M"},
    {"move_frozen_messages", T::Bool, false, "false"},
    {"mua_wrapper", T::Bool, false, "false"},
    {"mysql_servers", T::List, false, ""},
    {"never_users", T::UidList, true, ""},
    {"notifier_socket", T::String, false, "$spool_directory/facteur_daemon_notify"},
    {"openssl_options", T::List, false,
     "+no_sslv2 +no_sslv3 +single_dh_use +no_ticket +no_renegotiation"},
    {"oracle_servers", T::List, false, ""},
    {"panic_coredump", T::Bool, false, "false"},
    {"percent_hack_domains", T::List, true, ""},
    {"perl_at_start", T::Bool, false, "false"},
    {"perl_startup", T::String, false, ""},
    {"perl_taintmode", T::Bool, false, "false"},
    {"pgsql_servers", T::List, false, ""},
    {"pid_file_path", T::String, true, "/run/facteur/facteur.pid"},
    {"pipelining_advertise_hosts", T::List, true, "*"},
    {"pipelining_connect_advertise_hosts", T::List, true, "*"},
    {"prdr_enable", T::Bool, false, "false"},
    {"preserve_message_logs", T::Bool, false, "false"},
    {"primary_hostname", T::String, false, ""},
    {"print_topbitchars", T::Bool, false, "false"},
    {"process_log_path", T::String, false, ""},
    {"prod_requires_admin", T::Bool, false, "true"},
    {"proxy_protocol_timeout", T::Time, false, "3s"},
    {"qualify_domain", T::String, false, ""},
    {"qualify_recipient", T::String, false, ""},
    {"queue_domains", T::List, true, ""},
    {"queue_fast_ramp", T::Bool, false, "false"},
    {"queue_list_requires_admin", T::Bool, false, "true"},
    {"queue_only", T::Bool, false, "false"},
    {"queue_only_file", T::String, false, ""},
    {"queue_only_load", T::Fixed, false, ""},
    {"queue_only_load_latch", T::Bool, false, "true"},
    {"queue_only_override", T::Bool, false, "true"},
    {"queue_run_in_order", T::Bool, false, "false"},
    {"queue_run_max", T::Int, true, "5"},
    {"queue_smtp_domains", T::List, true, ""},
    {"receive_timeout", T::Time, false, "0s"},
    {"received_header_text", T::String, true,
     "Received: ${if def:sender_rcvhost {from $sender_rcvhost\\n\\t}{${if def:sender_ident {from "
     "${quote_local_part:$sender_ident} }}${if def:sender_helo_name "
     "{(helo=$sender_helo_name)\\n\\t}}}}by $primary_hostname ${if def:received_protocol {with "
     "$received_protocol }}${if def:tls_in_ver        { ($tls_in_ver)}}${if def:tls_in_cipher_std "
     "{ tls $tls_in_cipher_std\\n\\t}}(Exim $version_number)\\n\\t${if def:sender_address "
     "{(envelope-from <$sender_address>)\\n\\t}}id $message_exim_id${if def:received_for "
     "{\\n\\tfor $received_for}}"},
    {"received_headers_max", T::Int, false, "30"},
    {"recipient_unqualified_hosts", T::List, true, ""},
    {"recipients_max", T::Int, false, "50000"},
    {"recipients_max_reject", T::Bool, false, "false"},
    {"remote_max_parallel", T::Int, false, "2"},
    {"remote_sort_domains", T::List, true, ""},
    {"retry_data_expire", T::Time, false, "1w"},
    {"retry_interval_max", T::Time, false, "1d"},
    {"return_path_remove", T::Bool, false, "true"},
    {"return_size_limit", T::Size, false, "100K"},
    {"rfc1413_hosts", T::List, true, "@[]"},
    {"rfc1413_query_timeout", T::Time, false, "0s"},
    {"sender_unqualified_hosts", T::List, true, ""},
    {"slow_lookup_log", T::Int, false, "0"},
    {"smtp_accept_keepalive", T::Bool, false, "true"},
    {"smtp_accept_max", T::Int, false, "20"},
    {"smtp_accept_max_nonmail", T::Int, false, "10"},
    {"smtp_accept_max_nonmail_hosts", T::List, true, "*"},
    {"smtp_accept_max_per_connection", T::Int, true, "1000"},
    {"smtp_accept_max_per_host", T::String, true, ""},
    {"smtp_accept_queue", T::Int, false, "0"},
    {"smtp_accept_queue_per_connection", T::Int, false, "10"},
    {"smtp_accept_reserve", T::Int, false, "0"},
    {"smtp_active_hostname", T::String, true, ""},
    {"smtp_backlog_monitor", T::Int, false, "0"},
    {"smtp_banner", T::String, true, "$smtp_active_hostname ESMTP facteur $version_number $tod_full"},
    {"smtp_check_spool_space", T::Bool, false, "true"},
    {"smtp_connect_backlog", T::Int, false, "20"},
    {"smtp_enforce_sync", T::Bool, false, "true"},
    {"smtp_etrn_command", T::String, true, ""},
    {"smtp_etrn_serialize", T::Bool, false, "true"},
    {"smtp_load_reserve", T::Fixed, false, ""},
    {"smtp_max_synprot_errors", T::Int, false, "3"},
    {"smtp_max_unknown_commands", T::Int, false, "3"},
    {"smtp_ratelimit_hosts", T::List, true, ""},
    {"smtp_ratelimit_mail", T::String, false, ""},
    {"smtp_ratelimit_rcpt", T::String, false, ""},
    {"smtp_receive_timeout", T::Time, true, "5m"},
    {"smtp_reserve_hosts", T::List, true, ""},
    {"smtp_return_error_details", T::Bool, false, "false"},
    {"smtputf8_advertise_hosts", T::List, true, "*"},
    {"spamd_address", T::String, false, "127.0.0.1 783"},
    {"spf_guess", T::String, false, "v=spf1 a/24 mx/24 ptr ?all"},
    {"spf_smtp_comment_template", T::String, true, "Please%_see%_http://www.open-spf.org/Why"},
    {"split_spool_directory", T::Bool, false, "false"},
    {"spool_directory", T::String, true, "/var/spool/facteur"},
    {"spool_wireformat", T::Bool, false, "false"},
    {"sqlite_dbfile", T::String, false, ""},
    {"sqlite_lock_timeout", T::Time, false, "5s"},
    {"strict_acl_vars", T::Bool, false, "false"},
    {"strip_excess_angle_brackets", T::Bool, false, "false"},
    {"strip_trailing_dot", T::Bool, false, "false"},
    {"syslog_duplication", T::Bool, false, "true"},
    {"syslog_facility", T::String, false, ""},
    {"syslog_pid", T::Bool, false, "true"},
    {"syslog_processname", T::String, false, "facteur"},
    {"syslog_timestamp", T::Bool, false, "true"},
    {"system_filter", T::String, true, ""},
    {"system_filter_directory_transport", T::String, true, ""},
    {"system_filter_file_transport", T::String, true, ""},
    {"system_filter_group", T::String, false, ""},
    {"system_filter_pipe_transport", T::String, true, ""},
    {"system_filter_reply_transport", T::String, true, ""},
    {"system_filter_user", T::String, false, ""},
    {"tcp_nodelay", T::Bool, false, "true"},
    {"timeout_frozen_after", T::Time, false, "0s"},
    {"timezone", T::String, false, ""},
    {"tls_advertise_hosts", T::List, true, "*"},
    {"tls_alpn", T::List, true, "smtp:esmtp"},
    {"tls_certificate", T::List, true, ""},
    {"tls_crl", T::String, true, ""},
    {"tls_dh_max_bits", T::Int, false, "2236"},
    {"tls_dhparam", T::String, true, ""},
    {"tls_eccurve", T::String, true, "auto"},
    {"tls_ocsp_file", T::String, true, ""},
    {"tls_on_connect_ports", T::List, false, ""},
    {"tls_privatekey", T::List, true, ""},
    {"tls_remember_esmtp", T::Bool, false, "false"},
    {"tls_require_ciphers", T::String, true, ""},
    {"tls_resumption_hosts", T::List, true, ""},
    {"tls_try_verify_hosts", T::List, true, ""},
    {"tls_verify_certificates", T::String, true, "system"},
    {"tls_verify_hosts", T::List, true, ""},
    {"trusted_groups", T::GidList, true, ""},
    {"trusted_users", T::UidList, true, ""},
    {"unknown_login", T::String, true, ""},
    {"unknown_username", T::String, false, ""},
    {"untrusted_set_sender", T::List, true, ""},
    {"uucp_from_pattern", T::String, false,
     "^From\\s+(\\S+)\\s+(?:[a-zA-Z]{3},?\\s+)?(?:[a-zA-Z]{3}\\s+\\d?\\d|\\d?\\d\\s+[a-zA-Z]{3}\\s+"
     "\\d\\d(?:\\d\\d)?)\\s+\\d\\d?:\\d\\d?"},
    {"uucp_from_sender", T::String, true, "$1"},
    {"warn_message_file", T::String, true, ""},
    {"write_rejectlog", T::Bool, false, "true"},
};

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string check_user(std::string_view name, bool group) {
  if (is_digits(name)) return {};
  std::string n(name);
  if (group ? getgrnam(n.c_str()) != nullptr : getpwnam(n.c_str()) != nullptr) return {};
  return std::string(group ? "group " : "user ") + n + " was not found";
}

std::string check_user_list(std::string_view value, bool group) {
  if (value.find('$') != std::string_view::npos) return {};  // known only when expanded
  lang::ListReader r(value);
  for (std::string item; r.next(item);) {
    if (std::string err = check_user(item, group); !err.empty()) return err;
  }
  return {};
}

// dns_servers: each item an IP address with an optional port (host.port or [host]:port).
std::string check_dns_servers(std::string_view value) {
  lang::ListReader r(value);
  for (std::string item; r.next(item);) {
    if (!util::dns::parse_server(item)) {
      return "\"" + item + "\" in dns_servers is not an IP address, address.port or " +
             "[address]:port";
    }
  }
  return {};
}

std::string host_name() {
  struct utsname u {};
  if (uname(&u) == 0) return u.nodename;
  return "localhost";
}

// The value in effect: the setting's, else the default (with the computed defaults of the
// qualify_* options and primary_hostname).
std::string effective_value(const Config& cfg, const MainOption& opt) {
  if (const Setting* s = cfg.find_main(opt.name)) return s->value;
  if (opt.name == "primary_hostname") return host_name();
  if (opt.name == "qualify_domain") return main_string(cfg, "primary_hostname");
  if (opt.name == "qualify_recipient") return main_string(cfg, "qualify_domain");
  return std::string(opt.dflt);
}

// Kilobyte counts: a bare number is K, K is K, M and G multiply by 1024 and 1024*1024.
int64_t size_in_k(std::string_view v, std::string_view name) {
  int64_t n = 0;
  std::string_view t = util::trim(v);
  bool k_suffix = !t.empty() && (t.back() == 'K' || t.back() == 'k');
  bool mg_suffix = !t.empty() && std::string_view("MmGg").find(t.back()) != std::string_view::npos;
  if (k_suffix) t.remove_suffix(1);
  if (!read_integer(t, name, n, INT64_MAX / 1024).empty()) return 0;
  return mg_suffix ? n / 1024 : n;
}

std::string join_list(std::string_view value) {
  std::string out;
  lang::ListReader r(value);
  for (std::string item; r.next(item);) out += (out.empty() ? "" : ":") + item;
  return out;
}

}  // namespace

std::span<const MainOption> main_options() {
  return kOptions;
}

const MainOption* find_main_option(std::string_view name) {
  auto it = std::lower_bound(std::begin(kOptions), std::end(kOptions), name,
                             [](const MainOption& o, std::string_view n) { return o.name < n; });
  if (it == std::end(kOptions) || it->name != name) return nullptr;
  return &*it;
}

std::string suggest_main_option(std::string_view name) {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& o : kOptions) v.push_back(o.name);
    return v;
  }();
  return nearest_name(name, names);
}

std::string check_main_value(const MainOption& opt, std::string_view value) {
  int64_t n = 0;
  std::vector<int64_t> times;
  switch (opt.type) {
    case T::Bool: {
      bool b = false;
      return read_bool(value, opt.name, b);
    }
    case T::Int:
    case T::Octal:
    case T::Size:
      return read_integer(value, opt.name, n);
    case T::SizeK:
      return read_integer(value, opt.name, n, INT64_MAX / 1024);
    case T::Fixed:
      return read_fixed(value, opt.name, n);
    case T::Time:
      return read_time(value, opt.name, n);
    case T::TimeList:
      return read_time_list(value, opt.name, times);
    case T::Uid:
      return opt.expanded ? std::string() : check_user(util::trim(value), false);
    case T::Gid:
      return opt.expanded ? std::string() : check_user(util::trim(value), true);
    case T::UidList:
      return check_user_list(value, false);
    case T::GidList:
      return check_user_list(value, true);
    case T::String:
      return {};
    case T::List:
      return opt.name == "dns_servers" ? check_dns_servers(value) : std::string();
  }
  return {};
}

std::string main_option_display(const Config& cfg, const MainOption& opt) {
  return option_value_display(opt, effective_value(cfg, opt));
}

std::string option_value_display(const MainOption& opt, const std::string& v) {
  int64_t n = 0;
  std::vector<int64_t> times;
  switch (opt.type) {
    case T::Bool: {
      bool b = false;
      return read_bool(v, opt.name, b).empty() && b ? "true" : "false";
    }
    case T::Int:
      return read_integer(v, opt.name, n).empty() ? std::to_string(n) : v;
    case T::Octal: {
      if (!read_integer(v, opt.name, n).empty()) return v;
      char buf[32];
      std::snprintf(buf, sizeof buf, "0%llo", static_cast<unsigned long long>(n));
      return buf;
    }
    case T::Size:
      return read_integer(v, opt.name, n).empty() ? format_size(n) : v;
    case T::SizeK:
      return format_size_k(size_in_k(v, opt.name));
    case T::Fixed:
      return v.empty() || !read_fixed(v, opt.name, n).empty() ? v : format_fixed(n);
    case T::Time:
      return read_time(v, opt.name, n).empty() ? format_time(n) : v;
    case T::TimeList: {
      if (!read_time_list(v, opt.name, times).empty()) return v;
      std::string out;
      for (int64_t t : times) out += (out.empty() ? "" : ":") + format_time(t);
      return out;
    }
    case T::UidList:
    case T::GidList:
      return join_list(v);
    default:
      return v;
  }
}

bool main_bool(const Config& cfg, std::string_view name) {
  const MainOption* opt = find_main_option(name);
  if (!opt) return false;
  bool b = false;
  return read_bool(effective_value(cfg, *opt), name, b).empty() && b;
}

int64_t main_int(const Config& cfg, std::string_view name) {
  const MainOption* opt = find_main_option(name);
  if (!opt) return 0;
  std::string v = effective_value(cfg, *opt);
  int64_t n = 0;
  if (opt->type == T::Fixed) return read_fixed(v, name, n).empty() ? n : 0;
  if (opt->type != T::SizeK) return read_integer(v, name, n).empty() ? n : 0;
  return size_in_k(v, name);
}

int64_t main_time(const Config& cfg, std::string_view name) {
  const MainOption* opt = find_main_option(name);
  int64_t n = 0;
  if (!opt) return 0;
  return read_time(effective_value(cfg, *opt), name, n).empty() ? n : 0;
}

std::string main_string(const Config& cfg, std::string_view name) {
  const MainOption* opt = find_main_option(name);
  return opt ? effective_value(cfg, *opt) : std::string();
}

}  // namespace engine::config
