// lang/items/substr_length.cpp — the item forms ${length{N}{s}}, ${substr{A}{B}{s}},
// ${hash{N}{M}{s}} and ${nhash{N}{M}{s}} (spec 11.5, "Expansion items"); the middle number is
// optional for substr, hash and nhash. The work is done by lang/operators/hash.h.
//
// Numbers are read as strtol does and then wrapped to 32 bits, as Exim stores them in an int
// (so 99999999999999999999 is -1); an empty argument is 0. The first number of substr, hash
// and nhash may be signed ("\"x\" is not a number (in \"hash\" expansion)"); the length of
// length and the second number must be >= 0 ("... is not a positive number ...").
#include "lang/context.h"
#include "lang/operators/hash.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

enum class Fn : unsigned char { Length, Substr, Hash, Nhash };

class TextItem : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::vector<std::string> v(args.size());
    for (size_t k = 0; k < args.size(); ++k) LANG_TRY(args[k].eval_to(ctx, v[k]));
    long first = 0, second = -1;
    LANG_TRY(number(v[0], fn != Fn::Length, first));
    if (v.size() == 3) LANG_TRY(number(v[1], false, second));
    const std::string& s = v.back();
    switch (fn) {
      case Fn::Length:
        text::length(s, first, out);
        return Status::ok();
      case Fn::Substr:
        text::substr(s, first, second, out);
        return Status::ok();
      case Fn::Hash:
        return text::hash(s, first, second, out);
      case Fn::Nhash:
        return text::nhash(s, first, second, out);
    }
    return Status::ok();
  }

  Fn fn = Fn::Length;
  std::string name;
  std::vector<Template> args;

 private:
  Status number(const std::string& s, bool signed_ok, long& out) const {
    bool ok = text::read_long(s, out);
    out = static_cast<int>(out);  // Exim keeps these numbers in an int: large values wrap
    if (ok && (signed_ok || out >= 0)) return Status::ok();
    return Status::error("\"" + s + "\" is not a " + (signed_ok ? "" : "positive ") +
                         "number (in \"" + name + "\" expansion)");
  }
};

Status parse_text_item(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<TextItem>();
  n->name = std::string(name);
  if (name == "length")
    n->fn = Fn::Length;
  else if (name == "substr")
    n->fn = Fn::Substr;
  else if (name == "hash")
    n->fn = Fn::Hash;
  else
    n->fn = Fn::Nhash;
  LANG_TRY(p.read_args(name, 2, n->fn == Fn::Length ? 2 : 3, n->args));
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({
    {"length", parse_text_item},
    {"substr", parse_text_item},
    {"hash", parse_text_item},
    {"nhash", parse_text_item},
});

}  // namespace
}  // namespace lang
