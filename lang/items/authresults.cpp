// lang/items/authresults.cpp — ${authresults{<authserv-id>}} (spec 11.5; RFC 8601): the
// start of an Authentication-Results: header line. Results are added from the session's
// variables when there are any: iprev (from $sender_host_name, $host_lookup_deferred,
// $host_lookup_failed) and auth (from $sender_host_authenticated and $authenticated_id).
// Without a session (as in -be) only "Authentication-Results: <id>" is produced.
#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

std::string var(const EvalContext& ctx, std::string_view name) {
  std::string v;
  if (ctx.vars) ctx.vars->get(name, v);
  return v;
}

void add_iprev(const EvalContext& ctx, std::string& out) {
  std::string name = var(ctx, "sender_host_name");
  if (!name.empty()) {
    out += ";\n\tiprev=pass (" + name + ")";
  } else if (var(ctx, "host_lookup_deferred") == "1") {
    out += ";\n\tiprev=temperror";
  } else if (var(ctx, "host_lookup_failed") == "1") {
    out += ";\n\tiprev=fail";
  } else {
    return;
  }
  std::string addr = var(ctx, "sender_host_address");
  if (!addr.empty()) out += " smtp.remote-ip=" + addr;
}

void add_auth(const EvalContext& ctx, std::string& out) {
  std::string mech = var(ctx, "sender_host_authenticated");
  if (mech.empty()) return;
  out += ";\n\tauth=pass (" + mech + ")";
  std::string id = var(ctx, "authenticated_id");
  if (!id.empty()) out += " smtp.auth=" + id;
}

class AuthresultsNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string id;
    LANG_TRY(args[0].eval(ctx, id));
    out += "Authentication-Results: " + id;
    add_iprev(ctx, out);
    add_auth(ctx, out);
    return Status::ok();
  }
  std::vector<Template> args;
};

Status parse_authresults(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<AuthresultsNode>();
  LANG_TRY(p.read_args(name, 1, 1, n->args));
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"authresults", parse_authresults}});

}  // namespace
}  // namespace lang
