// lang/lookups/dnsdb.cpp — the dnsdb lookup (spec 9.10-9.13): DNS records as a query-style
// lookup, through the configuration's resolver (lang/dns.h). Query syntax in dnsdb.h.
//
// Output: the records of every domain, in the order the server gave them, joined by the
// record separator. A/AAAA: the address. MX: "pref host" (mxh: host). SRV: "priority weight
// port host". TLSA: "usage selector type hexdata". TXT: the first string of the record, or
// all of them joined by the field separator when one is given (spf: concatenated). SOA: the
// primary server, or with a field separator all seven fields. CNAME, NS, PTR, zns: the name.
// Fields are separated by a space unless ",F" or ";" says otherwise.
//
// Outcome: Found when any domain gave records. Otherwise NotFound, or Defer when a lookup
// failed temporarily under defer_lax (the default); defer_strict defers at the first
// temporary failure, defer_never ignores them. dnssec_strict treats an answer without the AD
// bit as a temporary failure. $lookup_dnssec_authenticated is "yes" or "no" after a lookup
// unless dnssec_never. The result is cached for the smallest TTL of the records.
#include "lang/lookups/dnsdb.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "lang/context.h"
#include "lang/dns.h"
#include "lang/lists.h"
#include "lang/lookup.h"
#include "util/strings.h"

namespace lang {
namespace {

namespace dns = util::dns;

struct TypeName {
  std::string_view name;
  DnsdbType type;
};
constexpr TypeName kTypes[] = {
    {"a", DnsdbType::A},         {"a+", DnsdbType::Addresses}, {"aaaa", DnsdbType::AAAA},
    {"cname", DnsdbType::CNAME}, {"mx", DnsdbType::MX},        {"mxh", DnsdbType::MXH},
    {"ns", DnsdbType::NS},       {"ptr", DnsdbType::PTR},      {"soa", DnsdbType::SOA},
    {"spf", DnsdbType::SPF},     {"srv", DnsdbType::SRV},      {"tlsa", DnsdbType::TLSA},
    {"txt", DnsdbType::TXT},     {"zns", DnsdbType::ZNS},
};

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}
void skip_space(std::string_view& s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
}
bool take_prefix_ci(std::string_view& s, std::string_view p) {
  if (s.size() < p.size() || !util::iequals(s.substr(0, p.size()), p)) return false;
  s.remove_prefix(p.size());
  return true;
}

// ">S", ">S,F", ">S;" at the start of the query.
void parse_separators(std::string_view& s, DnsdbQuery& q) {
  if (s.empty() || s.front() != '>') return;
  s.remove_prefix(1);
  q.outsep = s.empty() ? "" : std::string(1, s.front());
  if (!s.empty()) s.remove_prefix(1);
  if (!s.empty() && s.front() == ',') {
    q.fieldsep_given = true;
    q.fieldsep = s.size() > 1 ? std::string(1, s[1]) : "";
    s.remove_prefix(std::min<size_t>(2, s.size()));
  } else if (!s.empty() && s.front() == ';') {
    q.fieldsep_given = true;
    s.remove_prefix(1);
  }
  skip_space(s);
}

bool parse_mode(std::string_view& s, DnsdbMode& out) {
  if (take_prefix_ci(s, "strict")) {
    out = DnsdbMode::Strict;
  } else if (take_prefix_ci(s, "lax")) {
    out = DnsdbMode::Lax;
  } else if (take_prefix_ci(s, "never")) {
    out = DnsdbMode::Never;
  } else {
    return false;
  }
  return true;
}

// A time as Exim writes it ("5s", "1m30s") up to the next comma, in ms; -1 when invalid.
long long parse_time_ms(std::string_view& s) {
  size_t end = s.find(',');
  std::string_view t = util::trim(s.substr(0, end));
  s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  long long seconds = 0;
  return util::parse_time_interval(t, seconds) ? seconds * 1000 : -1;
}

// One modifier at the start of `s`; false when there is none. `err` is set on a bad one.
bool parse_modifier(std::string_view& s, DnsdbQuery& q, std::string& err) {
  if (take_prefix_ci(s, "defer_")) {
    if (!parse_mode(s, q.defer)) err = "unsupported dnsdb defer behaviour";
  } else if (take_prefix_ci(s, "dnssec_")) {
    if (!parse_mode(s, q.dnssec)) err = "unsupported dnsdb dnssec behaviour";
  } else if (take_prefix_ci(s, "retrans_")) {
    long long ms = parse_time_ms(s);
    if (ms <= 0) err = "unsupported dnsdb timeout value";
    q.retrans_ms = static_cast<int>(std::min(ms, 600000LL));
  } else if (take_prefix_ci(s, "retry_")) {
    std::string num(s.substr(0, std::min<size_t>(s.size(), 32)));
    char* end = nullptr;
    long n = std::strtol(num.c_str(), &end, 0);
    if (n < 0) err = "unsupported dnsdb retry count";
    s.remove_prefix(static_cast<size_t>(end - num.c_str()));
    q.retry = static_cast<int>(std::min(n, 10L));
  } else {
    return false;
  }
  return true;
}

bool parse_type(std::string_view& s, DnsdbQuery& q) {
  size_t eq = s.find('=');
  if (eq == std::string_view::npos) return true;
  std::string_view name = s.substr(0, eq);
  while (!name.empty() && is_space(name.back())) name.remove_suffix(1);
  auto it = std::find_if(std::begin(kTypes), std::end(kTypes),
                         [&](const TypeName& t) { return util::iequals(t.name, name); });
  if (it == std::end(kTypes)) return false;
  q.type = it->type;
  s.remove_prefix(eq + 1);
  skip_space(s);
  return true;
}

}  // namespace

