// engine/log_lines.h — the text of Exim's log lines (spec chapter 53, sections "Logging
// message reception" and "Summary of Fields in Log Lines"), without the time stamp that
// Logger adds.
//
// The arrival line is "ID <= SENDER" followed by, in Exim's order and as the log_selector asks:
//   R=ref  H=name (helo) [ip][:port]  I=[ip]:port  U=ident  P=protocol  X=cipher[*]  CV=yes
//   DN="dn"  SNI=name  A=authenticator[:id[:sender]]  PRX=[ip]:port  K  L  S=size  M8S=n
//   RT=time  id=message-id  T="subject"  from <original sender>  for rcpt ...
// exigrep and eximstats key on "ID <=", "H=", "S=" and the rest, so the order is kept exactly.
// Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/log_selector.h"

namespace engine {

struct ArrivalLog {
  std::string id;
  std::string sender;      // "" for a bounce
  std::string bounce_ref;  // R=: the message a local bounce is about
  // Remote host; host_address "" for a locally submitted message.
  std::string host_name;  // verified name, "" when not looked up
  std::string helo_name;
  std::string host_address;
  int host_port = 0;
  std::string interface_address;
  int interface_port = 0;
  std::string ident;     // U=: RFC 1413 identity, or the login of a local caller
  std::string protocol;  // P=: smtp, esmtp, esmtpsa, local ...
  std::string tls_cipher;
  bool tls_resumed = false;
  std::string tls_cert_verified;  // "yes", "no", "dane"; "" when no TLS
  std::string tls_peerdn;
  std::string tls_sni;
  std::string authenticator;  // A=
  std::string authenticated_id;
  std::string authenticated_sender;
  std::string proxy_address;
  int proxy_port = 0;
  bool chunking = false;     // K
  std::string pipelining;    // "", "L", "L-" (offered, unused), "L." / "L*" (PIPE_CONNECT)
  int64_t size = 0;          // S=
  int body_8bitmime = -1;    // M8S=: 0 (not given), 7, 8; -1 unknown
  double receive_time = -1;  // RT= in seconds; < 0 unknown
  std::string message_id;    // id= (the Message-ID: header without <>)
  bool message_id_created = false;
  std::string subject;                  // T=, already MIME-decoded
  std::string original_sender;          // "from <...>"
  std::vector<std::string> recipients;  // "for ..."
};

// "name (helo) [ip]" as $sender_fullhost: the verified name, the HELO name in parentheses
// when it differs (or when there is no verified name), the address in brackets, ":port" when
// `with_port`.
std::string log_host_field(std::string_view name, std::string_view helo, std::string_view ip,
                           int port, bool with_port);

// A value in double quotes with '"' and '\' escaped and non-printing bytes as \n, \t, \ooo.
std::string log_quote(std::string_view s);

// A duration as Exim logs it: "0s", "4s", "1m5s", "2h3m"; "0.204s" under millisec for times
// below a minute.
std::string log_duration(double seconds, bool millisec);

// "ID <= sender ..." for the main log.
std::string log_arrival_line(const ArrivalLog& a, const LogSelector& sel);
// "Received from sender ..." for the message's own log (no "from" / "for" parts).
std::string log_msglog_received(const ArrivalLog& a, const LogSelector& sel);

}  // namespace engine
