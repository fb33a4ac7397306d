// engine/dns_settings.cpp — see dns_settings.h.
#include "engine/dns_settings.h"

#include <algorithm>

#include "engine/config/main_options.h"
#include "lang/lists.h"

namespace engine {

lang::DnsSettings dns_settings(const config::Config& cfg) {
  using config::main_int;
  using config::main_string;
  util::dns::Settings r;
  const std::string list = main_string(cfg, "dns_servers");
  lang::ListReader servers(list);
  for (std::string item; servers.next(item);) {
    if (auto s = util::dns::parse_server(item)) r.servers.push_back(*s);
  }
  r.retrans_ms =
      static_cast<int>(std::min<int64_t>(config::main_time(cfg, "dns_retrans"), 600) * 1000);
  r.tries = static_cast<int>(std::clamp<int64_t>(main_int(cfg, "dns_retry"), 0, 10));
  r.edns0 = static_cast<int>(main_int(cfg, "dns_use_edns0"));
  r.dnssec_ok = static_cast<int>(main_int(cfg, "dns_dnssec_ok"));
  r.cname_loops = static_cast<int>(std::clamp<int64_t>(main_int(cfg, "dns_cname_loops"), 0, 20));
  lang::DnsSettings s;
  s.resolver = util::dns::Resolver(std::move(r));
  s.again_means_nonexist = main_string(cfg, "dns_again_means_nonexist");
  s.check_names_pattern = main_string(cfg, "dns_check_names_pattern");
  s.ipv4_lookup = main_string(cfg, "dns_ipv4_lookup");
  s.hosts_treat_as_local = main_string(cfg, "hosts_treat_as_local");
  s.host_lookup_order = main_string(cfg, "host_lookup_order");
  s.disable_ipv6 = config::main_bool(cfg, "disable_ipv6");
  return s;
}

}  // namespace engine
