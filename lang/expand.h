// lang/expand.h — the façade of the expansion language: parse once, evaluate many times.
//
//   lang::Program p;
//   if (auto st = lang::Program::compile("${lc:$domain}", p); !st.is_ok()) ... // syntax error
//   lang::EvalContext ctx; ctx.vars = &my_vars;
//   std::string out;
//   lang::Status st = p.eval(ctx, out);  // Ok, Fail (forced) or Error with Exim's message
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "lang/ast.h"
#include "lang/context.h"
#include "lang/status.h"

namespace lang {

class Program {
 public:
  Program() = default;
  Program(Program&&) = default;
  Program& operator=(Program&&) = default;

  // Parses `text`. On error `out` is left empty and the Status holds the message and offset.
  static Status compile(std::string_view text, Program& out);
  // Evaluates into `out` (replacing its content).
  Status eval(EvalContext& ctx, std::string& out) const;

  const std::string& text() const;
  bool is_literal() const { return tmpl_.literal().has_value(); }

 private:
  std::unique_ptr<std::string> text_;  // stable for the tree's views; null while empty
  Template tmpl_;
};

// Parses and evaluates in one go (${expand:}, -be, one-off strings).
Status expand_string(std::string_view text, EvalContext& ctx, std::string& out);

// Exim's reading of an expanded condition option (server_advertise_condition,
// client_condition, server_mail_auth_condition, bool_lax ...): after trimming white space,
// "", "0", "no" and "false" (any case) are false.
bool is_false_string(std::string_view v);

}  // namespace lang
