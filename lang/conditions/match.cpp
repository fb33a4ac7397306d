// lang/conditions/match.cpp — match{<string>}{<regex>} (spec 11.7, "Expansion conditions").
// True when the PCRE2 pattern matches anywhere in the string. On success $0..$N are set to
// the match and its groups; ${if} restores the previous values after its yes/no part.
// A pattern is compiled through the process-wide cache: a constant one when the expansion is
// parsed (a bad one is a parse error), one built at run time when it is evaluated.
#include "lang/context.h"
#include "lang/parser.h"
#include "lang/regex.h"
#include "lang/registry.h"

namespace lang {
namespace {

class MatchCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    std::string subject;
    LANG_TRY(args[0].eval(ctx, subject));
    std::shared_ptr<const Regex> re = constant;
    if (!re) {
      std::string pattern;
      LANG_TRY(args[1].eval(ctx, pattern));
      LANG_TRY(regex_cached(pattern, re));
    }
    r = re->match(ctx, subject);
    return Status::ok();
  }
  std::vector<Template> args;
  std::shared_ptr<const Regex> constant;  // set when the pattern is constant text
};

Status parse_match(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<MatchCond>();
  LANG_TRY(parse_cond_args(p, name, 2, c->args));
  if (auto lit = c->args[1].literal()) {
    Status st = regex_cached(*lit, c->constant);
    if (!st.is_ok()) {
      st.set_pos(c->args[1].pos);
      return st;
    }
  }
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({{"match", parse_match}});

}  // namespace
}  // namespace lang
