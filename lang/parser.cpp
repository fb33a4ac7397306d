// lang/parser.cpp — Exim's expansion grammar (spec chapter 11, "String expansions").
#include "lang/parser.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "lang/escapes.h"
#include "lang/nodes.h"
#include "lang/registry.h"
#include "lang/variables.h"

namespace lang {
namespace {

// The C locale's isalnum()/isspace(), inline: the parser runs once per one-off string.
bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Bytes that end a run of plain text in a template: 1 always, 2 when '}' closes it.
constexpr std::array<unsigned char, 256> kStops = [] {
  std::array<unsigned char, 256> t{};
  t['\\'] = 1;
  t['$'] = 1;
  t['}'] = 2;
  return t;
}();

// The end of the run of plain text starting at `i`: the first '\\' or '$' (or '}' when
// `brace` is set) at or after it. Eight bytes at a time: a byte of the word equals `c`
// where (w ^ c*0x01..) has a zero byte, found with the usual has-zero-byte test.
size_t scan_text(std::string_view s, size_t i, bool brace) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto zero_byte = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const unsigned char stops = brace ? 3 : 1;
  while (i + 8 <= s.size()) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    uint64_t hit = zero_byte(w ^ (kOnes * '\\')) | zero_byte(w ^ (kOnes * '$'));
    if (brace) hit |= zero_byte(w ^ (kOnes * '}'));
    if (hit) break;
    i += 8;
  }
  while (i < s.size() && !(kStops[static_cast<unsigned char>(s[i])] & stops)) ++i;
  return i;
}

// The first node of a template gets room for a second (the same 16-byte pool block).
void add_node(Template& t, NodePtr n) {
  if (t.nodes.empty()) t.nodes.reserve(2);
  t.nodes.push_back(std::move(n));
}

// The literal text between two other nodes of a template: a view of the source while it is
// one contiguous stretch of it, a copy of its own once escapes or \\N...\\N join pieces.
class LiteralText {
 public:
  explicit LiteralText(std::string_view src) : src_(src) {}
  bool empty() const { return !owned_ && b_ == e_; }
  void add_source(size_t b, size_t e) {
    if (owned_) {
      text_.append(src_.substr(b, e - b));
    } else if (b_ == e_) {
      b_ = b;
      e_ = e;
    } else if (e_ == b) {
      e_ = e;
    } else {
      own().append(src_.substr(b, e - b));
    }
  }
  std::string& own() {
    if (!owned_) {
      text_.assign(src_.substr(b_, e_ - b_));
      owned_ = true;
    }
    return text_;
  }
  // Appends the text as a node (when there is any) and starts afresh.
  void flush(Template& out, size_t pos) {
    if (empty()) return;
    NodePtr n = owned_ ? std::make_unique<LiteralNode>(std::move(text_))
                       : std::make_unique<LiteralNode>(src_.substr(b_, e_ - b_));
    n->pos = pos;
    add_node(out, std::move(n));
    text_.clear();
    owned_ = false;
    b_ = e_ = 0;
  }

 private:
  std::string_view src_;
  size_t b_ = 0, e_ = 0;
  bool owned_ = false;
  std::string text_;
};

}  // namespace

void Parser::skip_ws() {
  while (!at_end() && is_space_byte(s_[i_])) ++i_;
}

bool Parser::consume_word(std::string_view w) {
  if (s_.substr(i_, w.size()) != w) return false;
  i_ += w.size();
  return true;
}

std::string_view Parser::read_name() {
  size_t b = i_;
  while (!at_end() && is_name_char(s_[i_])) ++i_;
  return s_.substr(b, i_ - b);
}

// Exim's string_interpret_escape, after the backslash; `\N` is handled by the caller.
void Parser::parse_backslash(std::string& lit) {
  i_ = decode_escape(s_, i_, lit, {.hex = true, .bare_x_nul = true});
}

