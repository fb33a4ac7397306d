// engine/smtp/client_name.cpp — see client_name.h.
#include "engine/smtp/client_name.h"

#include "util/ip.h"
#include "util/strings.h"

namespace engine::smtp {
namespace {

// True when `helo` is "[address]" (or "[IPv6:address]", "[IPv4:address]") for `address`.
bool helo_is_address(const std::string& helo, const std::string& address) {
  if (helo.size() < 3 || helo.front() != '[' || helo.back() != ']') return false;
  std::string_view ip = std::string_view(helo).substr(1, helo.size() - 2);
  if (util::starts_with_ci(ip, "IPv6:") || util::starts_with_ci(ip, "IPv4:")) ip.remove_prefix(5);
  auto a = util::IpAddress::parse(ip), b = util::IpAddress::parse(address);
  return a && b && *a == *b;
}

}  // namespace

HostIds host_ids(const std::string& address, const std::string& helo, const std::string& name) {
  HostIds ids;
  const std::string addr = "[" + address + "]";
  bool show_helo = !helo.empty() && !helo_is_address(helo, address);
  if (name.empty()) {
    ids.fullhost = helo.empty() ? addr : "(" + helo + ") " + addr;
    ids.rcvhost = show_helo ? addr + " (helo=" + helo + ")" : addr;
    return ids;
  }
  if (show_helo && util::iequals(name, helo)) show_helo = false;
  ids.fullhost = show_helo ? name + " (" + helo + ") " + addr : name + " " + addr;
  ids.rcvhost = show_helo ? name + " (" + addr + " helo=" + helo + ")" : name + " (" + addr + ")";
  return ids;
}

lang::HostFind ClientName::lookup() {
  if (address_.empty()) return lang::HostFind::NotFound;
  if (state_ != lang::HostFind::Defer) return state_;
  auto ip = util::IpAddress::parse(address_);
  lang::HostName h = ip ? lang::dns_host_name(ctx_, *ip) : lang::HostName{};
  tried_ = true;
  state_ = h.outcome;
  message_ = std::move(h.message);
  if (state_ == lang::HostFind::Found) {
    name_ = std::move(h.name);
    aliases_ = std::move(h.aliases);
    vars_.set("sender_host_name", name_);
    update_vars();
  }
  vars_.set("host_lookup_failed", state_ == lang::HostFind::NotFound ? "1" : "0");
  if (state_ == lang::HostFind::NotFound && on_not_found_) on_not_found_(address_);
  vars_.set("host_lookup_deferred", state_ == lang::HostFind::Defer ? "1" : "0");
  return state_;
}

lang::HostFind ClientName::host_names(std::string& name, std::vector<std::string>& aliases) {
  lang::HostFind f = lookup();
  if (f == lang::HostFind::Found) {
    name = name_;
    aliases = aliases_;
  }
  return f;
}

void ClientName::update_vars() {
  if (address_.empty()) return;
  std::string helo;
  bool given = vars_.get("sender_helo_name", helo);
  HostIds ids = host_ids(address_, helo, name_);
  // An empty HELO (from a helo_accept_junk_hosts host) shows as "()", as Exim logs it.
  if (given && helo.empty() && name_.empty()) ids.fullhost = "() [" + address_ + "]";
  vars_.set("sender_fullhost", ids.fullhost);
  vars_.set("sender_rcvhost", ids.rcvhost);
}

}  // namespace engine::smtp
