// lang/match/listmatch.cpp — see listmatch.h.
#include "lang/match/listmatch.h"

#include <cctype>
#include <fstream>

#include "lang/expand.h"
#include "lang/lists.h"
#include "util/strings.h"

namespace lang {
namespace {

constexpr int kMaxNamedDepth = 50;

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
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
    std::string_view p = list_file_line(raw, kind);
    if (p.empty()) continue;
    bool line_neg = list_strip_negation(p) != neg;
    last_negative = line_neg;
    res.value.clear();
    if (decide(item(ctx, p, st, res), line_neg, res)) return true;
  }
  return false;
}

// "+name": the named list of the same kind, expanded, matched recursively. `cached` says
// whether the tracer treats it as a reused result.
ListMatch match_named(EvalContext& ctx, std::string_view name, ListKind kind, MatchState& st,
                      const ItemMatcher& item, ListMatchResult& res, bool& cached) {
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
  sub.label = {};
  ListTracer* t = ctx.list_tracer;
  if (t) cached = t->named_begin(kind, name, nl->value, st.subject);
  ListMatchResult r = match_list(ctx, text, kind, sub, item);
  if (t) t->named_end();
  res.value = r.value;
  res.error = r.error;
  return r.outcome;
}

// Tells the tracer how the walk of `list` ended.
void trace_result(EvalContext& ctx, std::string_view list, ListKind kind, const MatchState& st,
                  const ListMatchResult& res, const std::string* item, bool cached) {
  ListTracer::Event e;
  e.kind = kind;
  e.subject = st.subject;
  e.is_option = !st.label.empty();
  e.list = e.is_option ? st.label : list;
  e.yes = res.outcome == ListMatch::Match;
  e.how = res.outcome == ListMatch::Defer ? ListTracer::How::Deferred
          : item                          ? ListTracer::How::Matched
                                          : ListTracer::How::EndOfList;
  if (item) e.item = *item;
  if (e.how == ListTracer::How::Deferred) e.item = res.error;
  e.cached = cached;
  ctx.list_tracer->list_result(e);
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
    bool neg = list_strip_negation(p);
    if (case_items && !neg && p == "+caseful") {
      st.caseless = false;
      continue;
    }
    last_negative = neg;
    res.value.clear();
    bool done, cached = false;
    if (!p.empty() && p.front() == '+') {
      done = decide(match_named(ctx, p.substr(1), kind, st, item, res, cached), neg, res);
    } else if (!p.empty() && p.front() == '/') {
      done = match_file(ctx, list, p, neg, kind, st, item, res, last_negative);
    } else {
      done = decide(item(ctx, p, st, res), neg, res);
    }
    if (done) {
      if (ctx.list_tracer) trace_result(ctx, list, kind, st, res, &raw, cached);
      return res;
    }
  }
  res.value.clear();
  res.outcome = last_negative ? ListMatch::Match : ListMatch::NoMatch;
  if (ctx.list_tracer) trace_result(ctx, list, kind, st, res, nullptr, false);
  return res;
}

bool list_strip_negation(std::string_view& item) {
  if (item.empty() || item.front() != '!') return false;
  item.remove_prefix(1);
  while (!item.empty() && is_space(item.front())) item.remove_prefix(1);
  return true;
}

std::string_view list_file_line(std::string_view line, ListKind kind) {
  const bool anywhere = kind == ListKind::Domain || kind == ListKind::Host;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (anywhere || i == 0 || is_space(line[i - 1]))) {
      line = line.substr(0, i);
      break;
    }
  }
  return util::trim(line);
}

ListMatch list_match_pattern(EvalContext& ctx, Pattern::Kind kind, std::string_view pattern,
                             std::string_view subject, Pattern::Options opts,
                             ListMatchResult& res) {
  Pattern::Found found;
  ListMatch m = pattern_match_as(ctx, kind, pattern, subject, opts, found);
  if (m == ListMatch::Defer) res.error = std::move(found.error);
  if (m != ListMatch::Match) return m;
  ctx.captures = std::move(found.captures);
  res.value = kind == Pattern::Kind::Lookup ? std::move(found.value) : std::string(pattern);
  return m;
}

ListMatch match_text_item(EvalContext& ctx, std::string_view pattern, std::string_view given,
                          const std::string& lower, bool caseless, ListMatchResult& res) {
  const Pattern::Kind kind = Pattern::kind_of(pattern);
  // A caseless regex sees the subject as written, with PCRE2_CASELESS.
  std::string_view subject = kind == Pattern::Kind::Regex && caseless ? given : lower;
  return list_match_pattern(ctx, kind, pattern, subject, {caseless, true}, res);
}

}  // namespace lang
