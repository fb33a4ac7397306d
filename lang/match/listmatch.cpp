// lang/match/listmatch.cpp — see listmatch.h.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "lang/match/listmatch.h"

#include <pcre2.h>
#include <strings.h>

#include <cctype>
#include <fstream>

#include "lang/expand.h"
#include "lang/lists.h"
#include "lang/lookup.h"
#include "util/strings.h"

namespace lang {
namespace {

constexpr int kMaxNamedDepth = 50;

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Strips a leading '!' and the white space after it; true when negated. Only one '!' counts:
// in "!!x" the item is "!x" (a pattern that rarely matches), as in Exim.
bool strip_negation(std::string_view& p) {
  if (p.empty() || p.front() != '!') return false;
  p.remove_prefix(1);
  while (!p.empty() && is_space(p.front())) p.remove_prefix(1);
  return true;
}

// A line of a list file, without its comment. In domain (and host) lists '#' starts a comment
// anywhere; in address and local-part lists only at the start or after white space.
std::string_view file_line(std::string_view line, ListKind kind) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '#') continue;
    bool anywhere = kind == ListKind::Domain || kind == ListKind::Host;
    if (anywhere || i == 0 || is_space(line[i - 1])) {
      line = line.substr(0, i);
      break;
    }
  }
  return util::trim(line);
}

// Folds an item's raw outcome and its negation into the walk: true when the walk ends, with
// res.outcome set.
bool decide(ListMatch raw, bool neg, ListMatchResult& res) {
  if (raw == ListMatch::NoMatch) return false;
  if (raw == ListMatch::Defer) {
    res.outcome = ListMatch::Defer;
  } else {
    res.outcome = neg ? ListMatch::NoMatch : ListMatch::Match;
    if (neg) res.value.clear();
  }
  return true;
}

// The lines of `path` as items; negation inside the file combines with the outer one.
bool match_file(EvalContext& ctx, std::string_view list, std::string_view path, bool neg,
                ListKind kind, MatchState& st, const ItemMatcher& item, ListMatchResult& res,
                bool& last_negative) {
  std::ifstream f{std::string(path)};
  if (!f) {
    res.error = "failed to open " + std::string(path) + " when checking \"" + std::string(list) +
                "\": " + util::errno_text(errno);
    res.outcome = ListMatch::Defer;
    return true;
  }
  std::string raw;
  while (std::getline(f, raw)) {
    std::string_view p = file_line(raw, kind);
    if (p.empty()) continue;
    bool line_neg = strip_negation(p) != neg;
    last_negative = line_neg;
    res.value.clear();
    if (decide(item(ctx, p, st, res), line_neg, res)) return true;
  }
  return false;
}

// "+name": the named list of the same kind, expanded, matched recursively.
ListMatch match_named(EvalContext& ctx, std::string_view name, ListKind kind, MatchState& st,
                      const ItemMatcher& item, ListMatchResult& res) {
  const NamedList* nl = ctx.lists ? ctx.lists->find(name) : nullptr;
  if (!nl || nl->kind != kind || st.depth >= kMaxNamedDepth) {
    res.error.clear();
    return ListMatch::Defer;
  }
  std::string text;
  Status es = expand_string(nl->value, ctx, text);
  if (es.is_fail()) return ListMatch::NoMatch;
  if (es.is_error()) {
    res.error = es.message();
    return ListMatch::Defer;
  }
  MatchState sub = st;
  ++sub.depth;
  ListMatchResult r = match_list(ctx, text, kind, sub, item);
  res.value = r.value;
  res.error = r.error;
  return r.outcome;
}

}  // namespace

ListMatchResult match_list(EvalContext& ctx, std::string_view list, ListKind kind, MatchState& st,
                           const ItemMatcher& item) {
  ListMatchResult res;
  ListReader reader(list);
  std::string raw;
  bool last_negative = false;
  const bool case_items = kind == ListKind::Address || kind == ListKind::LocalPart;
  while (reader.next(raw)) {
    std::string_view p = raw;
    bool neg = strip_negation(p);
    if (case_items && !neg && p == "+caseful") {
      st.caseless = false;
      continue;
    }
    last_negative = neg;
    res.value.clear();
    bool done;
    if (!p.empty() && p.front() == '+') {
      done = decide(match_named(ctx, p.substr(1), kind, st, item, res), neg, res);
    } else if (!p.empty() && p.front() == '/') {
      done = match_file(ctx, list, p, neg, kind, st, item, res, last_negative);
    } else {
      done = decide(item(ctx, p, st, res), neg, res);
    }
    if (done) return res;
  }
  res.value.clear();
  res.outcome = last_negative ? ListMatch::Match : ListMatch::NoMatch;
  return res;
}

