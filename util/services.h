// util/services.h — TCP port numbers from what a configuration writes: "25", "smtp",
// "submission". Shared by the daemon's daemon_smtp_ports / -oX, the smtp and lmtp transports'
// `port`, and callouts.
//
// tcp_port() takes a decimal number (1..65535) or a service name. The mail services (smtp,
// lmtp, smtps, submission, submissions) are answered from a built-in table, so a transport
// delivering many messages does not read /etc/services for each one; other names go to
// getservbyname_r. Returns -1 for anything else (empty text, 0, out of range, unknown name).
#pragma once

#include <string_view>

namespace util {

int tcp_port(std::string_view text);

}  // namespace util
