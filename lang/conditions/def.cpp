// lang/conditions/def.cpp — def:<variable> (true when the variable is non-empty) and
// def:h_<header>: (true when the header exists), spec 11.7.
#include <cctype>

#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "lang/variables.h"

namespace lang {
namespace {

class DefCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    std::string v;
    bool set = variable_get(ctx, ref, v);
    r = ref.kind == VarKind::Header ? set : !v.empty();
    return Status::ok();
  }
  VarRef ref;
};

Status parse_def(Parser& p, std::string_view, CondPtr& out) {
  if (!p.consume(':')) return p.error("\":\" expected after \"def\"");
  size_t start = p.pos();
  std::string_view name = p.read_name();
  if (name.empty()) return p.error("variable name omitted after \"def:\"");
  auto d = std::make_unique<DefCond>();
  size_t us = name.find('_');
  std::string hkind;
  if (us != std::string_view::npos && variable_header_prefix(name.substr(0, us), hkind)) {
    p.set_pos(start + us + 1);
    size_t b = p.pos();
    while (!p.at_end() && p.peek() != ':' && static_cast<unsigned char>(p.peek()) > ' ' &&
           p.peek() != '{' && p.peek() != '}') {
      p.advance();
    }
    if (!p.consume(':')) {
      return p.error("missing or misplaced { or } - could be header name not terminated by colon");
    }
    d->ref.kind = VarKind::Header;
    d->ref.hkind = hkind;
    d->ref.name = std::string(p.text().substr(b, p.pos() - 1 - b));
  } else if (std::isdigit(static_cast<unsigned char>(name[0])) ||
             !variable_resolve(name, d->ref).is_ok()) {
    return p.error("unknown variable \"" + std::string(name) + "\" after \"def:\"");
  }
  out = std::move(d);
  return Status::ok();
}

const ConditionRegistrar reg({{"def", parse_def}});

}  // namespace
}  // namespace lang
