// engine/dns_settings.h — the DNS settings of a configuration, for lang::EvalContext::dns:
// the resolver (facteur's dns_servers, dns_retrans, dns_retry, dns_use_edns0, dns_dnssec_ok,
// dns_cname_loops) and the options lang/dns.h applies around it (dns_again_means_nonexist,
// dns_check_names_pattern, dns_ipv4_lookup, disable_ipv6, hosts_treat_as_local,
// host_lookup_order). Spec chapter 14.
//
// Building the settings reads options only: no DNS query, no socket (channels are made by the
// resolver on first use). dns_servers was checked when the configuration was read; an item
// that does not parse here is skipped.
#pragma once

#include "engine/config/config.h"
#include "lang/dns.h"

namespace engine {

lang::DnsSettings dns_settings(const config::Config& cfg);

}  // namespace engine
