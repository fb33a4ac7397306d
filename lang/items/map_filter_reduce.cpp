// lang/items/map_filter_reduce.cpp — ${map{list}{string}}, ${filter{list}{condition}} and
// ${reduce{list}{initial}{string}} (spec 11.5, "Expansion items").
//
// Each item of the list goes into $item in turn. map expands the string for it; filter keeps
// the items for which the condition is true; both build a new list with the input's separator
// (lang::ListWriter). reduce sets $value to the initial string, then to the expansion of the
// string for each item, and yields the final $value. $item and $value are restored afterwards.
// Errors in the per-item part get Exim's suffix (` inside "map" item`, ` inside "filter"
// condition`); the failure kind (forced or not) is kept.
#include "lang/context.h"
#include "lang/lists.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

Status with_suffix(Status st, std::string_view suffix) {
  if (!st.is_ok()) st.message() += suffix;
  return st;
}

// Reads one brace argument, failing with "missing '{' for <which> arg of <name>".
Status named_arg(Parser& p, std::string_view which, std::string_view name, Template& t) {
  p.skip_ws();
  if (p.peek() != '{') {
    return p.error("missing '{' for " + std::string(which) + " arg of " + std::string(name));
  }
  return p.brace_arg(t);
}

// Parse errors inside the per-item part are reported " inside \"<name>\" item".
Status item_arg(Parser& p, std::string_view which, std::string_view name, Template& t) {
  p.skip_ws();
  if (p.peek() != '{') return named_arg(p, which, name, t);
  return with_suffix(p.brace_arg(t), " inside \"" + std::string(name) + "\" item");
}

Status close(Parser& p, std::string_view name) {
  p.skip_ws();
  if (!p.consume('}')) return p.error("missing } at end of \"" + std::string(name) + "\"");
  return Status::ok();
}

class MapNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string text;
    LANG_TRY(list.eval(ctx, text));
    ItemGuard guard(ctx);
    ListReader r(text);
    ListWriter w(r.separator());
    std::string item, result;
    while (r.next(item)) {
      ctx.item = item;
      LANG_TRY(with_suffix(body.eval_to(ctx, result), " inside \"map\" item"));
      w.add(result);
    }
    out += w.str();
    return Status::ok();
  }
  Template list, body;
};

class FilterNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string text;
    LANG_TRY(list.eval(ctx, text));
    ItemGuard guard(ctx);
    ListReader r(text);
    ListWriter w(r.separator());
    std::string item;
    while (r.next(item)) {
      ctx.item = item;
      bool keep = false;
      LANG_TRY(with_suffix(cond->test(ctx, keep), " inside \"filter\" condition"));
      if (keep) w.add(item);
    }
    out += w.str();
    return Status::ok();
  }
  Template list;
  CondPtr cond;
};

class ReduceNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string text, start;
    LANG_TRY(list.eval(ctx, text));
    LANG_TRY(initial.eval(ctx, start));
    ItemGuard item_guard(ctx);
    ValueGuard value_guard(ctx);
    ctx.value = std::move(start);
    ctx.value_set = true;
    ListReader r(text);
    std::string item, next;
    while (r.next(item)) {
      ctx.item = item;
      LANG_TRY(with_suffix(body.eval_to(ctx, next), " inside \"reduce\" item"));
      ctx.value.swap(next);
    }
    out += ctx.value;
    return Status::ok();
  }
  Template list, initial, body;
};

Status parse_map(Parser& p, std::string_view, NodePtr& out) {
  auto n = std::make_unique<MapNode>();
  LANG_TRY(named_arg(p, "first", "map", n->list));
  LANG_TRY(item_arg(p, "last", "map", n->body));
  LANG_TRY(close(p, "map"));
  out = std::move(n);
  return Status::ok();
}

Status parse_filter(Parser& p, std::string_view, NodePtr& out) {
  auto n = std::make_unique<FilterNode>();
  LANG_TRY(named_arg(p, "first", "filter", n->list));
  p.skip_ws();
  if (!p.consume('{')) return p.error("missing '{' for last arg of filter");
  LANG_TRY(with_suffix(p.condition(n->cond), " inside \"filter\" item"));
  p.skip_ws();
  if (!p.consume('}')) {
    return p.error(
        "missing } at end of condition or expression inside \"filter\"; could be an unquoted } "
        "in the content");
  }
  LANG_TRY(close(p, "filter"));
  out = std::move(n);
  return Status::ok();
}

Status parse_reduce(Parser& p, std::string_view, NodePtr& out) {
  auto n = std::make_unique<ReduceNode>();
  LANG_TRY(named_arg(p, "first", "reduce", n->list));
  LANG_TRY(named_arg(p, "second", "reduce", n->initial));
  LANG_TRY(item_arg(p, "last", "reduce", n->body));
  LANG_TRY(close(p, "reduce"));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"filter", parse_filter}, {"map", parse_map}, {"reduce", parse_reduce}});

}  // namespace
}  // namespace lang
