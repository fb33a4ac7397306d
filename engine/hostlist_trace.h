// engine/hostlist_trace.h — host-list matches in the policy trace (engine/acl_trace.h).
//
// lang::match_hostlist decides; these functions only tell ctx.list_tracer what Exim's trace
// shows of that decision: one line per list walked, the named lists inside first
// (`host in "192.168.0.0/16"? yes (...)` then `host in "+lan"? yes (matched "+lan")`).
// The host-list matcher has no listener of its own yet, so the walk is replayed here item by
// item, each item matched alone through match_hostlist: the same answers as the real walk,
// at the price of matching twice, which is paid only when tracing. Items the real matcher
// could not decide (it needs DNS for them) may be shown as not matching.
//
// The subject is shown as "host" (or "" without a remote host), as Exim shows it. Nothing
// here fails: a list that cannot be walked is shown as far as it could be.
#pragma once

#include <string_view>

#include "lang/context.h"
#include "lang/match/hostlist.h"

namespace engine {

// The walk of `list` for `host`; `label` (an option's name) is shown instead of the list.
void trace_hostlist(lang::EvalContext& ctx, std::string_view list, const lang::HostInfo& host,
                    std::string_view label = {});

// An option list with nothing to match: "no (option unset)" when it is not set, "no (end of
// list)" when it is set to an empty list. `subject` as shown ("host", a domain ...).
void trace_empty_option(lang::EvalContext& ctx, lang::ListKind kind, std::string_view subject,
                        std::string_view option, bool is_set);

}  // namespace engine