Status Parser::parse_template(Template& out, bool brace_ends) {
  size_t start = i_;
  out.pos = start;
  LiteralText lit(s_);
  size_t lit_pos = i_;
  while (!at_end()) {
    size_t b = i_;
    i_ = scan_text(s_, i_, brace_ends);
    if (i_ > b) lit.add_source(b, i_);
    if (at_end()) break;
    char c = s_[i_];
    if (c == '}') break;
    if (c == '\\') {
      ++i_;
      if (at_end()) return error("\\ at end of string");
      if (s_[i_] == 'N') {  // \N ... \N: copied without interpretation
        ++i_;
        size_t e = s_.find("\\N", i_);
        if (e == std::string_view::npos) e = s_.size();
        lit.add_source(i_, e);
        i_ = e == s_.size() ? e : e + 2;
        continue;
      }
      parse_backslash(lit.own());
      continue;
    }
    lit.flush(out, lit_pos);
    LANG_TRY(parse_dollar(out));
    lit_pos = i_;
  }
  lit.flush(out, lit_pos);
  out.source = s_.substr(start, i_ - start);
  return Status::ok();
}

Status Parser::parse_dollar(Template& out) {
  size_t start = i_;
  ++i_;  // '$'
  if (peek() == '{') {
    ++i_;
    return parse_braced(out, start);
  }
  if (at_end() || !is_name_char(peek())) return error("$ not followed by letter, digit, or {");
  VarRef ref;
  if (std::isdigit(static_cast<unsigned char>(peek()))) {
    int n = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      if (n < 100000) n = n * 10 + (peek() - '0');
      ++i_;
    }
    ref.kind = VarKind::Capture;
    ref.index = n;
  } else {
    std::string_view name = read_name();
    std::string hkind;
    size_t us = name.find('_');
    if (us != std::string_view::npos && variable_header_prefix(name.substr(0, us), hkind)) {
      // $h_name: — the header name runs to a colon or white space; the colon is consumed.
      i_ = start + 1 + us + 1;
      size_t b = i_;
      while (!at_end() && s_[i_] != ':' && static_cast<unsigned char>(s_[i_]) > ' ') ++i_;
      ref.kind = VarKind::Header;
      ref.hkind = hkind;
      ref.name = std::string(s_.substr(b, i_ - b));
      if (peek() == ':') ++i_;
    } else {
      Status st = variable_resolve(name, ref);
      if (!st.is_ok()) {
        st.set_pos(start);
        return st;
      }
    }
  }
  auto n = std::make_unique<VariableNode>(std::move(ref));
  n->pos = start;
  n->src = s_.substr(start, i_ - start);
  add_node(out, std::move(n));
  return Status::ok();
}

Status Parser::parse_braced(Template& out, size_t start) {
  size_t name_start = i_;
  std::string_view name = read_name();
  if (name.empty()) return error("letter or digit expected after ${");
  // After "${" Exim's names may also hold '-' (${substr_-2:..}, ${s_-5_2:..}).
  while (!at_end() && (s_[i_] == '-' || is_name_char(s_[i_]))) ++i_;
  name = s_.substr(name_start, i_ - name_start);
  if (peek() == '}' && !find_item(name)) {  // ${name}; items come first, as in ${if}
    ++i_;
    VarRef ref;
    if (std::isdigit(static_cast<unsigned char>(name[0]))) {
      ref.kind = VarKind::Capture;
      ref.index = 0;
      for (char c : name) {
        if (!std::isdigit(static_cast<unsigned char>(c))) {
          return Status::error("unknown variable in \"${" + std::string(name) + "}\"", start);
        }
        if (ref.index < 100000) ref.index = ref.index * 10 + (c - '0');
      }
    } else if (!variable_resolve(name, ref).is_ok()) {
      return Status::error("unknown variable in \"${" + std::string(name) + "}\"", start);
    }
    auto n = std::make_unique<VariableNode>(std::move(ref));
    n->pos = start;
    n->src = s_.substr(start, i_ - start);
    add_node(out, std::move(n));
    return Status::ok();
  }
  NodePtr node;
  if (peek() == ':') {
    ++i_;
    LANG_TRY(parse_operator(name, start, node));
  } else {
    const ItemDef* item = find_item(name);
    if (!item) {
      return Status::error(
          "\"${" + std::string(name) + "\" is not a known operator (or a } is missing in a variable reference)",
          start);
    }
    if (++depth > kMaxDepth) return error("expansion nested too deeply");
    Status st = item->parse(*this, name, node);
    --depth;
    LANG_TRY(st);
  }
  node->pos = start;
  node->src = s_.substr(start, i_ - start);
  add_node(out, std::move(node));
  return Status::ok();
}

