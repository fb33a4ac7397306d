// lang/items/sort.cpp — ${sort{list}{comparator}{extractor}} (spec 11.5).
//
// The comparator is the name of a two-argument comparison condition (< <= > >= lt lti le lei
// gt gti ge gei), not expanded. The extractor is expanded with $item set to each item to give
// its key. Items are inserted one by one into the output: a new item goes before the first
// already placed item for which "comparator{new key}{placed key}" is true, else at the end
// (Exim's order, including for equal keys). A comparison that errs (a non-numeric key for <)
// counts as false. The output uses the input's separator.
// Errors: "missing '{' for list arg of sort" (and comparator, extractor), an unknown
// comparator (empty message, as Exim), "comparator not handled for sort",
// "field-extract in sort: \"<extractor>\"" when the extractor fails or gives an empty key.
#include <strings.h>

#include <cctype>
#include <vector>

#include "lang/context.h"
#include "lang/lists.h"
#include "lang/numbers.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

constexpr std::string_view kComparators[] = {"<",  "<=",  ">",  ">=",  "lt", "lti",
                                             "le", "lei", "gt", "gti", "ge", "gei"};

// A comparison of two keys, as the condition of the same name would do it.
class Comparator {
 public:
  void init(std::string_view name) {
    numeric_ = name[0] == '<' || name[0] == '>';
    caseless_ = name.size() == 3 && name[2] == 'i';
    less_ = name[0] == '<' || name[0] == 'l';
    or_equal_ = name.size() > 1 && (name[1] == '=' || name[1] == 'e');
  }
  // True when `a` sorts before `b`; an error (a non-numeric key) counts as false.
  bool before(const std::string& a, const std::string& b) const {
    int c;
    if (numeric_) {
      long long x = 0, y = 0;
      if (!parse_integer(a, x).is_ok() || !parse_integer(b, y).is_ok()) return false;
      c = x < y ? -1 : (x > y ? 1 : 0);
    } else {
      c = caseless_ ? strcasecmp(a.c_str(), b.c_str()) : a.compare(b);
    }
    if (c == 0) return or_equal_;
    return less_ ? c < 0 : c > 0;
  }

 private:
  bool numeric_ = false, caseless_ = false, less_ = true, or_equal_ = false;
};

class SortNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string text;
    LANG_TRY(list.eval(ctx, text));
    ItemGuard guard(ctx);
    ListReader r(text);
    std::vector<std::pair<std::string, std::string>> placed;  // (key, item)
    std::string item, key;
    while (r.next(item)) {
      ctx.item = item;
      Status st = extractor.eval_to(ctx, key);
      if (!st.is_ok() || key.empty()) {
        return Status::error("field-extract in sort: \"" + std::string(extractor.source) + "\"");
      }
      size_t at = placed.size();
      for (size_t k = 0; k < placed.size(); ++k) {
        if (cmp.before(key, placed[k].first)) {
          at = k;
          break;
        }
      }
      placed.insert(placed.begin() + static_cast<long>(at), {key, item});
    }
    ListWriter w(r.separator());
    for (const auto& [k, v] : placed) w.add(v);
    out += w.str();
    return Status::ok();
  }
  Template list, extractor;
  Comparator cmp;
};

Status sort_arg(Parser& p, std::string_view which, Template& t) {
  p.skip_ws();
  if (p.peek() != '{') return p.error("missing '{' for " + std::string(which) + " arg of sort");
  return p.brace_arg(t);
}

// The comparator: a condition name between braces, checked at parse time.
Status parse_comparator(Parser& p, Comparator& cmp) {
  p.skip_ws();
  if (!p.consume('{')) return p.error("missing '{' for comparator arg of sort");
  size_t start = p.pos();
  size_t end = p.text().find('}', start);
  if (end == std::string_view::npos) return p.error("missing } at end of string");
  std::string_view name = p.text().substr(start, end - start);
  if (name.empty() || !(std::isalnum(static_cast<unsigned char>(name[0])) || name[0] == '<' ||
                        name[0] == '>' || name[0] == '=')) {
    return p.error("condition name expected, but found \"" + std::string(name.substr(0, 16)) +
                   "\"");
  }
  bool known = false;
  for (auto c : kComparators) known = known || c == name;
  if (!known) {
    if (find_condition(name)) return p.error("comparator not handled for sort");
    return p.error("");
  }
  p.set_pos(end + 1);
  cmp.init(name);
  return Status::ok();
}

Status parse_sort(Parser& p, std::string_view, NodePtr& out) {
  auto n = std::make_unique<SortNode>();
  LANG_TRY(sort_arg(p, "list", n->list));
  LANG_TRY(parse_comparator(p, n->cmp));
  LANG_TRY(sort_arg(p, "extractor", n->extractor));
  if (!p.consume('}')) return p.error("missing } at end of \"sort\"");
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"sort", parse_sort}});

}  // namespace
}  // namespace lang
