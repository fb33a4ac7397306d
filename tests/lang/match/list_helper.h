// tests/lang/match/list_helper.h — list-match outcomes as text, for the list tests.
#pragma once

#include <string>

#include "lang/match/listmatch.h"

namespace testlang {

// "M:<value><on_match>", "N", or "D:<error>".
inline std::string describe(const lang::ListMatchResult& r, const std::string& on_match = "") {
  switch (r.outcome) {
    case lang::ListMatch::Match:
      return "M:" + r.value + on_match;
    case lang::ListMatch::NoMatch:
      return "N";
    case lang::ListMatch::Defer:
      return "D:" + r.error;
  }
  return "?";
}

}  // namespace testlang
