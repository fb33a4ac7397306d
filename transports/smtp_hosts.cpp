// transports/smtp_hosts.cpp — host lists of the smtp transport.
#include "transports/smtp_hosts.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <random>

#include "lang/lists.h"
#include "util/ip.h"
#include "util/strings.h"

namespace transports {
namespace {

bool parse_port(std::string_view s, int& port) {
  if (s.empty() || s.size() > 5) return false;
  port = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    port = port * 10 + (c - '0');
  }
  return port > 0 && port < 65536;
}

util::Result<Host> parse_item(std::string_view item) {
  Host h;
  if (item.front() == '[') {
    size_t close = item.find(']');
    if (close == std::string_view::npos)
      return util::Error{"missing ] in host item " + std::string(item), {}};
    h.name = std::string(item.substr(1, close - 1));
    h.address = h.name;
    std::string_view rest = item.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !parse_port(rest.substr(1), h.port)))
      return util::Error{"invalid port in host item " + std::string(item), {}};
    if (!util::IpAddress::parse(h.address))
      return util::Error{"invalid IP address in " + std::string(item), {}};
    return h;
  }
  if (util::IpAddress::parse(item)) {
    h.name = h.address = std::string(item);
    return h;
  }
  size_t colon = item.rfind(':');
  if (colon != std::string_view::npos) {
    if (!parse_port(item.substr(colon + 1), h.port))
      return util::Error{"invalid port in host item " + std::string(item), {}};
    item = item.substr(0, colon);
  }
  h.name = std::string(item);
  if (util::IpAddress::parse(item)) h.address = h.name;
  return h;
}

}  // namespace

util::Result<std::vector<Host>> parse_host_list(std::string_view list, bool randomize) {
  std::vector<Host> out;
  std::vector<Host> group;
  static thread_local std::mt19937 rng{std::random_device{}()};
  auto flush = [&] {
    if (randomize) std::shuffle(group.begin(), group.end(), rng);
    out.insert(out.end(), group.begin(), group.end());
    group.clear();
  };
  lang::ListReader r(list);
  std::string item;
  while (r.next(item)) {
    if (item.empty()) continue;
    if (item == "+") {
      flush();
      continue;
    }
    auto h = parse_item(item);
    if (!h) return h.error();
    group.push_back(std::move(*h));
  }
  flush();
  return out;
}

util::Result<std::vector<std::string>> resolve_system(const std::string& name) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(name.c_str(), nullptr, &hints, &res);
  if (rc == EAI_NONAME || rc == EAI_NODATA) return std::vector<std::string>{};
  if (rc != 0) return util::Error{"host lookup for " + name + " failed: " + gai_strerror(rc), {}};
  std::vector<std::string> out;
  for (addrinfo* a = res; a; a = a->ai_next) {
    char buf[NI_MAXHOST];
    if (getnameinfo(a->ai_addr, a->ai_addrlen, buf, sizeof buf, nullptr, 0, NI_NUMERICHOST) != 0)
      continue;
    if (std::find(out.begin(), out.end(), buf) == out.end()) out.push_back(buf);
  }
  freeaddrinfo(res);
  return out;
}

ResolvedHosts resolve_hosts(const std::vector<Host>& hosts, const ResolveFn& resolve) {
  ResolvedHosts out;
  for (const Host& h : hosts) {
    if (!h.address.empty()) {
      out.hosts.push_back(h);
      continue;
    }
    auto ips = resolve ? resolve(h.name) : resolve_system(h.name);
    if (!ips) {
      out.temporary_failure = true;
      continue;
    }
    if (ips->empty()) out.unknown.push_back(h.name);
    for (const std::string& ip : *ips) {
      Host r = h;
      r.address = ip;
      out.hosts.push_back(std::move(r));
    }
  }
  return out;
}

bool is_local_address(const std::string& ip) {
  auto a = util::IpAddress::parse(ip);
  if (!a) return false;
  util::IpAddress u = a->unmapped();
  if (u.is_v4() && u.bytes()[0] == 127) return true;
  if (!u.is_v4() && u == *util::IpAddress::parse("::1")) return true;
  for (const util::IpAddress& l : util::local_interface_addresses())
    if (l.unmapped() == u) return true;
  return false;
}

}  // namespace transports