Status Parser::parse_operator(std::string_view name, size_t start, NodePtr& out) {
  auto node = std::make_unique<OperatorNode>();
  // The argument is read before the name is checked, as Exim does ("${nosuch:abc" reports the
  // missing brace).
  if (++depth > kMaxDepth) return error("expansion nested too deeply");
  Status arg_st = parse_template(node->arg, true);
  --depth;
  LANG_TRY(arg_st);
  if (!consume('}')) return error("missing } at end of string");
  node->def = find_operator(name);
  if (!node->def) {
    size_t us = name.find('_');
    const OperatorDef* d = us == std::string_view::npos ? nullptr : find_operator(name.substr(0, us));
    if (!d || d->suffix == SuffixKind::None) {
      return Status::error("unknown expansion operator \"" + std::string(name) + "\"", start);
    }
    node->def = d;
    node->suffix.present = true;
    std::string_view suf = name.substr(us + 1);
    node->suffix.text = std::string(suf);  // Numbers keep the raw text too, for messages
    if (d->suffix != SuffixKind::Text) {
      // _N or _N_M; each number may start with '-'.
      size_t k = 0;
      while (true) {
        bool neg = k < suf.size() && suf[k] == '-';
        if (neg) ++k;
        if (k >= suf.size() || !std::isdigit(static_cast<unsigned char>(suf[k]))) {
          return Status::error("non-digit after underscore in \"" + std::string(name) + "\"", start);
        }
        long v = 0;
        while (k < suf.size() && std::isdigit(static_cast<unsigned char>(suf[k]))) {
          if (v < 100000000) v = v * 10 + (suf[k] - '0');
          ++k;
        }
        node->suffix.nums.push_back(neg ? -v : v);
        if (k == suf.size()) break;
        if (suf[k] != '_') {
          return Status::error("non-digit after underscore in \"" + std::string(name) + "\"", start);
        }
        ++k;
      }
    }
  }
  out = std::move(node);
  return Status::ok();
}

Status Parser::brace_arg(Template& out) {
  skip_ws();
  if (!consume('{')) return error("missing '{'");
  if (++depth > kMaxDepth) return error("expansion nested too deeply");
  Status st = parse_template(out, true);
  --depth;
  LANG_TRY(st);
  if (!consume('}')) return error("missing } at end of string");
  return Status::ok();
}

Status Parser::literal_arg(std::string& out) {
  skip_ws();
  if (!consume('{')) return error("missing '{'");
  while (!at_end() && s_[i_] != '}') {
    if (s_[i_] != '\\') {
      out += s_[i_++];
      continue;
    }
    if (++i_ >= s_.size()) return error("\\ at end of string");
    if (s_[i_] != 'N') {
      parse_backslash(out);
      continue;
    }
    size_t e = s_.find("\\N", ++i_);
    if (e == std::string_view::npos) e = s_.size();
    out.append(s_.substr(i_, e - i_));
    i_ = e == s_.size() ? e : e + 2;
  }
  if (!consume('}')) return error("missing } at end of string");
  return Status::ok();
}

