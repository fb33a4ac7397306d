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

#include <algorithm>
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

  // The order (indices into `keys`) the insertion described above gives. When every key is
  // valid the comparison is a total preorder, and the insertion is a sort: equal keys keep
  // their input order, reversed for the "or equal" comparators. Otherwise (a non-numeric key
  // for <) the insertion is done as described, in quadratic time.
  std::vector<size_t> order(const std::vector<std::string>& keys) const {
    std::vector<long long> nums(numeric_ ? keys.size() : 0);
    bool valid = true;
    for (size_t i = 0; i < nums.size() && valid; ++i)
      valid = parse_integer(keys[i], nums[i]).is_ok();
    std::vector<size_t> out;
    if (!valid) {
      for (size_t i = 0; i < keys.size(); ++i) {
        size_t at = out.size();
        for (size_t k = 0; k < out.size(); ++k) {
          if (before(keys[i], keys[out[k]])) {
            at = k;
            break;
          }
        }
        out.insert(out.begin() + static_cast<long>(at), i);
      }
      return out;
    }
    for (size_t i = 0; i < keys.size(); ++i) out.push_back(i);
    std::sort(out.begin(), out.end(), [&](size_t i, size_t j) {
      int c = numeric_ ? (nums[i] < nums[j] ? -1 : (nums[i] > nums[j] ? 1 : 0))
                       : (caseless_ ? strcasecmp(keys[i].c_str(), keys[j].c_str())
                                    : keys[i].compare(keys[j]));
      if (c != 0) return less_ ? c < 0 : c > 0;
      return or_equal_ ? i > j : i < j;
    });
    return out;
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
    std::vector<std::string> items, keys;
    std::string item, key;
    while (r.next(item)) {
      ctx.item = item;
      Status st = extractor.eval_to(ctx, key);
      if (!st.is_ok() || key.empty()) {
        return Status::error("field-extract in sort: \"" + std::string(extractor.source) + "\"");
      }
      items.push_back(item);
      keys.push_back(key);
    }
    ListWriter w(r.separator());
    for (size_t i : cmp.order(keys)) w.add(items[i]);
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
