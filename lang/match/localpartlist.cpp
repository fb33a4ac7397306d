// lang/match/localpartlist.cpp — see localpartlist.h.
#include "lang/match/localpartlist.h"

#include "util/strings.h"

namespace lang {

ListMatch match_localpart_item(EvalContext& ctx, std::string_view pattern,
                               std::string_view local_part, const MatchState& st,
                               ListMatchResult& res) {
  const std::string lower = st.caseless ? util::to_lower(local_part) : std::string(local_part);
  return match_text_item(ctx, pattern, local_part, lower, st.caseless, res);
}

ListMatchResult match_localpartlist(EvalContext& ctx, std::string_view list,
                                    std::string_view local_part, bool caseless) {
  MatchState st;
  st.caseless = caseless;
  st.subject = local_part;
  return match_list(
      ctx, list, ListKind::LocalPart, st,
      [local_part](EvalContext& c, std::string_view p, MatchState& s, ListMatchResult& r) {
        return match_localpart_item(c, p, local_part, s, r);
      });
}

}  // namespace lang
