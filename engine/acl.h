// engine/acl.h — access control lists (spec chapter 44): loading and running them.
//
// load() compiles every ACL block of the configuration: each statement is a verb line
// (accept, defer, deny, discard, drop, require, warn) followed by condition/modifier lines,
// one per line; every value is compiled as an expansion at load time. Unknown conditions,
// bad `set` names and expansion syntax errors are configuration errors, all reported
// ("file:line: error in ACL: unknown ACL condition/modifier in \"accept nosuch = 1\"").
//
// Evaluator runs them for one evaluation context (an -be run, later an SMTP session) and is
// the lang::AclRunner behind ${acl} and the `acl` condition. A name that is not an ACL of the
// configuration is read as a file when it starts with '/', else as an inline ACL (its text
// is the ACL); both are compiled once and kept. A broken inline ACL, a file that cannot be
// read or nesting deeper than 20 give AclVerdict::Error. Log lines (warn's log_message,
// logwrite, deferred warn statements, failed message expansions) go to the log sink, stderr
// with a time stamp by default. With a tracer installed (set_tracer), every step is reported
// to it (engine/acl_trace.h).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/acl_items.h"
#include "engine/acl_trace.h"
#include "engine/config/config.h"
#include "lang/context.h"
#include "util/result.h"

namespace engine::acl {

class SessionHooks;  // engine/acl_session.h

struct Statement {
  Verb verb = Verb::Deny;
  std::vector<Item> items;
  util::SourceLoc loc;
  int last_line = 0;  // where the verb's line ends (continuations), which Exim's trace shows
};

struct Acl {
  std::string name;
  std::vector<Statement> statements;
};

// All the named ACLs of a configuration, compiled.
class AclSet {
 public:
  const Acl* find(std::string_view name) const;
  void add(Acl acl) { acls_.push_back(std::make_unique<Acl>(std::move(acl))); }

 private:
  std::vector<std::unique_ptr<Acl>> acls_;
};

// Compiles one ACL from its lines. Every error is collected into `errors`.
Acl compile_acl(std::string name, const std::vector<config::Line>& lines,
                std::vector<util::Error>& errors);
// Compiles the configuration's ACL blocks; the error lists every problem, one per line.
util::Result<AclSet> load(const config::Config& cfg);

class Evaluator : public lang::AclRunner {
 public:
  static constexpr int kMaxDepth = 20;
  using LogSink = std::function<void(std::string_view line)>;

  Evaluator(const AclSet& acls, lang::EvalContext& ctx);

  // lang::AclRunner: runs `name` with $acl_arg1.. = args.
  lang::AclVerdict run(std::string_view name, const std::vector<std::string>& args,
                       std::string& message) override;
  // Runs `name` at nesting `depth`, with the caller's message slot.
  lang::AclVerdict run_nested(std::string_view name, const std::vector<std::string>& args,
                              std::string& message, int depth);

  void set_log_sink(LogSink sink) { log_ = std::move(sink); }
  // After run(): the text for the log line of a refusal (the deciding statement's
  // log_message, or why a condition could not be tested), "" when there is none.
  const std::string& log_message() const { return log_message_; }
  void log(std::string_view line) const { log_(line); }

  // The SMTP session the ACLs run for (null outside one), for the items that need it.
  void set_session(SessionHooks* s) { session_ = s; }
  SessionHooks* session() const { return session_; }

  // The trace listener (-bh, -d+acl); null: no trace, and no cost beyond a test per event.
  void set_tracer(AclTracer* t) { tracer_ = t; }
  AclTracer* tracer() const { return tracer_; }

 private:
  // The ACL called `name`; null when it cannot be had. Inline and file ACLs are shared so
  // that trimming the cache never frees one that is running.
  std::shared_ptr<const Acl> resolve(std::string_view name);
  // Where `name` comes from, for the trace.
  AclTracer::Source source_of(std::string_view name) const;
  lang::AclVerdict run_acl(const Acl& acl, std::string& message, int depth);

  const AclSet& acls_;
  lang::EvalContext& ctx_;
  std::map<std::string, std::shared_ptr<const Acl>, std::less<>> extra_;  // inline, file ACLs
  static constexpr size_t kMaxExtra = 256;  // the cache is emptied when it grows past this
  LogSink log_;
  int depth_ = 0;  // depth of the current ${acl} chain, for loops through expansions
  SessionHooks* session_ = nullptr;
  AclTracer* tracer_ = nullptr;
  std::string log_message_;
};

}  // namespace engine::acl
