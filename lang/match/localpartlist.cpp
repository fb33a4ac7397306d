// lang/match/localpartlist.cpp — see localpartlist.h.
#include "lang/match/localpartlist.h"

#include "util/strings.h"

namespace lang {

ListMatch match_localpart_item(EvalContext& ctx, std::string_view pattern,
                               std::string_view local_part, const MatchState& st,
                               ListMatchResult& res) {
  const std::string subject = st.caseless ? util::to_lower(local_part) : std::string(local_part);
  if (!pattern.empty() && pattern.front() == '*') {
    if (!list_star_match(pattern, subject, st.caseless, &ctx.captures)) return ListMatch::NoMatch;
    res.value = std::string(pattern);
    return ListMatch::Match;
  }
  if (!pattern.empty() && pattern.front() == '^') {
    std::vector<std::string> caps;
    ListMatch m = list_regex(pattern, local_part, st.caseless, &caps, res.error);
    if (m != ListMatch::Match) return m;
    ctx.captures = std::move(caps);
    res.value = std::string(pattern);
    return m;
  }
  if (pattern.find(';') != std::string_view::npos) {
    ListMatch m = ListMatch::Defer;
    if (!list_lookup_item(ctx, pattern, subject, m, res)) return ListMatch::Defer;
    return m;
  }
  bool same = st.caseless ? util::iequals(pattern, subject) : pattern == subject;
  if (!same) return ListMatch::NoMatch;
  res.value = std::string(pattern);
  return ListMatch::Match;
}

ListMatchResult match_localpartlist(EvalContext& ctx, std::string_view list,
                                    std::string_view local_part, bool caseless) {
  MatchState st;
  st.caseless = caseless;
  return match_list(
      ctx, list, ListKind::LocalPart, st,
      [local_part](EvalContext& c, std::string_view p, MatchState& s, ListMatchResult& r) {
        return match_localpart_item(c, p, local_part, s, r);
      });
}

}  // namespace lang
