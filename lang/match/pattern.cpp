// lang/match/pattern.cpp — see pattern.h.
#include "lang/match/pattern.h"

#include "lang/context.h"
#include "lang/regex.h"
#include "util/strings.h"

namespace lang {
namespace {

bool ends_with(std::string_view s, std::string_view suffix, bool caseless) {
  if (suffix.size() > s.size()) return false;
  std::string_view tail = s.substr(s.size() - suffix.size());
  return caseless ? util::iequals(tail, suffix) : tail == suffix;
}

}  // namespace

Pattern::Kind Pattern::kind_of(std::string_view text) {
  if (!text.empty() && text[0] == '*') return Kind::Suffix;
  if (!text.empty() && text[0] == '^') return Kind::Regex;
  if (text.find(';') != std::string_view::npos) return Kind::Lookup;
  return Kind::Literal;
}

Status Pattern::compile(std::string_view text, Options opts, Pattern& out) {
  return compile_as(kind_of(text), text, opts, out);
}

Status Pattern::compile_as(Kind kind, std::string_view text, Options opts, Pattern& out) {
  out = Pattern();
  out.kind_ = kind;
  out.caseless_ = opts.caseless;
  out.text_ = std::string(text);
  switch (kind) {
    case Kind::Suffix:
      out.arg_ = std::string(text.substr(text.empty() ? 0 : 1));
      return Status::ok();
    case Kind::Regex:
      return Regex::cached(text, out.re_, {opts.caseless, true});
    case Kind::Lookup: {
      size_t semi = text.find(';');
      LANG_TRY(lookup_parse_spec(text.substr(0, semi), out.spec_));
      if (!opts.allow_partial) out.spec_.partial = -1;
      out.arg_ = std::string(util::trim(text.substr(semi + 1)));
      return Status::ok();
    }
    case Kind::Literal:
      out.arg_ = out.text_;
      return Status::ok();
  }
  return Status::ok();
}

Pattern::Result Pattern::match(EvalContext& ctx, std::string_view subject, Found& out) const {
  switch (kind_) {
    case Kind::Suffix:
      if (!ends_with(subject, arg_, caseless_)) return Result::NoMatch;
      out.captures = {std::string(subject),
                      std::string(subject.substr(0, subject.size() - arg_.size()))};
      return Result::Match;
    case Kind::Regex:
      if (!re_->search(subject, 0, out.captures)) return Result::NoMatch;
      out.captures[0] = std::string(subject);
      return Result::Match;
    case Kind::Lookup:
      return match_lookup(ctx, subject, out);
    case Kind::Literal:
      break;
  }
  if (caseless_ ? !util::iequals(subject, arg_) : subject != arg_) return Result::NoMatch;
  out.captures.assign(1, std::string(subject));
  return Result::Match;
}

Pattern::Result Pattern::match(EvalContext& ctx, std::string_view subject, std::string& err) const {
  Found f;
  Result r = match(ctx, subject, f);
  if (r == Result::Defer) err = std::move(f.error);
  return r;
}

// $0 is the key unless partial matching sets more (lookup_run writes ctx.captures, which are
// put back as they were).
Pattern::Result Pattern::match_lookup(EvalContext& ctx, std::string_view subject,
                                      Found& out) const {
  if (subject.empty() && !spec_.def->query_style) return Result::NoMatch;
  std::vector<std::string> saved = std::move(ctx.captures);
  ctx.captures.assign(1, std::string(subject));
  LookupResult r = lookup_run(ctx, spec_, arg_, subject);
  out.captures = std::move(ctx.captures);
  ctx.captures = std::move(saved);
  switch (r.outcome) {
    case LookupOutcome::Found:
      out.value = std::move(r.value);
      return Result::Match;
    case LookupOutcome::NotFound:
      return Result::NoMatch;
    case LookupOutcome::Defer:
      break;
  }
  out.error = std::move(r.message);
  return Result::Defer;
}

Pattern::Result pattern_match_as(EvalContext& ctx, Pattern::Kind kind, std::string_view pattern,
                                 std::string_view subject, Pattern::Options opts,
                                 Pattern::Found& out) {
  Pattern p;
  Status st = Pattern::compile_as(kind, pattern, opts, p);
  if (!st.is_ok()) {
    out.error = st.message();
    return Pattern::Result::Defer;
  }
  return p.match(ctx, subject, out);
}

Pattern::Result pattern_match(EvalContext& ctx, std::string_view pattern, std::string_view subject,
                              Pattern::Options opts, Pattern::Found& out) {
  return pattern_match_as(ctx, Pattern::kind_of(pattern), pattern, subject, opts, out);
}

Pattern::Result pattern_match(EvalContext& ctx, std::string_view pattern, std::string_view subject,
                              Pattern::Options opts, std::string& err) {
  Pattern::Found f;
  Pattern::Result r = pattern_match(ctx, pattern, subject, opts, f);
  if (r == Pattern::Result::Defer) err = std::move(f.error);
  return r;
}

}  // namespace lang
