// lang/operators/expand.cpp — ${expand:..} (spec 11.6): the argument, once expanded, is parsed
// and expanded again at run time, in the same context.
// A failure of the inner expansion keeps its kind (forced or error) and gets Exim's prefix:
// "internal expansion of \"<string>\" failed: <message>".
#include "lang/expand.h"
#include "lang/context.h"
#include "lang/registry.h"

namespace lang {
namespace {

Status op_expand(EvalContext& ctx, std::string_view a, const OpSuffix&, std::string& out) {
  std::string r;
  Status st = expand_string(a, ctx, r);
  if (!st.is_ok()) {
    st.message() = "internal expansion of \"" + std::string(a) + "\" failed: " + st.message();
    st.set_pos(Status::npos);
    return st;
  }
  out += r;
  return Status::ok();
}

const OperatorRegistrar reg({{"expand", op_expand}});

}  // namespace
}  // namespace lang