Status Parser::read_args(std::string_view name, int min, int max, std::vector<Template>& out) {
  if (max <= 16) out.reserve(out.size() + static_cast<size_t>(max));
  for (int k = 0; k < max; ++k) {
    skip_ws();
    if (peek() != '{') {
      if (k < min) {
        return error("Not enough arguments for '" + std::string(name) + "' (min is " +
                     std::to_string(min) + ")");
      }
      return Status::ok();
    }
    Template t;
    LANG_TRY(brace_arg(t));
    out.push_back(std::move(t));
  }
  skip_ws();
  if (peek() == '{') {
    return error("Too many arguments for '" + std::string(name) + "' (max is " + std::to_string(max) +
                 ")");
  }
  return Status::ok();
}

Status Parser::close_item(std::string_view name) {
  skip_ws();
  if (consume('}')) return Status::ok();
  if (at_end()) return error("missing } at end of string");
  return error("missing '}' after '" + std::string(name) + "'");
}

Status Parser::yes_no(YesNo& out, std::string_view item) {
  skip_ws();
  if (consume('}')) return Status::ok();
  if (peek() != '{') {
    return error(
        "curly-bracket problem in conditional yes/no parsing: 'yes' part did not start with '{'\n"
        " remaining string is '" + std::string(rest()) + "'");
  }
  LANG_TRY(brace_arg(out.yes));
  out.has_yes = true;
  skip_ws();
  if (peek() == '{') {
    LANG_TRY(brace_arg(out.no));
    out.has_no = true;
  } else if (consume_word("fail")) {
    out.fail = true;
    skip_ws();
    if (!consume('}')) {
      if (is_name_char(peek())) {
        return error("syntax error in \"" + std::string(item) + "\" item - \"fail\" expected");
      }
      return error(
          "curly-bracket problem in conditional yes/no parsing: did not close with '}' after forcedfail\n"
          " remaining string is '" + std::string(rest()) + "'");
    }
    return Status::ok();
  }
  skip_ws();
  if (!consume('}')) {
    return error(
        "curly-bracket problem in conditional yes/no parsing: did not close with '}'\n"
        " remaining string is '" + std::string(rest()) + "'");
  }
  return Status::ok();
}

Status Parser::condition(CondPtr& out) {
  skip_ws();
  bool negate = false;
  while (peek() == '!') {
    negate = !negate;
    ++i_;
    skip_ws();
  }
  size_t start = i_;
  // Names are letters, digits and '_', or the symbolic comparisons = == < <= > >=.
  std::string_view name;
  if (peek() == '=' || peek() == '<' || peek() == '>') {
    size_t b = i_;
    ++i_;
    if (peek() == '=') ++i_;
    name = s_.substr(b, i_ - b);
  } else {
    name = read_name();
  }
  if (name.empty()) {
    return Status::error("condition name expected, but found \"" + std::string(rest().substr(0, 16)) + "\"",
                         start);
  }
  const ConditionDef* def = find_condition(name);
  if (!def) return Status::error("unknown condition \"" + std::string(name) + "\"", start);
  if (++depth > kMaxDepth) return error("expansion nested too deeply");
  Status st = def->parse(*this, name, out);
  --depth;
  LANG_TRY(st);
  out->pos = start;
  if (negate) out = make_not(std::move(out));
  return Status::ok();
}

Status parse_cond_args(Parser& p, std::string_view name, int n, std::vector<Template>& out) {
  static const char* const ordinal[] = {"1st", "2nd", "3rd"};
  if (n > 0 && n <= 16) out.reserve(out.size() + static_cast<size_t>(n));
  for (int k = 0; k < n; ++k) {
    p.skip_ws();
    if (p.peek() != '{') {
      if (k == 0) return p.error("missing { after \"" + std::string(name) + "\"");
      return p.error(std::string("missing ") + ordinal[k < 3 ? k : 2] + " string in {} after \"" +
                     std::string(name) + "\"");
    }
    Template t;
    LANG_TRY(p.brace_arg(t));
    out.push_back(std::move(t));
  }
  return Status::ok();
}

}  // namespace lang
