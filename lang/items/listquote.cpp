// lang/items/listquote.cpp — ${listquote{<separator>}{<string>}} (spec 11.5): doubles each
// occurrence of the separator (the first byte of the first argument; none when it is empty)
// so that the string can be a list element; an empty string becomes a single space.
#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

class ListquoteNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string sep, s;
    LANG_TRY(args[0].eval(ctx, sep));
    LANG_TRY(args[1].eval(ctx, s));
    if (s.empty()) {
      out += ' ';
      return Status::ok();
    }
    for (char c : s) {
      out += c;
      if (!sep.empty() && c == sep[0]) out += c;
    }
    return Status::ok();
  }
  std::vector<Template> args;
};

Status parse_listquote(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<ListquoteNode>();
  LANG_TRY(p.read_args(name, 2, 2, n->args));
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"listquote", parse_listquote}});

}  // namespace
}  // namespace lang
