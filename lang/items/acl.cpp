// lang/items/acl.cpp — ${acl{<name>}{<arg>}...} and the condition acl{{<name>}{<arg>}...}
// (spec 11.5 and 11.7). The name and up to nine arguments are expanded separately and the
// ACL is run through the context's AclRunner, which sets $acl_arg1..9 / $acl_narg for the
// call and restores them afterwards.
//
// Item: accept or deny gives the `message =` text of the deciding verb (empty without one);
// defer is a forced failure `DEFER from acl "name"`; anything else (discard, drop, error, no
// ACL runner) fails with e.g. `ERROR from acl "name"`.
// Condition: accept is true, deny false, and $value holds the message in the yes/no part
// (${if} restores it afterwards); the other outcomes fail as for the item.
#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

const char* verdict_name(AclVerdict v) {
  switch (v) {
    case AclVerdict::Accept:
      return "OK";
    case AclVerdict::Deny:
      return "FAIL";
    case AclVerdict::Defer:
      return "DEFER";
    case AclVerdict::Discard:
      return "DISCARD";
    case AclVerdict::Drop:
      return "FAIL_DROP";
    case AclVerdict::Error:
      break;
  }
  return "ERROR";
}

// Runs the ACL named by args[0]; Ok only for accept and deny.
Status run_acl(EvalContext& ctx, const std::vector<Template>& args, AclVerdict& verdict,
               std::string& message) {
  std::vector<std::string> values(args.size());
  for (size_t i = 0; i < args.size(); ++i) LANG_TRY(args[i].eval(ctx, values[i]));
  std::string name = std::move(values[0]);
  values.erase(values.begin());
  verdict = ctx.acl ? ctx.acl->run(name, values, message) : AclVerdict::Error;
  if (verdict == AclVerdict::Accept || verdict == AclVerdict::Deny) return Status::ok();
  std::string text = std::string(verdict_name(verdict)) + " from acl \"" + name + "\"";
  if (verdict == AclVerdict::Defer) return Status::fail(text);
  return Status::error(text);
}

class AclNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    AclVerdict v;
    std::string message;
    LANG_TRY(run_acl(ctx, args, v, message));
    out += message;
    return Status::ok();
  }
  std::vector<Template> args;
};

class AclCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    AclVerdict v;
    std::string message;
    LANG_TRY(run_acl(ctx, args, v, message));
    r = v == AclVerdict::Accept;
    ctx.value = std::move(message);
    ctx.value_set = true;
    return Status::ok();
  }
  std::vector<Template> args;
};

Status parse_acl_item(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<AclNode>();
  LANG_TRY(p.read_args(name, 1, 10, n->args));
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

Status parse_acl_cond(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<AclCond>();
  p.skip_ws();
  if (!p.consume('{')) return p.error("missing { after \"" + std::string(name) + "\"");
  p.skip_ws();
  if (p.peek() != '{') return p.error("too few arguments or bracketing error for acl");
  LANG_TRY(p.read_args(name, 1, 10, c->args));
  p.skip_ws();
  if (!p.consume('}')) return p.error("too few arguments or bracketing error for acl");
  out = std::move(c);
  return Status::ok();
}

const ItemRegistrar item_reg({{"acl", parse_acl_item}});
const ConditionRegistrar cond_reg({{"acl", parse_acl_cond}});

}  // namespace
}  // namespace lang
