// util/services.cpp — TCP port numbers from numbers and service names (see services.h).
#include "util/services.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <cctype>
#include <string>
#include <utility>

namespace util {

int tcp_port(std::string_view text) {
  if (text.empty()) return -1;
  if (std::isdigit(static_cast<unsigned char>(text[0]))) {
    if (text.size() > 5) return -1;
    int port = 0;
    for (char c : text) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
      port = port * 10 + (c - '0');
    }
    return port > 0 && port < 65536 ? port : -1;
  }
  static constexpr std::pair<std::string_view, int> kMail[] = {
      {"smtp", 25}, {"lmtp", 24}, {"smtps", 465}, {"submission", 587}, {"submissions", 465}};
  for (auto [name, port] : kMail)
    if (text == name) return port;
  servent se{}, *found = nullptr;
  char buf[1024];
  std::string name(text);
  if (getservbyname_r(name.c_str(), "tcp", &se, buf, sizeof buf, &found) == 0 && found)
    return ntohs(static_cast<uint16_t>(found->s_port));
  return -1;
}

}  // namespace util
