// lang/conditions/logic.cpp — and{{c1}{c2}...} and or{{c1}{c2}...}, evaluated left to right
// with short-circuit (spec 11.7). `and{}` is true, `or{}` false.
#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

class GroupCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    r = is_and;
    for (const auto& c : subs) {
      bool v = false;
      Status st = c->test(ctx, v);
      if (!st.is_ok()) {
        st.message() += std::string(" inside \"") + (is_and ? "and" : "or") + "{...}\" condition";
        return st;
      }
      if (v != is_and) {
        r = v;
        return Status::ok();
      }
    }
    return Status::ok();
  }
  bool is_and = true;
  std::vector<CondPtr> subs;
};

Status parse_group(Parser& p, std::string_view name, CondPtr& out) {
  auto g = std::make_unique<GroupCond>();
  g->is_and = name == "and";
  const std::string where = " inside \"" + std::string(name) + "{...}\" condition";
  p.skip_ws();
  if (!p.consume('{')) return p.error("missing { after \"" + std::string(name) + "\"");
  while (true) {
    p.skip_ws();
    if (p.consume('}')) break;
    if (!p.consume('{')) {
      return p.error("each subcondition inside an \"" + std::string(name) +
                     "{...}\" condition must be in its own {}");
    }
    CondPtr c;
    Status st = p.condition(c);
    if (!st.is_ok()) {
      st.message() += where;
      return st;
    }
    p.skip_ws();
    if (!p.consume('}')) {
      return p.error("missing } at end of condition inside \"" + std::string(name) + "\" group");
    }
    g->subs.push_back(std::move(c));
  }
  out = std::move(g);
  return Status::ok();
}

const ConditionRegistrar reg({{"and", parse_group}, {"or", parse_group}});

}  // namespace
}  // namespace lang
