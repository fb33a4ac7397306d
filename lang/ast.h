// lang/ast.h — the tree an expansion string is parsed into.
//
// A Template is a sequence of nodes (literal text, variables, items, operators). Items and
// conditions are subclasses defined beside their parsers (lang/items/, lang/conditions/).
// Trees are immutable after parsing; evaluation state lives in EvalContext, so one tree can be
// evaluated many times and from several sessions.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/node_pool.h"
#include "lang/status.h"

namespace lang {

class EvalContext;

class Node {
 public:
  virtual ~Node() = default;
  // Appends the node's value to `out`.
  virtual Status eval(EvalContext& ctx, std::string& out) const = 0;
  // Set when the node is plain text (lets items resolve constant arguments at parse time);
  // the view is valid while the node lives.
  virtual std::optional<std::string_view> literal() const { return std::nullopt; }
  size_t pos = 0;        // byte offset of the node in the source string
  std::string_view src;  // the node's source text (for traces), valid while the Program lives

  // Trees are built and dropped once per one-off expansion: nodes come from a recycling pool.
  static void* operator new(size_t n) { return node_pool::allocate(n); }
  static void operator delete(void* p, size_t n) noexcept { node_pool::deallocate(p, n); }
};
using NodePtr = std::unique_ptr<Node>;

class Template {
 public:
  Template() = default;
  Template(Template&&) = default;
  Template& operator=(Template&&) = default;

  // Appends the value of the whole sequence to `out`.
  Status eval(EvalContext& ctx, std::string& out) const;
  // Evaluates into `out`, replacing its content.
  Status eval_to(EvalContext& ctx, std::string& out) const {
    out.clear();
    return eval(ctx, out);
  }
  // The value as a view: of the constant text when the template is constant, else of
  // `scratch`, which receives the evaluated value. Saves a copy of constant arguments.
  Status eval_view(EvalContext& ctx, std::string& scratch, std::string_view& out) const {
    if (nodes.size() == 1) {
      if (auto lit = nodes[0]->literal()) {
        out = *lit;
        return Status::ok();
      }
    }
    LANG_TRY(eval_to(ctx, scratch));
    out = scratch;
    return Status::ok();
  }
  // Set when the template is constant text (or empty): its value.
  std::optional<std::string_view> literal() const;
  bool empty() const { return nodes.empty(); }
  Status eval_traced(EvalContext& ctx, std::string& out) const;

  std::vector<NodePtr, node_pool::Allocator<NodePtr>> nodes;
  std::string_view source;  // the text this was parsed from (valid while the owning Program lives)
  size_t pos = 0;           // offset of `source` in the whole string
};

// A condition of ${if ...}, and/or, forall/forany ...
class Cond {
 public:
  virtual ~Cond() = default;
  virtual Status test(EvalContext& ctx, bool& result) const = 0;
  size_t pos = 0;

  static void* operator new(size_t n) { return node_pool::allocate(n); }
  static void operator delete(void* p, size_t n) noexcept { node_pool::deallocate(p, n); }
};
using CondPtr = std::unique_ptr<Cond>;

// Wraps a condition in a negation (the '!' prefix).
CondPtr make_not(CondPtr c);

// The yes/no part shared by ${if}, ${lookup}, ${extract}, ${run}... (Exim's process_yesno).
struct YesNo {
  bool has_yes = false;
  bool has_no = false;
  bool fail = false;  // the `fail` keyword replaced the no part
  Template yes, no;

  // Appends the chosen branch. Without a yes part: `dflt_true` when `cond` holds, else "".
  // `item` names the item in the forced-failure message ("if", "lookup").
  Status eval(EvalContext& ctx, bool cond, std::string_view item, std::string& out,
              std::string_view dflt_true) const;
};

}  // namespace lang
