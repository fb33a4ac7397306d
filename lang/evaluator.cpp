// lang/evaluator.cpp — evaluation of the core nodes against an EvalContext.
#include <string>

#include "lang/ast.h"
#include "lang/context.h"
#include "lang/lookup_cache.h"
#include "lang/nodes.h"

namespace lang {

EvalContext::EvalContext() = default;
EvalContext::~EvalContext() = default;

LookupCache& EvalContext::lookups() {
  if (!lookups_) lookups_ = std::make_unique<LookupCache>();
  return *lookups_;
}

Status Template::eval(EvalContext& ctx, std::string& out) const {
  if (ctx.tracer) return eval_traced(ctx, out);
  for (const auto& n : nodes) LANG_TRY(n->eval(ctx, out));
  return Status::ok();
}

// Same as eval(), reporting each non-literal node and its result to the tracer (-d+expand).
Status Template::eval_traced(EvalContext& ctx, std::string& out) const {
  for (const auto& n : nodes) {
    if (n->literal()) {
      LANG_TRY(n->eval(ctx, out));
      continue;
    }
    size_t before = out.size();
    ctx.tracer->trace(ctx.depth, "considering", n->src);
    Status st = n->eval(ctx, out);
    if (st.is_ok()) ctx.tracer->trace(ctx.depth, "expanded", std::string_view(out).substr(before));
    else ctx.tracer->trace(ctx.depth, st.is_fail() ? "forced failure" : "failed", st.message());
    LANG_TRY(st);
  }
  return Status::ok();
}

std::optional<std::string_view> Template::literal() const {
  if (nodes.empty()) return std::string_view("", 0);  // non-null data, as C APIs want
  if (nodes.size() == 1) return nodes[0]->literal();
  return std::nullopt;
}

Status YesNo::eval(EvalContext& ctx, bool cond, std::string_view item, std::string& out,
                   std::string_view dflt_true) const {
  if (cond) {
    if (has_yes) return yes.eval(ctx, out);
    out += dflt_true;
    return Status::ok();
  }
  if (has_no) return no.eval(ctx, out);
  if (fail) return Status::fail("\"" + std::string(item) + "\" failed and \"fail\" requested");
  return Status::ok();
}

Status VariableNode::eval(EvalContext& ctx, std::string& out) const {
  // The language's own variables are appended in place; the rest go through a copy.
  if (ref.kind == VarKind::Value) {
    out += ctx.value;
    return Status::ok();
  }
  if (ref.kind == VarKind::Item) {
    out += ctx.item;
    return Status::ok();
  }
  std::string v;
  variable_get(ctx, ref, v);
  out += v;
  return Status::ok();
}

Status OperatorNode::eval(EvalContext& ctx, std::string& out) const {
  if (++ctx.depth > EvalContext::kMaxDepth) {
    --ctx.depth;
    return Status::error("expansion nested too deeply");
  }
  std::string a;
  Status st = arg.eval(ctx, a);
  if (st.is_ok()) st = def->fn(ctx, a, suffix, out);
  --ctx.depth;
  return st;
}

namespace {
class NotCond : public Cond {
 public:
  explicit NotCond(CondPtr c) : inner(std::move(c)) {}
  Status test(EvalContext& ctx, bool& r) const override {
    LANG_TRY(inner->test(ctx, r));
    r = !r;
    return Status::ok();
  }
  CondPtr inner;
};
}  // namespace

CondPtr make_not(CondPtr c) { return std::make_unique<NotCond>(std::move(c)); }

}  // namespace lang
