// engine/acl_trace.h — the ACL trace: what Exim shows of a policy decision with -bh (every
// line prefixed ">>> ") and with -d+acl / -d+lists (spec chapter 5, -bh and -d).
//
// AclTracer is the listener the Evaluator (engine/acl.h) calls as it runs: an ACL starts, a
// statement starts, an item is reached (with its expanded value when it was expanded first),
// a statement's conditions give their answer, an ACL ends, or an item has something to say
// ("delay skipped in -bh checking mode"). The evaluator calls it only when one is installed,
// so an untraced run pays one branch per event and builds no text.
//
// PolicyTrace implements it, and lang::ListTracer for the list matches, in Exim 4.96's
// words: `using ACL "name"`, `processing "deny" (file line)`, `check hosts = +relay`,
// `host in "+relay"? yes (matched "+relay")`, `deny: condition test succeeded in ACL
// "name"`, `end of ACL "name": DENY`, nested ACLs indented one space a level. It reproduces
// Exim's named-list cache only as far as the trace shows it: a static named list already
// matched for the same host (per session) or the same domain, local part or address (per
// top-level ACL run) is shown once, then as `(matched "+name" - cached)`.
//
// Lines go to a sink (stderr by default), each written whole. Nothing here fails.
#pragma once

#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "engine/acl_items.h"
#include "lang/context.h"

namespace engine::acl {

struct Statement;

// How the conditions of a statement came out.
enum class TestResult : unsigned char { Succeeded, Failed, Deferred, Error };

// How an ACL ended, as the trace says it.
enum class AclEnd : unsigned char {
  Accept,
  Deny,
  Defer,
  Discard,
  Drop,
  NotOk,         // a require statement failed
  ImplicitDeny,  // no statement decided
  Endpass,       // accept/discard failed after endpass: "endpass encountered"
  Silent,        // a condition deferred or failed: the statement line said it all
};

class AclTracer {
 public:
  enum class Source : unsigned char { Named, File, Inline };
  virtual ~AclTracer() = default;
  // `depth` is 1 for an ACL run by the session, 2 for one it calls, and so on.
  virtual void acl_begin(int depth, std::string_view name, Source source) = 0;
  virtual void statement_begin(int depth, const Statement& s) = 0;
  // `expanded` is the item's value after expansion, null when it is not expanded first.
  virtual void item(int depth, const Item& item, const std::string* expanded) = 0;
  virtual void statement_end(int depth, Verb verb, TestResult result) = 0;
  virtual void acl_end(int depth, AclEnd how, Verb verb) = 0;
  // `depth` 0: at the depth of the ACL running now (or 1 outside any).
  virtual void note(int depth, std::string_view text) = 0;
  // An item's value is being expanded (on) or is done (off): Exim indents what happens in an
  // expansion (a match_domain condition's list, say) one more level.
  virtual void expanding(bool on) = 0;
};

class PolicyTrace : public AclTracer, public lang::ListTracer {
 public:
  using Sink = std::function<void(std::string_view line)>;
  // `prefix` starts every line (">>> " for -bh). `lists`: show list matches (-bh, -d+lists).
  explicit PolicyTrace(std::string prefix, bool lists = true, Sink sink = {});
  // Extra indentation of every indented line: 2 for ACLs run from -be expansions, as Exim
  // indents what happens inside an expansion.
  void set_base_indent(int n) { base_indent_ = n; }

  void acl_begin(int depth, std::string_view name, Source source) override;
  void statement_begin(int depth, const Statement& s) override;
  void item(int depth, const Item& item, const std::string* expanded) override;
  void statement_end(int depth, Verb verb, TestResult result) override;
  void acl_end(int depth, AclEnd how, Verb verb) override;
  void note(int depth, std::string_view text) override;
  void expanding(bool on) override { expanding_ = on; }

  bool named_begin(lang::ListKind kind, std::string_view name, std::string_view value,
                   std::string_view subject) override;
  void named_end() override;
  void list_result(const Event& e) override;

 private:
  void line(int depth, std::string_view text);  // indented by depth - 1
  void raw_line(std::string_view text);         // not indented
  const std::string& acl_label() const;

  std::string prefix_;
  bool lists_;
  Sink sink_;
  int depth_ = 1;  // of the ACL running now (1: none or outermost)
  bool expanding_ = false;
  int base_indent_ = 0;
  std::vector<std::string> acl_names_;  // `ACL "name"` or `inline ACL`, innermost last
  // The named-list cache as Exim's trace shows it.
  std::set<std::tuple<lang::ListKind, std::string, std::string>> seen_;
  std::vector<bool> named_stack_;  // each open named list: does it hide its lines?
  int hidden_ = 0;
};

}  // namespace engine::acl
