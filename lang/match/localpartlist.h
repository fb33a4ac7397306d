// lang/match/localpartlist.h — local-part lists (spec 10.22): `local_parts =`, the
// match_local_part condition, and the local-part patterns of "@@" address-list lookups.
//
// Items are those of domain lists (lang/match/domainlist.h) without the host specials
// ("@" is literal). Matching starts caseless (the local part is lower-cased for comparisons,
// "*tail" captures and lookup keys; a regex sees it as given, with PCRE2_CASELESS) unless
// `caseless` is false; "+caseful" in the list turns it off for the items that follow.
// Errors give Defer (see ListMatchResult).
#pragma once

#include <string_view>

#include "lang/match/listmatch.h"

namespace lang {

ListMatchResult match_localpartlist(EvalContext& ctx, std::string_view list,
                                    std::string_view local_part, bool caseless = true);

ListMatch match_localpart_item(EvalContext& ctx, std::string_view pattern,
                               std::string_view local_part, const MatchState& st,
                               ListMatchResult& res);

}  // namespace lang
