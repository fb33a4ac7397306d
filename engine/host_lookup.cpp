#include "engine/host_lookup.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "engine/variables.h"
#include "lang/dns.h"
#include "lang/lists.h"
#include "util/ip.h"

namespace engine {
namespace {

HostResolver& default_resolver() {
  static HostResolver r;
  return r;
}

HostResolver* g_resolver = nullptr;

std::string canonical(std::string_view ip) {
  auto a = util::IpAddress::parse(ip);
  return a ? a->unmapped().str() : std::string(ip);
}

// The address of a local_interfaces item: "[ip]:port" and "ip.port" lose their port.
std::string interface_address(const std::string& item) {
  if (!item.empty() && item[0] == '[') return item.substr(1, item.find(']') - 1);
  if (item.find(':') == std::string::npos && std::count(item.begin(), item.end(), '.') == 4)
    return item.substr(0, item.rfind('.'));
  return item;
}

}  // namespace

namespace {

HostStatus addresses(lang::EvalContext& ctx, std::string_view name, bool hosts_file, bool ipv4_only,
                     std::vector<std::string>& out, std::string& error) {
  std::vector<util::IpAddress> ips;
  lang::HostFind f = lang::dns_host_addresses(ctx, name, ips, hosts_file);
  if (f == lang::HostFind::Defer) {
    error = "temporary DNS failure for " + std::string(name);
    return HostStatus::Again;
  }
  for (const util::IpAddress& ip : ips)
    if (!ipv4_only || ip.unmapped().is_v4()) out.push_back(ip.unmapped().str());
  if (out.empty()) error = "no addresses for " + std::string(name);
  return out.empty() ? HostStatus::NotFound : HostStatus::Found;
}

}  // namespace

HostStatus HostResolver::dns_addresses(lang::EvalContext& ctx, std::string_view name,
                                       bool ipv4_only, std::vector<std::string>& out,
                                       std::string& error) {
  return addresses(ctx, name, false, ipv4_only, out, error);
}

HostStatus HostResolver::byname(lang::EvalContext& ctx, std::string_view name,
                                std::vector<std::string>& out, std::string& error) {
  return addresses(ctx, name, true, false, out, error);
}

namespace {

using util::dns::Outcome;

// The domain of this host's name, for a resolver without a search list.
std::string host_name_domain() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "";
  const char* dot = std::strchr(buf, '.');
  return dot && dot[1] ? std::string(dot + 1) : "";
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  std::string w;
  std::istringstream in{std::string(s)};
  while (in >> w) out.push_back(w);
  return out;
}

// What the C library's res_search does with a name (RES_DEFNAMES, RES_DNSRCH, ndots 1): the
// name as it is first when it has a dot, the search domains when allowed, the name as it is
// last when it has none; the first answer with records wins. Otherwise the answer is that of
// the name as it is when it was tried first, else "no records" when some name exists, else
// a temporary failure when there was one, else "no such name".
class Searcher {
 public:
  Searcher(lang::EvalContext& ctx, std::uint16_t type) : ctx_(ctx), type_(type) {}
  DnsRecords run(std::string_view name, const DnsSearch& search);

 private:
  bool ask(const std::string& name);  // true when records were found

  lang::EvalContext& ctx_;
  std::uint16_t type_;
  DnsRecords found_, nodata_, again_, last_;
  bool have_nodata_ = false, have_again_ = false;
};

bool Searcher::ask(const std::string& name) {
  util::dns::Answer a = lang::dns_query(ctx_, name, type_);
  DnsRecords r;
  r.name = name;
  switch (a.outcome) {
    case Outcome::Found:
      for (util::dns::Record& rec : a.records)
        if (rec.type == type_) r.records.push_back(std::move(rec));
      r.status = r.records.empty() ? HostStatus::NotFound : HostStatus::Found;
      break;
    case Outcome::NoData:
      r.status = HostStatus::NotFound;
      break;
    case Outcome::NxDomain:
      r.status = HostStatus::NotFound;
      r.no_domain = true;
      break;
    case Outcome::TempFail:
      r.status = HostStatus::Again;
      r.error = a.error.empty() ? "temporary DNS failure for " + name : a.error;
      break;
  }
  if (r.status == HostStatus::Found) {
    found_ = std::move(r);
    return true;
  }
  if (r.status == HostStatus::NotFound && !r.no_domain && !have_nodata_) {
    nodata_ = r;
    have_nodata_ = true;
  }
  if (r.status == HostStatus::Again && !have_again_) {
    again_ = r;
    have_again_ = true;
  }
  last_ = std::move(r);
  return false;
}

DnsRecords Searcher::run(std::string_view given, const DnsSearch& search) {
  std::string name(given);
  if (!name.empty() && name.back() == '.') {
    name.pop_back();
    return ask(name) ? found_ : last_;
  }
  bool dots = name.find('.') != std::string::npos;
  std::optional<DnsRecords> as_is;
  if (dots) {
    if (ask(name)) return found_;
    as_is = last_;
  }
  if ((!dots && search.qualify_single) || (dots && search.search_parents)) {
    for (const std::string& d : dns_search_domains())
      if (ask(d == "." ? name : name + "." + d)) return found_;
  }
  if (!dots && ask(name)) return found_;
  if (as_is) return *as_is;
  if (have_nodata_) return nodata_;
  if (have_again_) return again_;
  return last_;
}

}  // namespace

DnsRecords HostResolver::dns_records(lang::EvalContext& ctx, std::string_view name,
                                     std::uint16_t type, const DnsSearch& search) {
  return Searcher(ctx, type).run(name, search);
}

std::vector<std::string> dns_search_domains() {
  if (const char* env = std::getenv("LOCALDOMAIN")) return split_words(env);
  std::ifstream in("/etc/resolv.conf");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> w = split_words(line);
    if (w.empty() || (w[0] != "search" && w[0] != "domain")) continue;
    out.assign(w.begin() + 1, w[0] == "domain" ? std::min(w.end(), w.begin() + 2) : w.end());
  }
  if (out.empty()) {
    std::string d = host_name_domain();
    if (!d.empty()) out.push_back(d);
  }
  return out;
}

HostResolver& host_resolver() {
  return g_resolver ? *g_resolver : default_resolver();
}

void set_host_resolver(HostResolver* r) {
  g_resolver = r;
}

LocalHosts::LocalHosts(const config::Config* cfg) {
  std::string list = main_option(cfg, "local_interfaces", "<; 0.0.0.0 ; ::0");
  std::string extra = main_option(cfg, "extra_local_interfaces");
  bool all = false;
  for (const std::string* l : {&list, &extra}) {
    lang::ListReader rd(*l);
    std::string item;
    while (rd.next(item)) {
      std::string ip = interface_address(item);
      if (ip == "0.0.0.0" || ip == "::0" || ip == "::") {
        all = true;
        continue;
      }
      if (util::IpAddress::parse(ip)) addresses_.push_back(canonical(ip));
    }
  }
  if (all)
    for (const util::IpAddress& a : util::local_interface_addresses())
      addresses_.push_back(a.unmapped().str());
}

// 0.0.0.0 is always this host, as in Exim (an MX or IP literal pointing there loops back).
bool LocalHosts::is_local(std::string_view ip) const {
  std::string c = canonical(ip);
  if (c == "0.0.0.0") return true;
  return std::find(addresses_.begin(), addresses_.end(), c) != addresses_.end();
}

}  // namespace engine
