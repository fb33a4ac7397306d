#include "lang/expand.h"

#include "lang/parser.h"

namespace lang {

Status Program::compile(std::string_view text, Program& out) {
  Program p;
  *p.text_ = std::string(text);
  Parser parser(*p.text_);
  LANG_TRY(parser.parse_template(p.tmpl_, false));
  out = std::move(p);
  return Status::ok();
}

Status Program::eval(EvalContext& ctx, std::string& out) const { return tmpl_.eval_to(ctx, out); }

Status expand_string(std::string_view text, EvalContext& ctx, std::string& out) {
  Program p;
  LANG_TRY(Program::compile(text, p));
  return p.eval(ctx, out);
}

}  // namespace lang
