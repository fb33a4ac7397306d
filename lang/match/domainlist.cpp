// lang/match/domainlist.cpp — see domainlist.h.
#include "lang/match/domainlist.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>

#include <cstring>

#include "util/strings.h"

namespace lang {
namespace {

std::string primary_hostname(const EvalContext& ctx) {
  std::string h;
  if (ctx.vars) ctx.vars->get("primary_hostname", h);
  return h;
}

bool same_address(const sockaddr* sa, int family, const unsigned char* bytes) {
  if (!sa || sa->sa_family != family) return false;
  if (family == AF_INET) {
    return std::memcmp(&reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, bytes, 4) == 0;
  }
  return std::memcmp(&reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, bytes, 16) == 0;
}

}  // namespace

bool domain_is_local_literal(std::string_view literal) {
  if (literal.size() < 3 || literal.front() != '[' || literal.back() != ']') return false;
  std::string ip(literal.substr(1, literal.size() - 2));
  unsigned char bytes[16];
  int family = AF_INET;
  if (inet_pton(AF_INET, ip.c_str(), bytes) != 1) {
    family = AF_INET6;
    if (inet_pton(AF_INET6, ip.c_str(), bytes) != 1) return false;
  }
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return false;
  bool found = false;
  for (ifaddrs* i = list; i && !found; i = i->ifa_next) {
    found = same_address(i->ifa_addr, family, bytes);
  }
  freeifaddrs(list);
  return found;
}

ListMatch match_domain_item(EvalContext& ctx, std::string_view pattern, std::string_view domain,
                            const MatchState& st, ListMatchResult& res) {
  const std::string lower = util::to_lower(domain);
  if (pattern == "@") {
    std::string host = primary_hostname(ctx);
    if (!util::iequals(host, lower)) return ListMatch::NoMatch;
    ctx.captures.assign(1, lower);
    res.value = host;
    return ListMatch::Match;
  }
  if (pattern == "@[]") {
    if (!domain_is_local_literal(domain)) return ListMatch::NoMatch;
    ctx.captures.assign(1, lower);
    res.value = "@[]";
    return ListMatch::Match;
  }
  if (util::starts_with_ci(pattern, "@mx_")) {
    bool special = false;
    ListMatch m = match_domain_mx(ctx, pattern, lower, res, special);
    if (special) return m;
  }
  return match_text_item(ctx, pattern, domain, lower, st.caseless, res);
}

ListMatchResult match_domainlist(EvalContext& ctx, std::string_view list, std::string_view domain,
                                 bool caseless, std::string_view label) {
  MatchState st;
  st.caseless = caseless;
  st.subject = domain;
  st.label = label;
  return match_list(ctx, list, ListKind::Domain, st,
                    [domain](EvalContext& c, std::string_view p, MatchState& s,
                             ListMatchResult& r) { return match_domain_item(c, p, domain, s, r); });
}

}  // namespace lang
