// engine/spool_vars.cpp — a spooled message's expansion variables (see spool_vars.h).
#include "engine/spool_vars.h"

#include <fcntl.h>
#include <unistd.h>

#include "util/strings.h"

namespace engine {
namespace {

constexpr size_t kBodyVisible = 500;  // message_body_visible's default

std::string_view header_name(std::string_view h) {
  size_t colon = h.find(':');
  return colon == std::string_view::npos ? std::string_view() : util::trim(h.substr(0, colon));
}

}  // namespace

SpoolVariables::SpoolVariables(const lang::VariableSource* base, const SpoolMessage* msg,
                               std::string data_path, int64_t body_size, int64_t now)
    : base_(base), msg_(msg), data_path_(std::move(data_path)), body_size_(body_size), now_(now) {}

const std::string& SpoolVariables::body() const {
  if (body_read_) return body_;
  body_read_ = true;
  int fd = open(data_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return body_;
  std::string buf(kBodyVisible + msg_->id.size() + 3, '\0');
  ssize_t n = read(fd, buf.data(), buf.size());
  close(fd);
  if (n <= 0) return body_;
  buf.resize(static_cast<size_t>(n));
  size_t nl = buf.find('\n');
  body_ = nl == std::string::npos ? std::string() : buf.substr(nl + 1, kBodyVisible);
  for (char& c : body_)
    if (c == '\n') c = ' ';
  return body_;
}

bool SpoolVariables::envelope(std::string_view n, std::string& out) const {
  const SpoolMessage& m = *msg_;
  if (n == "message_id" || n == "message_exim_id") {
    out = m.id;
  } else if (n == "sender_address") {
    out = m.sender;
  } else if (n == "sender_address_local_part" || n == "sender_address_domain") {
    size_t at = m.sender.rfind('@');
    if (at == std::string::npos) return false;
    out = n == "sender_address_domain" ? m.sender.substr(at + 1) : m.sender.substr(0, at);
  } else if (n == "received_protocol" || n == "body_linecount" || n == "body_zerocount" ||
             n == "sender_helo_name" || n == "sender_host_name" || n == "interface_address" ||
             n == "max_received_linelength") {
    if (!m.var(n == "sender_helo_name" ? "helo_name" : n == "sender_host_name" ? "host_name" : n))
      return false;
    out = m.value(n == "sender_helo_name"   ? "helo_name"
                  : n == "sender_host_name" ? "host_name"
                                            : n);
  } else if (n == "sender_host_address" || n == "sender_host_port") {
    std::string ip;
    int port = 0;
    if (!spool_parse_host_address(m.value("host_address"), ip, port)) return false;
    out = n == "sender_host_address" ? ip : std::to_string(port);
  } else if (n == "sender_ident") {
    out = m.value("ident");
  } else if (n == "tls_in_cipher" || n == "tls_cipher") {
    if (!m.var("tls_cipher")) return false;
    out = m.value("tls_cipher");
  } else if (n == "tls_in_peerdn" || n == "tls_peerdn") {
    if (!m.var("tls_peerdn")) return false;
    out = m.value("tls_peerdn");
  } else if (n == "tls_in_certificate_verified" || n == "tls_certificate_verified") {
    out = m.flag("tls_certificate_verified") ? "1" : "0";
  } else if (n == "authenticated_id") {
    if (!m.var("auth_id")) return false;
    out = m.value("auth_id");
  } else if (n == "authenticated_sender") {
    if (!m.var("auth_sender")) return false;
    out = m.value("auth_sender");
  } else if (n == "message_size") {
    out = std::to_string(m.header_size() + 1 + body_size_);
  } else if (n == "message_body_size") {
    out = std::to_string(body_size_);
  } else if (n == "message_age") {
    out = std::to_string(now_ - m.received_time);
  } else if (n == "received_time") {
    out = std::to_string(m.received_time);
  } else if (n == "recipients_count") {
    out = std::to_string(m.recipients.size());
  } else if (n == "message_body" || n == "message_body_end") {
    out = body();
  } else if (n == "message_headers" || n == "message_headers_raw") {
    out.clear();
    for (const auto& h : m.headers)
      if (h.type != '*') out += h.text;
    if (!out.empty()) out.pop_back();
  } else {
    return false;
  }
  return true;
}

bool SpoolVariables::get(std::string_view name, std::string& out) const {
  if (envelope(name, out)) return true;
  if (name.starts_with("acl_m") || name.starts_with("acl_c")) {
    for (const auto& v : msg_->acl_vars) {
      if (v.kind == name[4] && v.name == name.substr(5)) {
        out = v.value;
        return true;
      }
    }
  }
  return base_ && base_->get(name, out);
}

bool SpoolVariables::header(std::string_view kind, std::string_view name, std::string& out) const {
  bool found = false;
  out.clear();
  for (const auto& h : msg_->headers) {
    if (h.type == '*' || !util::iequals(header_name(h.text), name)) continue;
    std::string_view v = std::string_view(h.text).substr(h.text.find(':') + 1);
    if (!v.empty() && v.back() == '\n') v.remove_suffix(1);
    if (found) out += kind == "lh" ? ":" : "\n";
    out += kind == "rh" ? std::string(v) : std::string(util::trim(v));
    found = true;
  }
  return found;
}

}  // namespace engine
