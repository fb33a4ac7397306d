// lang/items/lookup.cpp — ${lookup{key} type {file} {yes}{no}} and ${lookup type {query}
// {yes}{no}} (spec 11.5, "Expansion items"; lookup types in spec chapter 9).
//
// The type is read as written up to white space or '{' and resolved when the string is
// parsed, so an unknown type is a syntax error even in a branch that is never taken. $value
// holds the data in the yes part (the default result); the no part sees $value as it was.
// Both, and the $1/$2 set by partial or default matches, return to their previous values
// after the item.
//
// A query-style type with a quoting rule (sqlite) refuses, when the string is parsed, a query
// that writes a variable holding client data ($local_part, $domain, $sender_address, headers
// ...) straight into the query text: it must go through ${quote_<type>:...} (T-EXP-5 of
// shared/notes/security-tests.md; Exim 4.96 only advises it, and runs the injected query).
//
// Failure: the errors of Exim's expand.c ("missing lookup type", "unknown lookup type \"x\"",
// "missing {key} for single-key \"lsearch\" lookup", ...); a file that cannot be opened gives
// the type's message; a lookup that defers gives "lookup of \"KEY\" gave DEFER: REASON".
#include <cctype>
#include <cstdio>

#include "lang/context.h"
#include "lang/lookup.h"
#include "lang/nodes.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

// Exim's string_printing(): non-printing bytes (tab included) as escapes.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
      continue;
    }
    static constexpr std::string_view kFrom = "\n\r\t\b\f\v\x1b", kTo = "nrtbfve";
    size_t k = kFrom.find(c);
    if (k != std::string_view::npos) {
      out += '\\';
      out += kTo[k];
      continue;
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\%03o", u);
    out += buf;
  }
  return out;
}

class LookupNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    if (ctx.forbid & EvalContext::kForbidLookup) {
      return Status::error("lookup expansions are not permitted");
    }
    std::string key_buf, source_buf;
    std::string_view key, source;
    if (has_key) LANG_TRY(key_arg.eval_view(ctx, key_buf, key));
    LANG_TRY(source_arg.eval_view(ctx, source_buf, source));
    if (!spec.def->query_style && direct_client_data_set(ctx, source_arg)) {
      // Exim 4.94+: a file name built from client data is refused (T-EXP-3).
      return Status::error("Tainted filename for search: '" + printable(source) + "'");
    }
    ValueGuard value_guard(ctx);
    std::vector<std::string> saved = ctx.captures;
    LookupResult r = lookup_run(ctx, spec, source, key);
    Status st;
    if (r.outcome == LookupOutcome::Defer) {
      st = r.at_open ? Status::error(r.message)
                     : Status::error("lookup of \"" + printable(has_key ? key : source) +
                                     "\" gave DEFER: " + r.message);
    } else {
      bool hit = r.outcome == LookupOutcome::Found;
      if (hit) {
        ctx.value = std::move(r.value);
        ctx.value_set = true;
      }
      st = branches.eval(ctx, hit, "lookup", out, ctx.value);  // the default is used on a hit
    }
    ctx.captures = std::move(saved);
    return st;
  }

  bool has_key = false;
  Template key_arg, source_arg;
  LookupSpec spec;
  YesNo branches;
};

// A query of a type with a quoting rule that writes client data in unquoted.
Status check_query_quoting(const Template& query, std::string_view type) {
  size_t pos = 0;
  const VarRef* v = direct_client_data(query, &pos);
  if (v == nullptr) return Status::ok();
  std::string name = variable_spelling(*v);
  return Status::error(name + " (client data) written unquoted into a " + std::string(type) +
                           " query: use ${quote_" + std::string(type) + ":" + name + "}",
                       pos);
}

// The type as written: everything up to white space or '{' (Exim allows any other byte
// there and lets the type parser judge).
std::string_view read_type(Parser& p) {
  size_t b = p.pos();
  while (!p.at_end() && p.peek() != '{' && !is_space_byte(p.peek())) {
    p.advance();
  }
  return p.text().substr(b, p.pos() - b);
}

Status parse_lookup(Parser& p, std::string_view, NodePtr& out) {
  auto n = std::make_unique<LookupNode>();
  p.skip_ws();
  if (p.peek() == '{') {
    LANG_TRY(p.brace_arg(n->key_arg));
    n->has_key = true;
    p.skip_ws();
  }
  if (!std::isalpha(static_cast<unsigned char>(p.peek()))) return p.error("missing lookup type");
  size_t type_pos = p.pos();
  std::string_view type = read_type(p);
  p.skip_ws();
  Status st = lookup_parse_spec(type, n->spec);
  if (!st.is_ok()) return Status::error(st.message(), type_pos);
  if (!n->spec.def->query_style && !n->has_key) {
    return Status::error("missing {key} for single-key \"" + std::string(type) + "\" lookup",
                         type_pos);
  }
  if (n->spec.def->query_style && n->has_key) {
    return Status::error("a single key was given for lookup type \"" + std::string(type) +
                             "\", which is not a single-key lookup type",
                         type_pos);
  }
  if (p.peek() != '{') return p.error("missing '{' for lookup file-or-query arg");
  LANG_TRY(p.brace_arg(n->source_arg));
  if (n->spec.def->query_style && n->spec.def->quote != nullptr)
    LANG_TRY(check_query_quoting(n->source_arg, n->spec.def->name));
  LANG_TRY(p.yes_no(n->branches, "lookup"));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"lookup", parse_lookup}});

}  // namespace
}  // namespace lang
