// lang/variables.cpp — the variable catalogue (spec chapter 11, section "Expansion variables").
#include "lang/variables.h"

#include <algorithm>
#include <iterator>
#include <cctype>

#include "lang/ast.h"
#include "lang/context.h"
#include "lang/nodes.h"

namespace lang {
namespace {

// External variable names, sorted (checked by a unit test). Values come from ctx.vars.
constexpr std::string_view kExternal[] = {
    "acl_verify_message", "address_data", "address_file", "address_pipe", "auth1", "auth2",
    "auth3", "auth4", "authenticated_fail_id", "authenticated_id", "authenticated_sender",
    "authentication_failed", "av_failed", "body_linecount", "body_zerocount",
    "bounce_recipient", "bounce_return_size_limit", "caller_gid", "caller_uid",
    "callout_address", "compile_date", "compile_number", "config_dir", "config_file",
    "csa_status", "dkim_algo", "dkim_bodylength", "dkim_canon_body", "dkim_canon_headers",
    "dkim_copiedheaders", "dkim_created", "dkim_cur_signer", "dkim_domain", "dkim_expires",
    "dkim_headernames", "dkim_identity", "dkim_key_granularity", "dkim_key_length",
    "dkim_key_nosubdomains", "dkim_key_notes", "dkim_key_srvtype", "dkim_key_testing",
    "dkim_selector", "dkim_signers", "dkim_verify_reason", "dkim_verify_status",
    "dmarc_domain_policy", "dmarc_status", "dmarc_status_text", "dmarc_used_domains",
    "dnslist_domain", "dnslist_matched", "dnslist_text", "dnslist_value", "domain",
    "domain_data", "event_data", "event_defer_errno", "event_name", "exim_gid", "exim_path",
    "exim_uid", "exim_version", "headers_added", "home", "host", "host_address", "host_data",
    "host_lookup_deferred", "host_lookup_failed", "host_port", "initial_cwd", "inode",
    "interface_address", "interface_port", "ldap_dn", "load_average", "local_part",
    "local_part_data", "local_part_prefix", "local_part_prefix_v", "local_part_suffix",
    "local_part_suffix_v", "local_scan_data", "local_user_gid", "local_user_uid",
    "localhost_number", "log_inodes", "log_space", "lookup_dnssec_authenticated",
    "mailstore_basename", "malware_name", "max_received_linelength", "message_age",
    "message_body", "message_body_end", "message_body_size", "message_exim_id",
    "message_headers", "message_headers_raw", "message_id", "message_linecount",
    "message_size", "mime_anomaly_level", "mime_anomaly_text", "mime_boundary", "mime_charset",
    "mime_content_description", "mime_content_disposition", "mime_content_id",
    "mime_content_size", "mime_content_transfer_encoding", "mime_content_type",
    "mime_decoded_filename", "mime_filename", "mime_is_coverletter", "mime_is_multipart",
    "mime_is_rfc822", "mime_part_count", "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8",
    "n9", "original_domain", "original_local_part", "originator_gid", "originator_uid",
    "parent_domain", "parent_local_part", "pid", "pipe_addresses", "prdr_requested",
    "primary_hostname", "proxy_external_address", "proxy_external_port",
    "proxy_local_address", "proxy_local_port", "proxy_session", "prvscheck_address",
    "prvscheck_keynum", "prvscheck_result", "qualify_domain", "qualify_recipient",
    "queue_name", "queue_size", "rcpt_count", "rcpt_defer_count", "rcpt_fail_count",
    "received_count", "received_for", "received_ip_address", "received_port",
    "received_protocol", "received_time", "recipient_data", "recipient_verify_failure",
    "recipients", "recipients_count", "regex1", "regex2", "regex3", "regex4", "regex5",
    "regex6", "regex7", "regex8", "regex9", "regex_match_string", "reply_address", "return_path",
    "return_size_limit", "router_name", "self_hostname", "sender_address",
    "sender_address_data", "sender_address_domain", "sender_address_local_part",
    "sender_data", "sender_fullhost", "sender_helo_dnssec", "sender_helo_name",
    "sender_host_address", "sender_host_authenticated", "sender_host_dnssec",
    "sender_host_name", "sender_host_port", "sender_ident", "sender_rate",
    "sender_rate_limit", "sender_rate_period", "sender_rcvhost", "sender_verify_failure",
    "sending_ip_address", "sending_port", "smtp_active_hostname", "smtp_command",
    "smtp_command_argument", "smtp_command_history", "smtp_count_at_connection_start",
    "smtp_notquit_reason", "sn0", "sn1", "sn2", "sn3", "sn4", "sn5", "sn6", "sn7", "sn8", "sn9",
    "spam_action", "spam_bar", "spam_report", "spam_score", "spam_score_int",
    "spf_header_comment", "spf_received", "spf_result", "spf_result_guessed",
    "spf_smtp_comment", "spool_directory", "spool_inodes", "spool_space", "srs_recipient",
    "thisaddress", "tls_bits", "tls_certificate_verified", "tls_cipher", "tls_in_bits",
    "tls_in_certificate_verified", "tls_in_cipher", "tls_in_cipher_std", "tls_in_ocsp",
    "tls_in_ourcert", "tls_in_peercert", "tls_in_peerdn", "tls_in_resumption", "tls_in_sni",
    "tls_in_ver", "tls_out_bits", "tls_out_certificate_verified", "tls_out_cipher",
    "tls_out_cipher_std", "tls_out_dane", "tls_out_ocsp", "tls_out_ourcert",
    "tls_out_peercert", "tls_out_peerdn", "tls_out_resumption", "tls_out_sni",
    "tls_out_tlsa_usage", "tls_out_ver", "tls_peerdn", "tls_sni", "tod_bsdinbox", "tod_epoch",
    "tod_epoch_l", "tod_full", "tod_log", "tod_logfile", "tod_zone", "tod_zulu",
    "transport_name", "verify_mode", "version_number", "warn_message_delay",
    "warn_message_recipients",
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

}  // namespace

bool variable_known(std::string_view name) {
  return std::binary_search(std::begin(kExternal), std::end(kExternal), name);
}

std::vector<std::string_view> variable_names() {
  return {std::begin(kExternal), std::end(kExternal)};
}

bool variable_header_prefix(std::string_view p, std::string& hkind) {
  if (p == "h" || p == "header") hkind = "h";
  else if (p == "rh" || p == "rheader") hkind = "rh";
  else if (p == "bh" || p == "bheader") hkind = "bh";
  else if (p == "lh" || p == "lheader") hkind = "lh";
  else return false;
  return true;
}

Status variable_resolve(std::string_view name, VarRef& out) {
  out = VarRef{};
  out.name = std::string(name);
  if (name == "value") { out.kind = VarKind::Value; return Status::ok(); }
  if (name == "item") { out.kind = VarKind::Item; return Status::ok(); }
  if (name == "runrc") { out.kind = VarKind::RunRc; return Status::ok(); }
  if (name == "acl_narg") { out.kind = VarKind::AclNarg; return Status::ok(); }
  if (name.substr(0, 7) == "acl_arg" && name.size() == 8 && name[7] >= '1' && name[7] <= '9') {
    out.kind = VarKind::AclArg;
    out.index = name[7] - '0';
    return Status::ok();
  }
  if (name.size() > 5 && (name.substr(0, 5) == "acl_c" || name.substr(0, 5) == "acl_m")) {
    char sixth = name[5];
    if (!std::isdigit(static_cast<unsigned char>(sixth)) && sixth != '_') {
      return Status::error("unknown variable name \"" + std::string(name) +
                           "\" (6th character of a user-defined ACL variable must be a digit or "
                           "underscore)");
    }
    out.kind = VarKind::AclVar;
    return Status::ok();
  }
  if (all_digits(name)) {
    out.kind = VarKind::Capture;
    out.index = std::stoi(std::string(name.substr(0, 6)));
    return Status::ok();
  }
  // $r_name: variables set by a router's `set` option (spec 15, "set").
  if (variable_known(name) || name.substr(0, 2) == "r_") {
    out.kind = VarKind::External;
    return Status::ok();
  }
  return Status::error("unknown variable name \"" + std::string(name) + "\"");
}

bool variable_get(EvalContext& ctx, const VarRef& r, std::string& out) {
  switch (r.kind) {
    case VarKind::Value:
      out = ctx.value;
      return ctx.value_set;
    case VarKind::Item:
      out = ctx.item;
      return true;
    case VarKind::Capture:
      if (r.index < 0 || static_cast<size_t>(r.index) >= ctx.captures.size()) return false;
      out = ctx.captures[static_cast<size_t>(r.index)];
      return true;
    case VarKind::RunRc:
      out = std::to_string(ctx.runrc);
      return true;
    case VarKind::AclNarg:
      out = std::to_string(ctx.acl_args.size());
      return true;
    case VarKind::AclArg:
      if (static_cast<size_t>(r.index) > ctx.acl_args.size()) return false;
      out = ctx.acl_args[static_cast<size_t>(r.index - 1)];
      return true;
    case VarKind::AclVar: {
      auto it = ctx.acl_vars.find(r.name);
      if (it == ctx.acl_vars.end()) return false;
      out = it->second;
      return true;
    }
    case VarKind::Header:
      return ctx.vars && ctx.vars->header(r.hkind, r.name, out);
    case VarKind::External: {
      auto it = ctx.item_vars.find(r.name);
      if (it != ctx.item_vars.end()) {
        out = it->second;
        return true;
      }
      return ctx.vars && ctx.vars->get(r.name, out);
    }
  }
  return false;
}

bool variable_is_client_data(const VarRef& r) {
  static constexpr std::string_view kNames[] = {
      "auth1",
      "auth2",
      "auth3",
      "authenticated_id",
      "authenticated_sender",
      "domain",
      "local_part",
      "local_part_prefix",
      "local_part_suffix",
      "message_body",
      "message_body_end",
      "original_domain",
      "original_local_part",
      "parent_domain",
      "parent_local_part",
      "recipients",
      "sender_address",
      "sender_address_domain",
      "sender_address_local_part",
      "sender_helo_name",
      "sender_ident",
      "smtp_command",
      "smtp_command_argument",
  };
  if (r.kind == VarKind::Header) return true;
  if (r.kind != VarKind::External) return false;
  return std::find(std::begin(kNames), std::end(kNames), r.name) != std::end(kNames);
}

const VarRef* direct_client_data(const Template& t, size_t* pos) {
  for (const NodePtr& node : t.nodes) {
    const auto* v = dynamic_cast<const VariableNode*>(node.get());
    if (v == nullptr || !variable_is_client_data(v->ref)) continue;
    if (pos) *pos = node->pos;
    return &v->ref;
  }
  return nullptr;
}

bool direct_client_data_set(EvalContext& ctx, const Template& t) {
  for (const NodePtr& node : t.nodes) {
    const auto* v = dynamic_cast<const VariableNode*>(node.get());
    if (v == nullptr || !variable_is_client_data(v->ref)) continue;
    std::string value;
    if (variable_get(ctx, v->ref, value) && !value.empty()) return true;
  }
  return false;
}

std::string variable_spelling(const VarRef& r) {
  return r.kind == VarKind::Header ? "$" + r.hkind + "_" + r.name + ":" : "$" + r.name;
}

}  // namespace lang
