// engine/acl_items.h — the table of ACL conditions and modifiers (spec chapter 44,
// "Access control lists", sections 21 and 26).
//
// Each condition or modifier is one ItemDef {name, kind, parse, eval}, registered by an
// AclItemRegistrar at the end of the file that implements it (engine/acl_basic.cpp has the
// ones that need no SMTP session). Adding one (hosts, domains, verify ...) touches only its
// own file. Load-time: `parse` may check or pre-process the value (a bad one is a config
// error). Run-time: the value is expanded first (unless `expand` is false), then `eval` says
// what it means for the statement.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lang/context.h"
#include "lang/expand.h"
#include "util/source_loc.h"

namespace engine::acl {

enum class Verb : unsigned char { Accept, Defer, Deny, Discard, Drop, Require, Warn };

enum class ItemKind : unsigned char {
  Condition,  // true / false; may be negated with '!'
  Modifier,   // acts or records something; never negated
};

// What evaluating one item gives the statement.
enum class Check : unsigned char {
  True,     // condition holds / modifier done: go on with the next item
  False,    // condition does not hold
  Defer,    // cannot be decided now (temporary problem)
  Error,    // configuration or expansion error
  Discard,  // a nested ACL discarded: true, and accept/discard become discard
  Drop,     // a nested ACL dropped: false, and a resulting deny becomes drop
};

struct ItemDef;

// One condition or modifier of a statement, as written and compiled.
struct Item {
  const ItemDef* def = nullptr;
  bool negated = false;
  std::string var;   // `set`: the variable name (acl_c..., acl_m...)
  std::string text;  // the value as written
  lang::Program value;
  std::vector<lang::Program> words;  // for items whose value is split before expansion (acl)
  util::SourceLoc loc;
};

class RunState;
class Evaluator;

struct ItemDef {
  std::string_view name;
  ItemKind kind = ItemKind::Condition;
  bool takes_value = true;  // false: the item is a bare word (endpass)
  bool expand = true;       // expand the value before `eval` (message texts wait for the verb)
  // Load-time check of `item` (its text is set and compiled); returns an error text or "".
  std::string (*parse)(Item& item) = nullptr;
  Check (*eval)(RunState& st, const Item& item, const std::string& value) = nullptr;
};

const ItemDef* find_item(std::string_view name);
std::vector<std::string_view> item_names();
void register_item(const ItemDef& d);
struct AclItemRegistrar {
  explicit AclItemRegistrar(std::initializer_list<ItemDef> defs) {
    for (const auto& d : defs) register_item(d);
  }
};

// The state of one statement being evaluated, offered to `eval`.
class RunState {
 public:
  RunState(Evaluator& e, lang::EvalContext& c, Verb v, int d, std::string& msg)
      : evaluator(e), ctx(c), verb(v), depth(d), user_message(msg) {}

  Evaluator& evaluator;
  lang::EvalContext& ctx;
  Verb verb;
  int depth;                          // nesting of ACL calls (1 for the outermost)
  std::string& user_message;          // the message slot shared with nested ACLs
  const Item* message = nullptr;      // last `message =` seen in this statement
  const Item* log_message = nullptr;  // last `log_message =` seen
  bool endpass = false;               // `endpass` seen
  std::string defer_reason;           // why a condition deferred or failed (for the log)
  std::string condition_log;          // a failed verify's own log text (without log_message)

  // Runs a nested ACL (the `acl` condition). Sets $acl_arg1.. for the call.
  lang::AclVerdict call_acl(std::string_view name, const std::vector<std::string>& args);
  // Writes a line to the log (stderr for now).
  void log(std::string_view line);
  // The trace (engine/acl_trace.h): whether one is on, and a remark for it. Build the text
  // only when tracing() is true.
  bool tracing() const;
  void trace_note(std::string_view text);
};

}  // namespace engine::acl
