// lang/items/extract.cpp — ${extract{key}{string}...}, ${extract{n}{seps}{string}...} and
// ${extract json|jsons{key-or-n}{json}...} (spec 11.5, "Expansion items").
//
// The form is chosen by the key: after trimming, an optional '-' followed only by digits
// selects a numbered field, anything else a named one. A constant key is classified when the
// string is parsed, giving Exim's syntax errors there; a key built at run time is classified
// at evaluation. While the yes part is expanded $value holds the extracted text; the previous
// $value comes back afterwards. Errors: an empty key, a non-positive JSON index, JSON that is
// not wrapped as the key requires (Exim's "missing '{' wrapping object for extract json").
#include <cctype>

#include "lang/context.h"
#include "lang/escapes.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/strings.h"

namespace lang {
namespace {

enum class Form : unsigned char { Unknown, Named, Numbered };

bool is_space(char c) {
  return is_space_byte(c);
}

// Exim's test for a field number: optional '-', then only digits (possibly none).
bool key_is_number(std::string_view k) {
  if (!k.empty() && k[0] == '-') k.remove_prefix(1);
  for (char c : k)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// Saturating conversion of a key accepted by key_is_number().
long long key_number(std::string_view k) {
  bool neg = !k.empty() && k[0] == '-';
  if (neg) k.remove_prefix(1);
  long long v = 0;
  for (char c : k) v = v > 100000000000LL ? v : v * 10 + (c - '0');
  return neg ? -v : v;
}

// Reads a value at s[i]: a "quoted string" (with escapes) or text up to white space.
std::string dequote(std::string_view s, size_t& i) {
  std::string out;
  if (i < s.size() && s[i] == '"') {
    ++i;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) {
        i = decode_escape(s, i + 1, out);
      } else {
        out += s[i++];
      }
    }
    if (i < s.size()) ++i;
    return out;
  }
  while (i < s.size() && !is_space(s[i])) out += s[i++];
  return out;
}

// "k1=v1 k2 = "v 2" k3 v3": '=' and the spaces around it are optional; keys are caseless.
bool extract_named(std::string_view key, std::string_view s, std::string& value) {
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  while (i < s.size()) {
    size_t kb = i;
    while (i < s.size() && s[i] != '=' && !is_space(s[i])) ++i;
    std::string_view dkey = s.substr(kb, i - kb);
    while (i < s.size() && is_space(s[i])) ++i;
    if (i < s.size() && s[i] == '=') {
      ++i;
      while (i < s.size() && is_space(s[i])) ++i;
    }
    std::string data = dequote(s, i);
    if (util::iequals(dkey, key)) {
      value = std::move(data);
      return true;
    }
    while (i < s.size() && is_space(s[i])) ++i;
  }
  return false;
}

// Field n (1-based; negative counts from the end; 0 is the whole string) of `s`, fields being
// separated by any character of `seps`.
bool extract_numbered(long long n, std::string_view seps, std::string_view s, std::string& value) {
  if (n == 0) {
    value = std::string(s);
    return true;
  }
  std::vector<std::string_view> fields;
  size_t b = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || seps.find(s[i]) != std::string_view::npos) {
      fields.push_back(s.substr(b, i - b));
      b = i + 1;
    }
  }
  long long count = static_cast<long long>(fields.size());
  long long idx = n > 0 ? n - 1 : count + n;
  if (idx < 0 || idx >= count) return false;
  value = std::string(fields[static_cast<size_t>(idx)]);
  return true;
}

// ---- JSON (Exim's light-weight reading: no full parse, strings are not tokenised) ----

bool json_dewrap(std::string_view s, char left, char right, std::string_view& out) {
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  if (i >= s.size() || s[i] != left) return false;
  size_t e = s.rfind(right);
  if (e == std::string_view::npos || e <= i) return false;
  out = s.substr(i + 1, e - i - 1);
  return true;
}

// Next comma-separated element at bracket depth 0; false at the end or when unbalanced.
bool json_next(std::string_view& list, std::string_view& item) {
  size_t i = 0;
  while (i < list.size() && is_space(list[i])) ++i;
  size_t b = i;
  int arrays = 0, objects = 0;
  for (; i < list.size() && (list[i] != ',' || arrays != 0 || objects != 0); ++i) {
    switch (list[i]) {
      case '[':
        ++arrays;
        break;
      case ']':
        --arrays;
        break;
      case '{':
        ++objects;
        break;
      case '}':
        --objects;
        break;
      default:
        break;
    }
  }
  if (i == b || arrays != 0 || objects != 0) return false;
  item = list.substr(b, i - b);
  list = list.substr(i < list.size() ? i + 1 : i);
  return true;
}

Status json_member(std::string_view key, std::string_view json, bool& found, std::string& value) {
  std::string_view list, elem;
  if (!json_dewrap(json, '{', '}', list)) {
    return Status::error("missing '{' wrapping object for extract json");
  }
  while (json_next(list, elem)) {
    size_t i = 0;
    size_t q = elem[0] == '"' ? elem.find('"', 1) : std::string_view::npos;
    if (q == std::string_view::npos)
      return Status::error("missing '\"' wrapping string key for extract json");
    std::string_view name = elem.substr(1, q - 1);
    i = q + 1;
    while (i < elem.size() && is_space(elem[i])) ++i;
    if (i >= elem.size() || elem[i] != ':') {
      return Status::error("missing object value-separator for extract json");
    }
    ++i;
    while (i < elem.size() && is_space(elem[i])) ++i;
    if (name == key) {
      found = true;
      value = std::string(elem.substr(i));
      return Status::ok();
    }
  }
  return Status::ok();
}

