// lang/items/listextract.cpp — ${listextract{number}{list}{yes}{no}} (spec 11.5).
//
// The number (after expansion: optional white space, optional '-', decimal digits) selects an
// item of the list, 1 for the first, -1 for the last. The item goes into $value for the yes
// part (default: the item itself); out of range takes the no part (default: empty, or `fail`).
// $value is restored afterwards. Errors: "first argument of \"listextract\" must not be
// empty", "... must be numeric", "missing '{' for arg N of listextract".
#include <cctype>
#include <vector>

#include "lang/context.h"
#include "lang/lists.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Reads the field number; values beyond any list length saturate.
Status parse_field_number(std::string_view s, long& n) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  if (s.empty()) return Status::error("first argument of \"listextract\" must not be empty");
  bool neg = s.front() == '-';
  if (neg) s.remove_prefix(1);
  n = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return Status::error("first argument of \"listextract\" must be numeric");
    }
    if (n < 1000000000L) n = n * 10 + (c - '0');
  }
  if (neg) n = -n;
  return Status::ok();
}

// The n-th item (1-based, negative from the end) of `list`; false when out of range.
bool list_field(std::string_view list, long n, std::string& out) {
  std::vector<std::string> items;
  ListReader r(list);
  std::string item;
  while (r.next(item)) {
    if (n > 0 && static_cast<long>(items.size()) + 1 == n) {
      out = item;
      return true;
    }
    items.push_back(item);
  }
  if (n >= 0 || -n > static_cast<long>(items.size())) return false;
  out = items[items.size() - static_cast<size_t>(-n)];
  return true;
}

class ListExtractNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string num, text;
    LANG_TRY(number.eval(ctx, num));
    LANG_TRY(list.eval(ctx, text));
    long n = 0;
    LANG_TRY(parse_field_number(num, n));
    std::string field;
    bool found = n != 0 && list_field(text, n, field);
    ValueGuard guard(ctx);
    if (found) {
      ctx.value = field;
      ctx.value_set = true;
    }
    return branches.eval(ctx, found, "listextract", out, field);
  }
  Template number, list;
  YesNo branches;
};

Status parse_listextract(Parser& p, std::string_view, NodePtr& out) {
  auto n = std::make_unique<ListExtractNode>();
  Template* args[] = {&n->number, &n->list};
  for (int k = 0; k < 2; ++k) {
    p.skip_ws();
    if (p.peek() != '{') {
      return p.error("missing '{' for arg " + std::to_string(k + 1) + " of listextract");
    }
    LANG_TRY(p.brace_arg(*args[k]));
  }
  LANG_TRY(p.yes_no(n->branches));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"listextract", parse_listextract}});

}  // namespace
}  // namespace lang