ListMatch list_regex(std::string_view pattern, std::string_view subject, bool caseless,
                     std::vector<std::string>* captures, std::string& error) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                 caseless ? PCRE2_CASELESS : 0, &code, &offset, nullptr);
  if (!re) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof buf);
    error = "regular expression error: " + std::string(reinterpret_cast<char*>(buf)) +
            " at offset " + std::to_string(offset) + " while compiling " + std::string(pattern);
    return ListMatch::Defer;
  }
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(re, nullptr);
  int rc = pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md,
                       nullptr);
  if (rc > 0 && captures) {
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    captures->clear();
    for (int k = 0; k < rc; ++k) {
      if (ov[2 * k] == PCRE2_UNSET) {
        captures->emplace_back();
      } else {
        captures->emplace_back(subject.substr(ov[2 * k], ov[2 * k + 1] - ov[2 * k]));
      }
    }
  }
  pcre2_match_data_free(md);
  pcre2_code_free(re);
  return rc > 0 ? ListMatch::Match : ListMatch::NoMatch;
}

bool list_star_match(std::string_view pattern, std::string_view subject, bool caseless,
                     std::vector<std::string>* captures) {
  std::string_view tail = pattern.substr(1);
  if (tail.size() > subject.size()) return false;
  std::string_view end = subject.substr(subject.size() - tail.size());
  bool same = caseless ? strncasecmp(end.data(), tail.data(), tail.size()) == 0 : end == tail;
  if (!same) return false;
  if (captures) {
    captures->assign(
        {std::string(subject), std::string(subject.substr(0, subject.size() - tail.size()))});
  }
  return true;
}

ListMatch list_lookup_item(EvalContext& ctx, std::string_view pattern, std::string_view key,
                           ListMatchResult& res, bool allow_partial) {
  size_t semi = pattern.find(';');
  LookupSpec spec;
  Status st = lookup_parse_spec(pattern.substr(0, semi), spec);
  if (!st.is_ok() || !spec.def) {
    res.error = st.message();
    return ListMatch::Defer;
  }
  if (!allow_partial) spec.partial = -1;
  std::string source(util::trim(pattern.substr(semi + 1)));
  if (key.empty() && !spec.def->query_style) return ListMatch::NoMatch;
  std::vector<std::string> saved = ctx.captures;
  ctx.captures.assign(1, std::string(key));  // $0 is the key unless partial matching sets more
  LookupResult r = lookup_run(ctx, spec, source, key);
  if (r.outcome != LookupOutcome::Found) ctx.captures = std::move(saved);
  switch (r.outcome) {
    case LookupOutcome::Found:
      res.value = r.value;
      return ListMatch::Match;
    case LookupOutcome::NotFound:
      return ListMatch::NoMatch;
    case LookupOutcome::Defer:
      break;
  }
  res.error = r.message;
  return ListMatch::Defer;
}

ListMatch match_text_item(EvalContext& ctx, std::string_view pattern, std::string_view given,
                          const std::string& lower, bool caseless, ListMatchResult& res) {
  if (!pattern.empty() && pattern.front() == '*') {
    if (!list_star_match(pattern, lower, caseless, &ctx.captures)) return ListMatch::NoMatch;
  } else if (!pattern.empty() && pattern.front() == '^') {
    std::vector<std::string> caps;
    std::string_view subject = caseless ? given : std::string_view(lower);
    ListMatch m = list_regex(pattern, subject, caseless, &caps, res.error);
    if (m != ListMatch::Match) return m;
    caps[0] = std::string(subject);
    ctx.captures = std::move(caps);
  } else if (pattern.find(';') != std::string_view::npos) {
    return list_lookup_item(ctx, pattern, lower, res);
  } else {
    if (caseless ? !util::iequals(pattern, lower) : pattern != lower) return ListMatch::NoMatch;
    ctx.captures.assign(1, lower);
  }
  res.value = std::string(pattern);
  return ListMatch::Match;
}

}  // namespace lang