Status json_element(long long n, std::string_view json, bool& found, std::string& value) {
  if (n <= 0) return Status::error("first argument of \"extract\" must be greater than zero");
  std::string_view list, elem;
  if (!json_dewrap(json, '[', ']', list)) {
    return Status::error("missing '[' wrapping array for extract json");
  }
  for (long long k = 1; json_next(list, elem); ++k) {
    if (k == n) {
      found = true;
      value = std::string(elem);
      return Status::ok();
    }
  }
  return Status::ok();
}

class ExtractNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override;
  Status find(EvalContext& ctx, std::string_view k, bool& found, std::string& value,
              size_t& used) const;
  Status pick_branch(EvalContext& ctx, size_t used, bool found, const std::string& value,
                     std::string& out) const;
  bool json = false, jsons = false;
  Template key;
  std::vector<Template> rest;  // [separators,] string, then the yes and no parts
  bool fail = false;           // "fail" instead of the no part
};

Status ExtractNode::find(EvalContext& ctx, std::string_view k, bool& found, std::string& value,
                         size_t& used) const {
  bool numbered = key_is_number(k);
  used = numbered && !json ? 2 : 1;
  if (rest.size() < used) {
    return Status::error("missing '{' for arg " + std::to_string(used + 1) + " of extract");
  }
  std::string a_buf, b_buf;
  std::string_view a, b;
  LANG_TRY(rest[0].eval_view(ctx, a_buf, a));
  if (json) {
    Status st =
        numbered ? json_element(key_number(k), a, found, value) : json_member(k, a, found, value);
    LANG_TRY(st);
    if (found && jsons) {
      std::string_view inner;
      if (!json_dewrap(value, '"', '"', inner)) {
        return Status::error("missing '\"' wrapping string result for extract jsons");
      }
      value = std::string(inner);
    }
    return Status::ok();
  }
  if (!numbered) {
    found = extract_named(k, a, value);
    return Status::ok();
  }
  LANG_TRY(rest[1].eval_view(ctx, b_buf, b));
  found = extract_numbered(key_number(k), a, b, value);
  return Status::ok();
}

Status ExtractNode::pick_branch(EvalContext& ctx, size_t used, bool found, const std::string& value,
                                std::string& out) const {
  size_t branches = rest.size() - used;
  if (branches > 2) {
    return Status::error(
        "curly-bracket problem in conditional yes/no parsing: did not close with '}'\n"
        " remaining string is '{" +
        std::string(rest[used + 2].source) + "}}'");
  }
  if (found && branches == 0) {
    out += value;
    return Status::ok();
  }
  ValueGuard guard(ctx);
  ctx.value = value;
  ctx.value_set = found;
  if (found) return rest[used].eval(ctx, out);
  if (branches == 2) return rest[used + 1].eval(ctx, out);
  if (fail && branches == 1) return Status::fail("\"extract\" failed and \"fail\" requested");
  return Status::ok();
}

Status ExtractNode::eval(EvalContext& ctx, std::string& out) const {
  std::string raw;
  std::string_view k;
  LANG_TRY(key.eval_view(ctx, raw, k));
  k = util::trim(k);
  if (k.empty()) return Status::error("first argument of \"extract\" must not be empty");
  bool found = false;
  std::string value;
  size_t used = 0;
  LANG_TRY(find(ctx, k, found, value, used));
  return pick_branch(ctx, used, found, value, out);
}

Status read_arg(Parser& p, int n, Template& t) {
  p.skip_ws();
  if (p.peek() != '{') return p.error("missing '{' for arg " + std::to_string(n) + " of extract");
  return p.brace_arg(t);
}

// Reads the arguments after the key: exactly as Exim when the key is constant, else greedily.
Status parse_rest(Parser& p, ExtractNode& n) {
  std::optional<std::string_view> lit = n.key.literal();
  if (lit) {
    std::string k(util::trim(*lit));
    if (k.empty()) return p.error("first argument of \"extract\" must not be empty");
    int need = key_is_number(k) && !n.json ? 2 : 1;
    for (int a = 0; a < need; ++a) {
      n.rest.emplace_back();
      LANG_TRY(read_arg(p, a + 2, n.rest.back()));
    }
    YesNo yn;
    LANG_TRY(p.yes_no(yn));
    if (yn.has_yes) n.rest.push_back(std::move(yn.yes));
    if (yn.has_no) n.rest.push_back(std::move(yn.no));
    n.fail = yn.fail;
    return Status::ok();
  }
  n.rest.emplace_back();
  LANG_TRY(read_arg(p, 2, n.rest.back()));
  for (int a = 0; a < 3; ++a) {
    p.skip_ws();
    if (p.peek() != '{') break;
    n.rest.emplace_back();
    LANG_TRY(p.brace_arg(n.rest.back()));
  }
  p.skip_ws();
  if (n.rest.size() >= 2 && p.consume_word("fail")) n.fail = true;
  return p.close_item("extract");
}

Status parse_extract(Parser& p, std::string_view, NodePtr& out) {
  auto n = std::make_unique<ExtractNode>();
  p.skip_ws();
  size_t save = p.pos();
  std::string_view opt = p.read_name();
  if (opt == "json" || opt == "jsons") {
    n->json = true;
    n->jsons = opt == "jsons";
  } else {
    p.set_pos(save);
  }
  LANG_TRY(read_arg(p, 1, n->key));
  LANG_TRY(parse_rest(p, *n));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"extract", parse_extract}});

}  // namespace
}  // namespace lang