Status dnsdb_parse(std::string_view query, DnsdbQuery& out) {
  out = DnsdbQuery{};
  std::string_view s = query;
  skip_space(s);
  parse_separators(s, out);
  for (std::string err; parse_modifier(s, out, err);) {
    if (!err.empty()) return Status::error(err);
    skip_space(s);
    if (s.empty() || s.front() != ',') return Status::error("dnsdb modifier syntax error");
    s.remove_prefix(1);
    skip_space(s);
  }
  if (!parse_type(s, out)) return Status::error("unsupported DNS record type");
  // A single IPv6 address for ptr is not a list (Exim's backwards-compatible special case).
  if (out.type == DnsdbType::PTR && (s.empty() || s.front() != '<')) {
    auto ip = util::IpAddress::parse(util::trim(s));
    if (ip && !ip->is_v4()) {
      out.domains.emplace_back(util::trim(s));
      return Status::ok();
    }
  }
  ListReader r(s);
  for (std::string item; r.next(item);) out.domains.push_back(std::move(item));
  return Status::ok();
}

namespace {

std::uint16_t wire_type(DnsdbType t) {
  switch (t) {
    case DnsdbType::A:
      return dns::kA;
    case DnsdbType::AAAA:
      return dns::kAAAA;
    case DnsdbType::Addresses:
      return dns::kAAAA;
    case DnsdbType::CNAME:
      return dns::kCNAME;
    case DnsdbType::MX:
    case DnsdbType::MXH:
      return dns::kMX;
    case DnsdbType::NS:
    case DnsdbType::ZNS:
      return dns::kNS;
    case DnsdbType::PTR:
      return dns::kPTR;
    case DnsdbType::SOA:
      return dns::kSOA;
    case DnsdbType::SPF:
      return dns::kSPF;
    case DnsdbType::SRV:
      return dns::kSRV;
    case DnsdbType::TLSA:
      return dns::kTLSA;
    case DnsdbType::TXT:
      return dns::kTXT;
  }
  return dns::kTXT;
}

// "1.2.3.4" becomes "4.3.2.1.in-addr.arpa" (an IPv6 address its nibbles in ip6.arpa, even
// an IPv4-mapped one, as Exim's dns_build_reverse does); anything else is left alone.
std::string ptr_name(const std::string& d) {
  auto ip = util::IpAddress::parse(d);
  if (!ip) return d;
  return ip->reverse_labels() + (ip->is_v4() ? ".in-addr.arpa" : ".ip6.arpa");
}

// Builds the result text.
class Output {
 public:
  explicit Output(const DnsdbQuery& q) : q_(q) {}

  void add(DnsdbType t, const dns::Record& r) {
    ttl_ = std::min(ttl_, r.ttl);
    if (found_) out_ += q_.outsep;
    found_ = true;
    const std::string f = q_.fieldsep_given ? q_.fieldsep : " ";
    switch (t) {
      case DnsdbType::TXT:
      case DnsdbType::SPF:
        return add_texts(t, r);
      case DnsdbType::TLSA:
        return add_tlsa(r, f);
      case DnsdbType::MX:
        out_ += std::to_string(r.num[0]) + f;
        break;
      case DnsdbType::SRV:
        out_ += std::to_string(r.num[0]) + f + std::to_string(r.num[1]) + f +
                std::to_string(r.num[2]) + f;
        break;
      default:
        break;
    }
    out_ += r.host;
    if (t == DnsdbType::SOA && q_.fieldsep_given) {
      out_ += f + r.mailbox;
      for (std::uint32_t n : r.num) out_ += f + std::to_string(n);
    }
  }

