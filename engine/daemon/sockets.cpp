#include "engine/daemon/sockets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>

#include "util/strings.h"

namespace engine::daemon {

int open_listener(const ListenAddress& la, std::string& err) {
  bool v6 = la.address.find(':') != std::string::npos;
  int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    err = util::errno_text(errno);
    return -1;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage ss{};
  socklen_t len;
  if (v6) {
    auto* s6 = reinterpret_cast<sockaddr_in6*>(&ss);
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons(static_cast<uint16_t>(la.port));
    inet_pton(AF_INET6, la.address.c_str(), &s6->sin6_addr);
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    len = sizeof *s6;
  } else {
    auto* s4 = reinterpret_cast<sockaddr_in*>(&ss);
    s4->sin_family = AF_INET;
    s4->sin_port = htons(static_cast<uint16_t>(la.port));
    inet_pton(AF_INET, la.address.c_str(), &s4->sin_addr);
    len = sizeof *s4;
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0) {
    err = util::errno_text(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string peer_text(const sockaddr_storage& ss, int& port) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (ss.ss_family == AF_INET6) {
    auto* s6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    port = ntohs(s6->sin6_port);
    if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
      inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], buf, sizeof buf);
    } else {
      inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof buf);
    }
  } else {
    auto* s4 = reinterpret_cast<const sockaddr_in*>(&ss);
    port = ntohs(s4->sin_port);
    inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof buf);
  }
  return buf;
}

}  // namespace engine::daemon
