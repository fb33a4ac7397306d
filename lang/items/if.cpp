// lang/items/if.cpp — ${if <condition> {yes}{no}} (spec 11.5, "Expansion items").
// The regex captures set by a `match` condition, and $value set by conditions such as `acl`,
// are visible in the yes/no part only; the previous values come back afterwards.
#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

class IfNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::vector<std::string> saved = ctx.captures;
    ValueGuard value_guard(ctx);
    bool r = false;
    Status st = cond->test(ctx, r);
    if (st.is_ok()) st = branches.eval(ctx, r, "if", out, "true");
    ctx.captures = std::move(saved);
    return st;
  }
  CondPtr cond;
  YesNo branches;
};

Status parse_if(Parser& p, std::string_view, NodePtr& out) {
  auto n = std::make_unique<IfNode>();
  LANG_TRY(p.condition(n->cond));
  LANG_TRY(p.yes_no(n->branches));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"if", parse_if}});

}  // namespace
}  // namespace lang
