// tests/lang/expand_helper.h — what the lang tests share: expanding a string to its value or
// its failure text, contexts with given named lists and variables, and the table row type.
//
//   ex("${lc:A}")              "a"; errors and forced failures give "Failed: <message>", as
//                              exim -be prints them
//   ex_forced("${if ...fail}") like ex(), but a forced failure gives "Forced: <message>"
//   Context c({{lang::ListKind::Domain, "d", "a:b"}}, {{"primary_hostname", "h"}});
//   c.ex("${if match_domain{a}{+d}}")   an EvalContext (c.ctx) wired to those tables
//   be::ex("...")              in a context with the named lists and $primary_hostname of the
//                              conformance be.conf
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lang/context.h"
#include "lang/expand.h"

namespace testlang {

// A row of a table-driven test: the input and the wanted output.
struct Case {
  std::string in;
  std::string want;
};

// The value of `s` expanded in `ctx`, or "Failed: <message>".
inline std::string ex(lang::EvalContext& ctx, std::string_view s) {
  std::string out;
  lang::Status st = lang::expand_string(s, ctx, out);
  return st.is_ok() ? out : "Failed: " + st.message();
}

inline std::string ex(std::string_view s) {
  lang::EvalContext ctx;
  return ex(ctx, s);
}

// Like ex(), telling a forced failure ("Forced: <message>") from an error.
inline std::string ex_forced(lang::EvalContext& ctx, std::string_view s) {
  std::string out;
  lang::Status st = lang::expand_string(s, ctx, out);
  if (st.is_fail()) return "Forced: " + st.message();
  return st.is_ok() ? out : "Failed: " + st.message();
}

inline std::string ex_forced(std::string_view s) {
  lang::EvalContext ctx;
  return ex_forced(ctx, s);
}

// Named lists given as a table.
class ListTable : public lang::NamedLists {
 public:
  explicit ListTable(std::vector<lang::NamedList> lists = {}) : lists_(std::move(lists)) {}
  const lang::NamedList* find(std::string_view name) const override {
    for (const auto& l : lists_) {
      if (l.name == name) return &l;
    }
    return nullptr;
  }

 private:
  std::vector<lang::NamedList> lists_;
};

// Variables given as a table (name without '$' -> value); names not in it are unset.
class VarTable : public lang::VariableSource {
 public:
  using Map = std::map<std::string, std::string, std::less<>>;
  explicit VarTable(Map vars = {}) : vars_(std::move(vars)) {}
  bool get(std::string_view name, std::string& out) const override {
    auto it = vars_.find(name);
    if (it == vars_.end()) return false;
    out = it->second;
    return true;
  }

 private:
  Map vars_;
};

// An EvalContext with the given named lists and variables (owned by the Context).
class Context {
 public:
  explicit Context(std::vector<lang::NamedList> lists = {}, VarTable::Map vars = {})
      : lists_(std::move(lists)), vars_(std::move(vars)) {
    ctx.lists = &lists_;
    ctx.vars = &vars_;
  }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  std::string ex(std::string_view s) { return testlang::ex(ctx, s); }

  lang::EvalContext ctx;

 private:
  ListTable lists_;
  VarTable vars_;
};

namespace be {

// The named lists of the conformance be.conf, and a few made for the list tests.
inline std::vector<lang::NamedList> lists() {
  using K = lang::ListKind;
  return {
      {K::Domain, "local_domains", "example.com : example.org : *.example.net : @"},
      {K::Domain, "regex_domains", "^\\N[a-z]+[0-9]+\\.example\\.com$\\N : *.test"},
      {K::Domain, "nested_domains", "+local_domains : other.example"},
      {K::Domain, "loop", "+loop"},
      {K::Domain, "semi", "<; a:b ; c;;d"},
      {K::Domain, "failing", "${if eq{1}{2}{x}fail}"},
      {K::Host, "relay_from_hosts", "127.0.0.1 : ::::1 : 192.168.0.0/16"},
      {K::Address, "blocked_senders", "spammer@bad.example : *@junk.example : ^\\Nbulk-\\d+@\\N"},
      {K::LocalPart, "admin_parts", "root : postmaster : abuse"},
  };
}

inline VarTable::Map vars() {
  return {{"primary_hostname", "mail.example.com"}};
}

// A fresh context (no captures, no $value) with be.conf's lists and variables.
class Fixture : public Context {
 public:
  Fixture() : Context(lists(), vars()) {}
};

inline std::string ex(std::string_view s) {
  Fixture f;
  return f.ex(s);
}

}  // namespace be
}  // namespace testlang
