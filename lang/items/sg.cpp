// lang/items/sg.cpp — ${sg{<subject>}{<regex>}{<replacement>}} (spec 11.5): Perl's s///g.
//
// All three arguments are expanded first. For each match the expanded replacement is expanded
// once more with $0..$N set to that match, which is how "\$1" in the item's text refers to a
// group. Empty matches follow Perl: after one, the same position is retried for a non-empty
// match before one byte is copied. A constant regex (or replacement) is compiled when the
// item is parsed, through the process-wide cache (one-off strings such as -be lines repeat
// their patterns); a bad constant regex is a parse error with Exim's text.
#include "lang/context.h"
#include "lang/expand.h"
#include "lang/parser.h"
#include "lang/regex.h"
#include "lang/registry.h"

namespace lang {
namespace {

class SgNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string subject_buf, pattern, repl_text;
    std::string_view subject;
    LANG_TRY(args[0].eval_view(ctx, subject_buf, subject));
    const Regex* re = regex.get();
    std::shared_ptr<const Regex> dynamic_re;
    if (!re) {
      LANG_TRY(args[1].eval(ctx, pattern));
      LANG_TRY(regex_cached(pattern, dynamic_re));
      re = dynamic_re.get();
    }
    const Program* repl = constant_repl.get();
    const Status* repl_status = &constant_repl_status;
    Program dynamic;
    Status dynamic_status;
    if (!repl) {
      LANG_TRY(args[2].eval(ctx, repl_text));
      dynamic_status = Program::compile(repl_text, dynamic);
      repl = &dynamic;
      repl_status = &dynamic_status;
    }
    std::vector<std::string> saved;
    saved.swap(ctx.captures);  // only a match sets them, and the replacement reads them after
    Status st = substitute(ctx, *re, subject, *repl, *repl_status, out);
    ctx.captures.swap(saved);
    return st;
  }

  static Status substitute(EvalContext& ctx, const Regex& re, std::string_view subject,
                           const Program& repl, const Status& repl_status, std::string& out) {
    size_t pos = 0;
    unsigned flags = 0;
    std::string piece;
    while (pos <= subject.size()) {
      size_t b = 0, e = 0;
      if (!re.search_span(subject, pos, flags, ctx.captures, b, e)) {
        if (flags == 0 || pos >= subject.size()) break;
        // No non-empty match at the position of an empty one: copy one byte and go on.
        out += subject[pos++];
        flags = 0;
        continue;
      }
      if (!repl_status.is_ok()) return repl_status;
      out.append(subject, pos, b - pos);
      LANG_TRY(repl.eval(ctx, piece));
      out += piece;
      pos = e;
      flags = b == e ? regex_flag_notempty_atstart_anchored() : 0;
    }
    if (pos < subject.size()) out.append(subject.substr(pos));
    return Status::ok();
  }

  std::vector<Template> args;
  std::shared_ptr<const Regex> regex;      // constant pattern, from the cache at parse time
  std::unique_ptr<Program> constant_repl;  // constant replacement, compiled at parse time
  Status constant_repl_status;             // its compile error, reported when first used
};

Status parse_sg(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<SgNode>();
  LANG_TRY(p.read_args(name, 3, 3, n->args));
  LANG_TRY(p.close_item(name));
  if (auto lit = n->args[1].literal()) {
    Status st = regex_cached(*lit, n->regex);
    if (!st.is_ok()) {
      st.set_pos(n->args[1].pos);
      return st;
    }
  }
  if (auto lit = n->args[2].literal()) {
    n->constant_repl = std::make_unique<Program>();
    n->constant_repl_status = Program::compile(*lit, *n->constant_repl);
  }
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"sg", parse_sg}});

}  // namespace
}  // namespace lang
