// lang/match/addresslist.cpp — see addresslist.h.
#include "lang/match/addresslist.h"

#include <algorithm>

#include "lang/lists.h"
#include "lang/match/domainlist.h"
#include "lang/match/localpartlist.h"
#include "util/strings.h"

namespace lang {
namespace {

constexpr int kMaxChain = 50;

struct Subject {
  std::string_view address;  // as given
  std::string_view local;    // local part as given
  std::string domain;        // lower-cased
  bool has_at = false;
  // Exim keeps the value built by a local@domain item whose local part matched, even when its
  // domain did not; a later whole-address regex match reports it.
  std::string last_value;
  std::string whole(bool caseless) const {
    std::string lp = caseless ? util::to_lower(local) : std::string(local);
    return has_at ? lp + "@" + domain : lp;
  }
};

Subject split_subject(std::string_view address) {
  Subject s;
  s.address = address;
  size_t at = address.rfind('@');
  s.has_at = at != std::string_view::npos;
  s.local = s.has_at ? address.substr(0, at) : address;
  if (s.has_at) s.domain = util::to_lower(address.substr(at + 1));
  return s;
}

// "@@type;source": the domain's data is a local-part list, possibly chained with ">key".
ListMatch match_at_at(EvalContext& ctx, std::string_view pattern, const Subject& s,
                      const MatchState& st, ListMatchResult& res) {
  ListWriter parts(':');
  std::string key = s.domain;
  for (int n = 0; n < kMaxChain; ++n) {
    ListMatch m = list_match_pattern(ctx, Pattern::Kind::Lookup, pattern, key, {}, res);
    if (m != ListMatch::Match) return n == 0 ? m : ListMatch::Defer;
    ListReader r(res.value);
    std::string item;
    key.clear();
    while (r.next(item)) {
      if (!key.empty()) parts.add(key);
      key = item;
    }
    if (key.empty() || key.front() != '>') {
      if (!key.empty()) parts.add(key);
      MatchState sub = st;
      ListMatchResult lr = match_localpartlist(ctx, parts.str(), s.local, sub.caseless);
      res.value = lr.value;
      res.error = lr.error;
      return lr.outcome;
    }
    key.erase(0, 1);
  }
  res.error = "too many \">\" continuations for \"" + std::string(pattern) + "\"";
  return ListMatch::Defer;
}

// The domain part of an item, as a domain list; $0.. are left as they were. An empty
// pattern is an empty list, which matches nothing (and is traced as Exim does).
ListMatch match_domain_part(EvalContext& ctx, std::string_view dpattern, const Subject& s,
                            const MatchState& st, ListMatchResult& res) {
  std::vector<std::string> saved = ctx.captures;
  ListMatchResult dr = match_domainlist(ctx, dpattern, s.domain, st.caseless);
  ctx.captures = std::move(saved);
  res.value = dr.value;
  res.error = dr.error;
  return dr.outcome;
}

// "type;source" looking up the whole address: a ';' whose prefix has no '@' other than the
// "*@" default marker ("lsearch*@;file" yes, "*@lsearch;file" no).
bool is_address_lookup(std::string_view pattern) {
  size_t semi = pattern.find(';');
  if (semi == std::string_view::npos) return false;
  std::string_view type = pattern.substr(0, semi);
  if (type.ends_with("*@")) type.remove_suffix(2);
  return type.find('@') == std::string_view::npos;
}

bool local_matches(EvalContext& ctx, std::string_view lpattern, std::string_view local,
                   bool caseless) {
  bool star = !lpattern.empty() && lpattern.front() == '*';
  Pattern::Found found;
  return pattern_match_as(ctx, star ? Pattern::Kind::Suffix : Pattern::Kind::Literal, lpattern,
                          local, {caseless, false}, found) == ListMatch::Match;
}

ListMatch match_address_item(EvalContext& ctx, std::string_view pattern, Subject& s,
                             const MatchState& st, ListMatchResult& res) {
  if (pattern.empty() && s.address.empty()) return ListMatch::Match;
  if (!s.address.empty() && !s.has_at) return ListMatch::NoMatch;  // Exim logs and moves on
  if (!pattern.empty() &&
      pattern.front() == '^') {  // sets no $0, and keeps the value of an earlier item
    res.value = s.last_value;
    Pattern::Found found;
    ListMatch m = pattern_match_as(ctx, Pattern::Kind::Regex, pattern, s.whole(st.caseless),
                                   {st.caseless, false}, found);
    if (m == ListMatch::Defer) res.error = std::move(found.error);
    return m;
  }
  if (pattern.starts_with("@@")) {
    if (s.address.empty()) return ListMatch::NoMatch;
    return match_at_at(ctx, pattern.substr(2), s, st, res);
  }
  if (is_address_lookup(pattern)) {
    return list_match_pattern(ctx, Pattern::Kind::Lookup, pattern, s.whole(st.caseless),
                              {st.caseless, false}, res);
  }
  if (s.address.empty()) return ListMatch::NoMatch;
  ListMatch m;
  size_t at = pattern.rfind('@');
  if (at == std::string_view::npos) {
    m = match_domain_part(ctx, pattern, s, st, res);
    if (m == ListMatch::Match) res.value = "@" + res.value;
    return m;
  }
  if (!local_matches(ctx, pattern.substr(0, at), s.local, st.caseless)) return ListMatch::NoMatch;
  m = match_domain_part(ctx, pattern.substr(at + 1), s, st, res);
  if (m != ListMatch::Match) res.value.clear();
  res.value =
      std::string(pattern.substr(0, std::min(s.local.size(), pattern.size()))) + "@" + res.value;
  s.last_value = res.value;
  return m;
}

}  // namespace

ListMatchResult match_addresslist(EvalContext& ctx, std::string_view list, std::string_view address,
                                  bool caseless) {
  MatchState st;
  st.caseless = caseless;
  st.subject = address;
  Subject s = split_subject(address);
  return match_list(ctx, list, ListKind::Address, st,
                    [&s](EvalContext& c, std::string_view p, MatchState& state,
                         ListMatchResult& r) { return match_address_item(c, p, s, state, r); });
}

}  // namespace lang
