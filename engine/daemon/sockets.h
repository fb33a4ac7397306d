// engine/daemon/sockets.h — the daemon's listening sockets and the text of a peer's address.
//
// open_listener() binds one address (IPv6 sockets are IPv6-only, so that "::" and "0.0.0.0"
// can both be bound, as Exim does); it fails with the system's reason. The daemon calls
// listen() only once the spool is recovered, so no client is accepted before that.
// peer_text() gives an accepted peer's address as Exim writes it: IPv4 dotted, IPv4-mapped
// IPv6 as IPv4, other IPv6 in inet_ntop() form.
#pragma once

#include <sys/socket.h>

#include <string>

#include "engine/daemon/listen_spec.h"

namespace engine::daemon {

// The bound socket (non-blocking, close-on-exec), or -1 with the reason in `err`.
int open_listener(const ListenAddress& la, std::string& err);

std::string peer_text(const sockaddr_storage& ss, int& port);

}  // namespace engine::daemon
