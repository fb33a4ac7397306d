// lang/match/lookup_fallback.cpp — TEMPORARY weak definitions of lang::lookup_parse_spec and
// lang::lookup_run (lang/lookup.h) so that list matching links before the lookups module
// lands. The real definitions (lang/lookups/) are strong symbols and replace these at link
// time; delete this file once they are merged.
//
// Behaviour here: every lookup type is unknown, so "type;file" list items defer.
#include "lang/lookup.h"

namespace lang {

__attribute__((weak)) Status lookup_parse_spec(std::string_view text, LookupSpec& out) {
  out = LookupSpec{};
  size_t end = text.find_first_of("-*,");
  return Status::error("unknown lookup type \"" + std::string(text.substr(0, end)) + "\"");
}

__attribute__((weak)) LookupResult lookup_run(EvalContext&, const LookupSpec&, const std::string&,
                                              std::string_view) {
  LookupResult r;
  r.outcome = LookupOutcome::Defer;
  r.message = "lookups are not available";
  return r;
}

}  // namespace lang
