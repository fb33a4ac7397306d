// tests/lang/list_fixture.h — a small expansion fixture for the list tests: named lists like
// the conformance be.conf's, a primary host name, and ex() returning the value or
// "Failed: <message>".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lang/context.h"
#include "lang/expand.h"

namespace testfix {

class Lists : public lang::NamedLists {
 public:
  Lists() {
    using K = lang::ListKind;
    lists_ = {
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
  const lang::NamedList* find(std::string_view name) const override {
    for (const auto& l : lists_)
      if (l.name == name) return &l;
    return nullptr;
  }

 private:
  std::vector<lang::NamedList> lists_;
};

class Vars : public lang::VariableSource {
 public:
  bool get(std::string_view name, std::string& out) const override {
    if (name != "primary_hostname") return false;
    out = "mail.example.com";
    return true;
  }
};

inline std::string ex(std::string_view s) {
  static const Lists lists;
  static const Vars vars;
  lang::EvalContext ctx;
  ctx.lists = &lists;
  ctx.vars = &vars;
  std::string out;
  lang::Status st = lang::expand_string(s, ctx, out);
  if (!st.is_ok()) return "Failed: " + st.message();
  return out;
}

struct Case {
  std::string in;
  std::string want;
};

}  // namespace testfix
