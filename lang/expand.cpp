#include "lang/expand.h"

#include <cstdint>

#include "lang/parser.h"
#include "util/strings.h"

namespace lang {

Status Program::compile(std::string_view text, Program& out) {
  Program p;
  p.text_ = std::make_unique<std::string>(text);
  Parser parser(*p.text_);
  LANG_TRY(parser.parse_template(p.tmpl_, false));
  out = std::move(p);
  return Status::ok();
}

const std::string& Program::text() const {
  static const std::string kEmpty;
  return text_ ? *text_ : kEmpty;
}

Status Program::eval(EvalContext& ctx, std::string& out) const {
  return tmpl_.eval_to(ctx, out);
}

// The tree lives only during the call, so it may view `text` instead of a copy (unless the
// text is `out` itself, which evaluation overwrites).
Status expand_string(std::string_view text, EvalContext& ctx, std::string& out) {
  auto at = reinterpret_cast<uintptr_t>(text.data()),
       from = reinterpret_cast<uintptr_t>(out.data());
  if (at >= from && at <= from + out.size()) {
    Program p;
    LANG_TRY(Program::compile(text, p));
    return p.eval(ctx, out);
  }
  Template t;
  Parser parser(text);
  LANG_TRY(parser.parse_template(t, false));
  return t.eval_to(ctx, out);
}

bool is_false_string(std::string_view v) {
  v = util::trim(v);
  return v.empty() || v == "0" || util::iequals(v, "no") || util::iequals(v, "false");
}

}  // namespace lang
