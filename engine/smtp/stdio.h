// engine/smtp/stdio.h — SMTP sessions on stdin/stdout: `-bs` (a local client or inetd) and
// `-bh IP` (host checking: a simulated session from IP, nothing delivered).
//
// For -bh the output is Exim's: a four-line "**** SMTP testing session" header, the replies
// (CRLF-terminated) and, after an accepted message, a note that its id is not real; log lines
// go to stderr as "LOG: ..." (spec chapter 5, -bh). Replies are flushed before every read,
// so that a client waiting for a reply (a CRAM-MD5 challenge) gets it.
//
// Returns the process exit status: 0, or 1 for a bad -bh address.
#pragma once

#include <string>

#include "engine/acl.h"
#include "engine/config/config.h"

namespace engine::smtp {

int run_stdio_session(const config::Config& cfg, const acl::AclSet& acls,
                      const std::string& host_ip, bool host_checking, bool callouts = true);

// The form Exim shows for a -bh address: IPv4 as given, IPv6 as eight groups of four hex
// digits. Empty when `ip` is not an IP address.
std::string host_check_address(std::string_view ip);

}  // namespace engine::smtp
