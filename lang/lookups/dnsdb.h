// lang/lookups/dnsdb.h — the query of the dnsdb lookup (spec 9.10 "More about dnsdb", 9.11
// "Dnsdb lookup modifiers", 9.12 pseudo types, 9.13 multiple lookups):
//
//   [>S[,F|;]] [modifier,]... [type=]domain-list
//
// ">S" sets the separator between records (newline by default; a space is allowed and white
// space after it is skipped); ",F" after it the separator between the fields of one record,
// ";" no field separator. Modifiers: defer_strict, defer_lax (default), defer_never;
// dnssec_strict, dnssec_lax (default), dnssec_never; retrans_TIME; retry_N — each followed by
// a comma. Types: a, a+ (AAAA then A), aaaa, cname, mx, mxh (host names only), ns, ptr (an IP
// address is reversed), soa, spf, srv, tlsa, txt (the default), zns (NS records of the
// nearest enclosing zone). The domains are an Exim list (':' unless "<c" changes it), except
// that for ptr a single IPv6 address is not split at its colons.
//
// Failure: Exim's texts — "unsupported dnsdb defer behaviour", "unsupported dnsdb dnssec
// behaviour", "unsupported dnsdb timeout value", "unsupported dnsdb retry count", "dnsdb
// modifier syntax error", "unsupported DNS record type".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lang/status.h"

namespace lang {

enum class DnsdbType : unsigned char {
  A,
  AAAA,
  Addresses,
  CNAME,
  MX,
  MXH,
  NS,
  PTR,
  SOA,
  SPF,
  SRV,
  TLSA,
  TXT,
  ZNS
};
enum class DnsdbMode : unsigned char { Strict, Lax, Never };

struct DnsdbQuery {
  std::string outsep = "\n";  // between records: one character (empty after a bare '>')
  bool fieldsep_given = false;
  std::string fieldsep;  // between fields of a record: one character, or "" for ';'
  DnsdbMode defer = DnsdbMode::Lax;
  DnsdbMode dnssec = DnsdbMode::Lax;
  int retrans_ms = 0;  // 0: dns_retrans
  int retry = 0;       // 0: dns_retry
  DnsdbType type = DnsdbType::TXT;
  std::vector<std::string> domains;
};

Status dnsdb_parse(std::string_view query, DnsdbQuery& out);

}  // namespace lang
