// lang/match/addresslist.h — address lists (spec 10.20, 10.21): `senders =`, `recipients =`,
// the match_address condition.
//
// Items (after the '!', "+name", "+caseful" and file handling of lang/match/listmatch.h):
//   (empty)          matches the empty address only
//   ^regex           against the whole address (caseless until +caseful); sets no $0..
//   type;source      a lookup of the whole address ("lsearch*@;file"; partial- is ignored)
//   @@type;source    the domain is looked up; the data is a local-part list matched against
//                    the local part (a last item ">key" continues with the data of `key`)
//   local@domain     local part exact or "*tail"; the domain part is a domain list item
//                    ("*.x", "+named", "lsearch;file", ...)
//   domain           as "*@domain"
// The domain is always lower-cased; until +caseful both parts are compared caselessly, after
// it exactly (so "+caseful:u@EXAMPLE.com" no longer matches u@example.com, as in Exim 4.96).
// The match value mimics Exim 4.96: for local@domain items, the first N characters of the
// item (N the length of the subject's local part), '@', and the domain item's value (empty
// when the domain did not match; such a value is reported by a later whole-address regex).
// A non-empty subject without '@' matches nothing. Errors give Defer.
#pragma once

#include <string_view>

#include "lang/match/listmatch.h"

namespace lang {

ListMatchResult match_addresslist(EvalContext& ctx, std::string_view list, std::string_view address,
                                  bool caseless = true);

}  // namespace lang