  bool found() const { return found_; }
  const std::string& text() const { return out_; }
  std::uint32_t ttl() const { return ttl_; }

 private:
  void add_texts(DnsdbType t, const dns::Record& r) {
    const bool all = q_.fieldsep_given || t == DnsdbType::SPF;
    if (!all) {
      if (!r.texts.empty()) out_ += r.texts[0];
      return;
    }
    for (size_t i = 0; i < r.texts.size(); ++i) {
      if (i > 0) out_ += q_.fieldsep;
      out_ += r.texts[i];
    }
  }
  void add_tlsa(const dns::Record& r, const std::string& f) {
    out_ +=
        std::to_string(r.num[0]) + f + std::to_string(r.num[1]) + f + std::to_string(r.num[2]) + f;
    char hex[3];
    for (unsigned char c : r.data) {
      std::snprintf(hex, sizeof hex, "%02x", c);
      out_ += hex;
    }
  }

  const DnsdbQuery& q_;
  std::string out_;
  bool found_ = false;
  std::uint32_t ttl_ = 86400;
};

// ZNS and SOA: the name, then the name less its first label, and so on while nothing is
// found (never the root).
dns::Answer climb(EvalContext& ctx, std::string_view name, std::uint16_t type,
                  const dns::QueryOptions& o) {
  for (;;) {
    dns::Answer a = dns_query(ctx, name, type, o);
    if (a.outcome != dns::Outcome::NoData && a.outcome != dns::Outcome::NxDomain) return a;
    size_t dot = name.find('.');
    if (dot == std::string_view::npos || dot + 1 >= name.size()) return a;
    name.remove_prefix(dot + 1);
  }
}

class Lookup {
 public:
  Lookup(EvalContext& ctx, const DnsdbQuery& q) : ctx_(ctx), q_(q), out_(q) {
    opts_.retrans_ms = q.retrans_ms;
    opts_.tries = q.retry;
  }

  // False when a temporary failure must make the whole lookup defer now (defer_strict).
  bool domain(const std::string& d) {
    const std::string name = q_.type == DnsdbType::PTR ? ptr_name(d) : d;
    if (q_.type == DnsdbType::Addresses) {
      return one(name, DnsdbType::AAAA) && one(name, DnsdbType::A);
    }
    return one(name, q_.type);
  }

  LookupResult result() const {
    LookupResult r;
    if (out_.found()) {
      r.outcome = LookupOutcome::Found;
      r.value = out_.text();
      r.cache_ttl = static_cast<int>(out_.ttl());
    } else if (deferred_) {
      r.outcome = LookupOutcome::Defer;
    }
    return r;
  }

 private:
  bool one(const std::string& name, DnsdbType t) {
    const std::uint16_t wt = wire_type(t);
    dns::Answer a = t == DnsdbType::ZNS || t == DnsdbType::SOA ? climb(ctx_, name, wt, opts_)
                                                               : dns_query(ctx_, name, wt, opts_);
    if (q_.dnssec != DnsdbMode::Never) {
      ctx_.item_vars["lookup_dnssec_authenticated"] = a.authenticated ? "yes" : "no";
    }
    bool failed = a.outcome == dns::Outcome::TempFail;
    if (a.outcome == dns::Outcome::Found && q_.dnssec == DnsdbMode::Strict && !a.authenticated) {
      failed = true;
    }
    if (failed) {
      if (q_.defer == DnsdbMode::Strict) return false;
      deferred_ |= q_.defer == DnsdbMode::Lax;
      return true;
    }
    if (a.outcome != dns::Outcome::Found) return true;
    for (const auto& r : a.records) out_.add(t, r);
    return true;
  }

  EvalContext& ctx_;
  const DnsdbQuery& q_;
  Output out_;
  dns::QueryOptions opts_;
  bool deferred_ = false;
};

LookupResult dnsdb_find(EvalContext& ctx, LookupHandle*, const std::string&, std::string_view query,
                        const LookupOptions&) {
  DnsdbQuery q;
  if (Status st = dnsdb_parse(query, q); !st.is_ok()) {
    LookupResult r;
    r.outcome = LookupOutcome::Defer;
    r.message = st.message();
    return r;
  }
  Lookup l(ctx, q);
  for (const auto& d : q.domains) {
    if (!l.domain(d)) {
      LookupResult r;
      r.outcome = LookupOutcome::Defer;
      return r;
    }
  }
  return l.result();
}

const LookupRegistrar reg({{"dnsdb", true, false, nullptr, dnsdb_find, nullptr}});

}  // namespace
}  // namespace lang
