// lang/items/tr.cpp — ${tr{<subject>}{<characters>}{<replacements>}} (spec 11.5): byte-wise
// translation. For a duplicated character the last occurrence wins; a replacement string
// shorter than the character string has its last byte repeated; an empty one translates
// nothing.
#include <array>

#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

class TrNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string subject, from, to;
    LANG_TRY(args[0].eval(ctx, subject));
    LANG_TRY(args[1].eval(ctx, from));
    LANG_TRY(args[2].eval(ctx, to));
    if (to.empty()) {
      out += subject;
      return Status::ok();
    }
    std::array<int, 256> map;
    map.fill(-1);
    for (size_t i = 0; i < from.size(); ++i) {
      char r = i < to.size() ? to[i] : to.back();
      map[static_cast<unsigned char>(from[i])] = static_cast<unsigned char>(r);
    }
    for (char c : subject) {
      int m = map[static_cast<unsigned char>(c)];
      out += m < 0 ? c : static_cast<char>(m);
    }
    return Status::ok();
  }
  std::vector<Template> args;
};

Status parse_tr(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<TrNode>();
  LANG_TRY(p.read_args(name, 3, 3, n->args));
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"tr", parse_tr}});

}  // namespace
}  // namespace lang
