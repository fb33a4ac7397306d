// lang/operators/list.cpp — ${listcount:list} and ${listnamed:name}, ${listnamed_<t>:name}
// (spec 11.6, "Expansion operators").
//
// listcount counts the items of a list (lang/lists.h rules). listnamed returns the text of a
// named list of the configuration (through ctx.lists): its items joined by " : ", with "+name"
// items replaced by the referenced list (same rules, same type filter), without expanding
// anything. Items of a list whose separator is not ':' get their colons doubled.
// The optional suffix letter a/d/h/l restricts the search to address, domain, host or local
// part lists. Errors: "\"x\" is not a named list", "\"x\" is not a host named list",
// "bad suffix on \"list\" operator".
#include <optional>

#include "lang/context.h"
#include "lang/lists.h"
#include "lang/registry.h"

namespace lang {
namespace {

constexpr int kMaxNesting = 50;

Status op_listcount(EvalContext&, std::string_view arg, const OpSuffix&, std::string& out) {
  ListReader r(arg);
  std::string item;
  long n = 0;
  while (r.next(item)) ++n;
  out += std::to_string(n);
  return Status::ok();
}

const char* kind_word(ListKind k) {
  switch (k) {
    case ListKind::Domain:
      return "domain";
    case ListKind::Host:
      return "host";
    case ListKind::Address:
      return "address";
    case ListKind::LocalPart:
      return "localpart";
  }
  return "";
}

Status render(const EvalContext& ctx, std::string_view name, std::optional<ListKind> kind,
              int depth, std::string& out) {
  const NamedList* nl = ctx.lists ? ctx.lists->find(name) : nullptr;
  if (!nl || (kind && nl->kind != *kind)) {
    std::string what = kind ? std::string(kind_word(*kind)) + " named list" : "named list";
    return Status::error("\"" + std::string(name) + "\" is not a " + what);
  }
  if (depth > kMaxNesting)
    return Status::error("named list \"" + std::string(name) + "\" nested too deeply");
  ListReader r(nl->value);
  const bool recolon = r.separator() != ':';
  std::string item;
  bool first = true;
  while (r.next(item)) {
    if (!first) out += " : ";
    first = false;
    if (!item.empty() && item[0] == '+') {
      LANG_TRY(render(ctx, std::string_view(item).substr(1), kind, depth + 1, out));
      continue;
    }
    for (char c : item) {
      out += c;
      if (recolon && c == ':') out += c;
    }
  }
  return Status::ok();
}

Status op_listnamed(EvalContext& ctx, std::string_view arg, const OpSuffix& suffix,
                    std::string& out) {
  std::optional<ListKind> kind;
  if (suffix.present) {
    switch (suffix.text.empty() ? '\0' : suffix.text[0]) {
      case 'a':
        kind = ListKind::Address;
        break;
      case 'd':
        kind = ListKind::Domain;
        break;
      case 'h':
        kind = ListKind::Host;
        break;
      case 'l':
        kind = ListKind::LocalPart;
        break;
      default:
        return Status::error("bad suffix on \"list\" operator");
    }
  }
  if (!arg.empty() && arg[0] == '+') arg.remove_prefix(1);
  return render(ctx, arg, kind, 0, out);
}

const OperatorRegistrar reg({{"listcount", op_listcount},
                             {"listnamed", op_listnamed, SuffixKind::Text}});

}  // namespace
}  // namespace lang
