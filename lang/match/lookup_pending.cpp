// lang/match/lookup_pending.cpp — TEMPORARY weak stand-ins for lookup_parse_spec() and
// lookup_run() (declared in lang/lookup.h), so that host lists build before the lookups land.
// The real, strong definitions in lang/lookup.cpp replace these at link time; delete this file
// once they are on main. Every lookup type is "unknown" here.
#include "lang/lookup.h"

namespace lang {

[[gnu::weak]] Status lookup_parse_spec(std::string_view text, LookupSpec&) {
  return Status::error("unknown lookup type \"" + std::string(text) + "\"");
}

[[gnu::weak]] LookupResult lookup_run(EvalContext&, const LookupSpec&, const std::string&,
                                      std::string_view) {
  LookupResult r;
  r.outcome = LookupOutcome::Defer;
  r.message = "lookups are not available";
  return r;
}

}  // namespace lang
