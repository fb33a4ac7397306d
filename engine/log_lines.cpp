#include "engine/log_lines.h"

#include <cmath>
#include <cstdio>

namespace engine {

namespace {

using LI = LogItem;

void add_tls(const ArrivalLog& a, const LogSelector& sel, std::string& out) {
  if (a.tls_cipher.empty()) return;
  if (sel.on(LI::TlsCipher)) {
    out += " X=" + a.tls_cipher;
    if (a.tls_resumed && sel.on(LI::TlsResumption)) out += '*';
  }
  if (sel.on(LI::TlsCertificateVerified) && !a.tls_cert_verified.empty())
    out += " CV=" + a.tls_cert_verified;
  if (sel.on(LI::TlsPeerdn) && !a.tls_peerdn.empty()) out += " DN=" + log_quote(a.tls_peerdn);
  if (sel.on(LI::TlsSni) && !a.tls_sni.empty()) out += " SNI=" + log_quote(a.tls_sni);
}

void add_auth(const ArrivalLog& a, const LogSelector& sel, std::string& out) {
  if (a.authenticator.empty()) return;
  out += " A=" + a.authenticator;
  if (!a.authenticated_id.empty()) out += ":" + a.authenticated_id;
  if (sel.on(LI::SmtpMailauth) && !a.authenticated_sender.empty())
    out += (a.authenticated_id.empty() ? "::" : ":") + a.authenticated_sender;
}

// Everything after the sender, up to T=: shared by the main log and the message log.
std::string fields(const ArrivalLog& a, const LogSelector& sel) {
  std::string out;
  if (!a.bounce_ref.empty()) out += " R=" + a.bounce_ref;
  if (!a.host_address.empty()) {
    out += " H=" + log_host_field(a.host_name, a.helo_name, a.host_address, a.host_port,
                                  sel.on(LI::IncomingPort));
    if (sel.on(LI::IncomingInterface) && !a.interface_address.empty())
      out += " I=[" + a.interface_address + "]:" + std::to_string(a.interface_port);
  }
  if (!a.ident.empty()) out += " U=" + a.ident;
  if (!a.protocol.empty()) out += " P=" + a.protocol;
  add_tls(a, sel, out);
  add_auth(a, sel, out);
  if (sel.on(LI::Proxy) && !a.proxy_address.empty())
    out += " PRX=[" + a.proxy_address + "]:" + std::to_string(a.proxy_port);
  if (a.chunking) out += " K";
  if (sel.on(LI::Pipelining) && !a.pipelining.empty()) out += " " + a.pipelining;
  out += " S=" + std::to_string(a.size);
  if (sel.on(LI::k8bitmime) && a.body_8bitmime >= 0)
    out += " M8S=" + std::to_string(a.body_8bitmime);
  if (sel.on(LI::ReceiveTime) && a.receive_time >= 0)
    out += " RT=" + log_duration(a.receive_time, sel.on(LI::Millisec));
  if (!a.message_id.empty()) {
    if (a.message_id_created ? sel.on(LI::MsgIdCreated) : sel.on(LI::MsgId))
      out += (a.message_id_created ? " id*=" : " id=") + a.message_id;
  }
  if (sel.on(LI::Subject) && !a.subject.empty()) out += " T=" + log_quote(a.subject);
  return out;
}

}  // namespace

std::string log_host_field(std::string_view name, std::string_view helo, std::string_view ip,
                           int port, bool with_port) {
  std::string out;
  if (!name.empty()) out += name;
  if (!helo.empty() && helo != name)
    out += std::string(out.empty() ? "" : " ") + "(" + std::string(helo) + ")";
  out += std::string(out.empty() ? "" : " ") + "[" + std::string(ip) + "]";
  if (with_port) out += ":" + std::to_string(port);
  return out;
}

std::string log_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c < 32 || c > 126) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else
      out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string log_duration(double seconds, bool millisec) {
  char buf[64];
  if (millisec && seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.3fs", std::floor(seconds * 1000) / 1000);
    return buf;
  }
  auto t = static_cast<long long>(seconds);
  if (t <= 0) return "0s";
  static const std::pair<long long, char> kUnits[] = {
      {7 * 86400, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  std::string out;
  for (auto [len, unit] : kUnits) {
    if (t < len) continue;
    out += std::to_string(t / len) + unit;
    t %= len;
  }
  return out;
}

std::string log_arrival_line(const ArrivalLog& a, const LogSelector& sel) {
  std::string out = a.id + " <= " + (a.sender.empty() ? "<>" : a.sender) + fields(a, sel);
  if (sel.on(LI::ReceivedSender)) out += " from <" + a.original_sender + ">";
  if (sel.on(LI::ReceivedRecipients) && !a.recipients.empty()) {
    out += " for";
    for (const auto& r : a.recipients) out += " " + r;
  }
  return out;
}

std::string log_msglog_received(const ArrivalLog& a, const LogSelector& sel) {
  return "Received from " + (a.sender.empty() ? std::string("<>") : a.sender) + fields(a, sel);
}

}  // namespace engine
