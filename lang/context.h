// lang/context.h — everything an evaluation may read or change besides the tree itself.
//
// The core knows no mail: message and session variables, named lists and ACLs reach it
// through the interfaces below, which the engine implements. A default-constructed
// EvalContext works (every external variable empty, no named lists, no ACLs).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/status.h"

namespace lang {

class LookupCache;
struct DnsSettings;  // lang/dns.h

// Variables that live outside the language: $primary_hostname, $sender_address, $h_subject: ...
class VariableSource {
 public:
  virtual ~VariableSource() = default;
  // Sets `out` and returns true when the variable has a value; false means unset (expands to
  // "" and `def:` is false). Only names the catalogue (lang/variables.h) knows are asked for.
  virtual bool get(std::string_view name, std::string& out) const = 0;
  // Header variables: `kind` is "h" (decoded), "rh" (raw), "bh" (body charset), "lh" (list).
  // `name` is the header name without the colon. Returns false when the header is absent.
  virtual bool header(std::string_view kind, std::string_view name, std::string& out) const {
    (void)kind, (void)name, (void)out;
    return false;
  }
};

// Named lists of the configuration (domainlist, hostlist, addresslist, localpartlist).
enum class ListKind : unsigned char { Domain, Host, Address, LocalPart };
struct NamedList {
  ListKind kind;
  std::string name;
  std::string value;  // the list text as written (expanded when used)
};
class NamedLists {
 public:
  virtual ~NamedLists() = default;
  virtual const NamedList* find(std::string_view name) const = 0;
};

// ACLs, for ${acl {name}{args...}} and the `acl` condition.
enum class AclVerdict : unsigned char { Accept, Deny, Defer, Discard, Drop, Error };
class AclRunner {
 public:
  virtual ~AclRunner() = default;
  // Runs ACL `name` with $acl_arg1.. set to `args`. `message` receives the `message =` text
  // of the verb that decided (or an error description for Error).
  virtual AclVerdict run(std::string_view name, const std::vector<std::string>& args,
                         std::string& message) = 0;
};

// Receives a line for each evaluated step when -d+expand is on.
class Tracer {
 public:
  virtual ~Tracer() = default;
  virtual void trace(int depth, std::string_view what, std::string_view result) = 0;
};

// Receives the outcome of every list match when the policy trace is on (-bh, -d+lists):
// what Exim shows as `subject in "list"? yes (matched "item")`. The list matchers call it
// only through EvalContext::list_tracer, so with no tracer they pay one branch per list.
class ListTracer {
 public:
  enum class How : unsigned char {
    Matched,      // `item` decided (a negated item decides "no")
    EndOfList,    // no item decided: the answer is the sense of the last item
    OptionUnset,  // the list is an option that is not set
    Deferred,     // the match could not be done (`item`: why)
  };
  struct Event {
    ListKind kind = ListKind::Domain;
    std::string_view subject;  // "host" for host lists, as Exim says
    std::string_view list;     // the list as matched, or an option's name (see is_option)
    bool is_option = false;    // `list` is an option name, shown without quotes
    bool yes = false;
    How how = How::EndOfList;
    std::string_view item;  // Matched: the deciding item as written (with its '!')
    bool cached = false;    // Matched: the item is a named list whose result was reused
  };
  virtual ~ListTracer() = default;
  // A named list ("+name", whose text is `value`) is about to be matched against `subject`.
  // True when Exim would reuse an earlier result for it (its named-list cache): the lines of
  // that inner match are then not shown, and the outer line says "cached".
  virtual bool named_begin(ListKind kind, std::string_view name, std::string_view value,
                           std::string_view subject) = 0;
  virtual void named_end() = 0;
  virtual void list_result(const Event& e) = 0;
};


class EvalContext {
 public:
  EvalContext();
  ~EvalContext();
  EvalContext(const EvalContext&) = delete;
  EvalContext& operator=(const EvalContext&) = delete;

  // Interfaces (not owned; may be null).
  const VariableSource* vars = nullptr;
  const NamedLists* lists = nullptr;
  AclRunner* acl = nullptr;
  Tracer* tracer = nullptr;
  ListTracer* list_tracer = nullptr;  // -bh / -d+lists: each list match's outcome
  const DnsSettings* dns = nullptr;  // the resolver and dns_* options; null: the defaults

  // Language state.
  std::string value;                  // $value (lookup, extract, run, ...)
  bool value_set = false;             // false before any item sets it
  std::string item;                   // $item (map, filter, reduce, forall, forany, sort)
  std::vector<std::string> captures;  // $0, $1, ... from the last successful match
  int runrc = 0;                      // $runrc
  std::vector<std::string> acl_args;  // $acl_arg1..$acl_arg9 ($acl_narg is its size)
  std::map<std::string, std::string, std::less<>> acl_vars;  // $acl_c*, $acl_m*
  std::string lookup_value_sep;                              // reserved
  // Catalogue variables that items set themselves ($prvscheck_address, $prvscheck_keynum,
  // $prvscheck_result, $srs_recipient); consulted before `vars`.
  std::map<std::string, std::string, std::less<>> item_vars;

  // Items that are refused in this evaluation (Exim's expand_forbid): set for untrusted
  // strings such as filter files, and by the fuzz targets.
  enum Forbid : unsigned {
    kForbidRun = 1,
    kForbidReadFile = 2,
    kForbidReadSocket = 4,
    kForbidLookup = 8,
    kForbidEnv = 16
  };
  unsigned forbid = 0;

  int depth = 0;  // nesting of items, bounded to stop runaway recursion
  static constexpr int kMaxDepth = 1000;

  LookupCache& lookups();  // per-process cache of open lookup files and results

 private:
  std::unique_ptr<LookupCache> lookups_;
};

// Saves $value (and whether it was set) and restores it on scope exit.
class ValueGuard {
 public:
  explicit ValueGuard(EvalContext& c) : c_(c), saved_(c.value), saved_set_(c.value_set) {}
  ~ValueGuard() {
    c_.value = std::move(saved_);
    c_.value_set = saved_set_;
  }
  ValueGuard(const ValueGuard&) = delete;
  ValueGuard& operator=(const ValueGuard&) = delete;

 private:
  EvalContext& c_;
  std::string saved_;
  bool saved_set_;
};

// Saves $item and restores it on scope exit.
class ItemGuard {
 public:
  explicit ItemGuard(EvalContext& c) : c_(c), saved_(c.item) {}
  ~ItemGuard() { c_.item = std::move(saved_); }
  ItemGuard(const ItemGuard&) = delete;
  ItemGuard& operator=(const ItemGuard&) = delete;

 private:
  EvalContext& c_;
  std::string saved_;
};

}  // namespace lang
