// lang/conditions/forall.cpp — forall{list}{condition}, forany{list}{condition} and the JSON
// forms forall_json, forany_json, forall_jsons, forany_jsons (spec 11.7).
//
// The condition is tested with $item set to each item in turn ($item is restored afterwards).
// forany is true when it holds for some item; forall when it holds for every item of a
// non-empty list (an empty list gives false, as in Exim). The _json forms take a JSON array:
// its elements are cut at top-level commas (brackets and braces nest; quotes are not
// considered, as in Exim), with leading white space dropped; an empty element ends the array.
// _jsons also strips the quotes of string elements (escapes are kept as written).
// Errors: "missing { after \"forany\"", "missing } at end of condition inside \"forany\"",
// errors of the condition + " inside \"forany\" condition", a non-array argument, and
// "missing '\"' wrapping string result for extract jsons".
#include <cctype>

#include "lang/context.h"
#include "lang/lists.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

enum class Source : unsigned char { List, Json, JsonStrings };

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Splits a JSON array into its elements (see the header comment).
Status json_elements(std::string_view s, std::vector<std::string>& out) {
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  if (i >= s.size() || s[i] != '[') return Status::error("JSON array expected");
  ++i;
  while (true) {
    while (i < s.size() && is_space(s[i])) ++i;
    size_t start = i;
    int depth = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (depth == 0 && (c == ',' || c == ']')) break;
      if (c == '[' || c == '{') ++depth;
      if (c == ']' || c == '}') --depth;
    }
    if (i >= s.size()) return Status::error("JSON array not terminated");
    if (i == start) return Status::ok();
    out.emplace_back(s.substr(start, i - start));
    if (s[i++] == ']') return Status::ok();
  }
}

// The content of a JSON string element, between its quotes.
Status json_string(std::string& item) {
  size_t b = 0;
  while (b < item.size() && is_space(item[b])) ++b;
  if (b < item.size() && item[b] == '"') {
    for (size_t e = b + 1; e < item.size(); ++e) {
      if (item[e] == '\\') {
        ++e;
      } else if (item[e] == '"') {
        item = item.substr(b + 1, e - b - 1);
        return Status::ok();
      }
    }
  }
  return Status::error("missing '\"' wrapping string result for extract jsons");
}

class ForCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    std::string text;
    LANG_TRY(list.eval(ctx, text));
    std::vector<std::string> items;
    if (source == Source::List) {
      ListReader reader(text);
      std::string item;
      while (reader.next(item)) items.push_back(item);
    } else {
      LANG_TRY(json_elements(text, items));
    }
    ItemGuard guard(ctx);
    r = false;
    for (auto& item : items) {
      if (source == Source::JsonStrings) LANG_TRY(json_string(item));
      ctx.item = item;
      bool v = false;
      Status st = cond->test(ctx, v);
      if (!st.is_ok()) {
        st.message() += " inside \"" + name + "\" condition";
        return st;
      }
      r = v;
      if (v != is_all) return Status::ok();
    }
    return Status::ok();
  }
  std::string name;
  bool is_all = false;
  Source source = Source::List;
  Template list;
  CondPtr cond;
};

Status parse_for(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<ForCond>();
  c->name = std::string(name);
  c->is_all = name.substr(0, 6) == "forall";
  c->source = name.ends_with("_jsons")  ? Source::JsonStrings
              : name.ends_with("_json") ? Source::Json
                                        : Source::List;
  const std::string missing = "missing { after \"" + c->name + "\"";
  p.skip_ws();
  if (p.peek() != '{') return p.error(missing);
  LANG_TRY(p.brace_arg(c->list));
  p.skip_ws();
  if (!p.consume('{')) return p.error(missing);
  Status st = p.condition(c->cond);
  if (!st.is_ok()) {
    st.message() += " inside \"" + c->name + "\" condition";
    return st;
  }
  p.skip_ws();
  if (!p.consume('}')) return p.error("missing } at end of condition inside \"" + c->name + "\"");
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({{"forall", parse_for},
                              {"forany", parse_for},
                              {"forall_json", parse_for},
                              {"forany_json", parse_for},
                              {"forall_jsons", parse_for},
                              {"forany_jsons", parse_for}});

}  // namespace
}  // namespace lang
