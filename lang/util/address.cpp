// lang/util/address.cpp — see address.h. A small cursor-based reader of RFC 2822 tokens:
// comments and folding white space (CFWS), atoms, quoted strings, domains, domain literals.
#include "lang/util/address.h"

#include <cctype>
#include <cstring>

namespace lang {
namespace {

bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// RFC 2822 atext, widened as Exim does: any byte above space except the specials; a backslash
// escapes the next byte.
bool is_atom_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > ' ' && u != 127 && std::strchr("()<>@,;:\".[]", c) == nullptr;
}

bool is_ascii_alnum(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 128 && std::isalnum(u);
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[i_]; }
  char take() { return at_end() ? '\0' : s_[i_++]; }
  size_t pos() const { return i_; }
  void set_pos(size_t p) { i_ = p; }

  // Skips white space and (nested) comments; an unterminated comment runs to the end.
  void skip_cfws() {
    while (!at_end()) {
      if (is_ws(peek())) {
        ++i_;
      } else if (peek() == '(') {
        skip_comment();
      } else {
        return;
      }
    }
  }

  // Copies a quoted string, quotes included. False when it is not terminated.
  bool quoted(std::string& out) {
    out += take();  // opening quote
    while (!at_end()) {
      char c = take();
      out += c;
      if (c == '"') return true;
      if (c == '\\' && !at_end()) out += take();
    }
    return false;
  }

  // Copies an atom (with backslash pairs).
  void atom(std::string& out) {
    while (!at_end() && is_atom_char(peek())) {
      char c = take();
      out += c;
      if (c == '\\' && !at_end()) out += take();
    }
  }

 private:
  void skip_comment() {
    int level = 0;
    while (!at_end()) {
      char c = take();
      if (c == '\\') {
        take();
      } else if (c == '(') {
        ++level;
      } else if (c == ')' && --level == 0) {
        return;
      }
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

// Words (atoms, quoted strings) and dots; two words must be separated by a dot.
bool read_local_part(Cursor& c, std::string& out) {
  bool last_word = false, any = false;
  while (true) {
    c.skip_cfws();
    char ch = c.peek();
    if (c.at_end()) break;
    if (ch == '.') {
      out += c.take();
      last_word = false;
    } else if (ch == '"' || is_atom_char(ch)) {
      if (last_word) return false;
      if (ch == '"') {
        if (!c.quoted(out)) return false;
      } else {
        c.atom(out);
      }
      last_word = true;
    } else {
      break;
    }
    any = true;
  }
  return any;
}

bool read_domain_literal(Cursor& c, std::string& out) {
  out += c.take();  // '['
  while (!c.at_end()) {
    char ch = c.take();
    if (is_ws(ch) || ch == '[') return false;
    out += ch;
    if (ch == ']') return true;
    if (ch == '\\' && !c.at_end()) out += c.take();
  }
  return false;
}

// dot-atom of labels (ASCII letters, digits, '-'; not starting with '-') or a literal.
bool read_domain(Cursor& c, std::string& out) {
  c.skip_cfws();
  if (c.peek() == '[') return read_domain_literal(c, out);
  while (true) {
    if (!is_ascii_alnum(c.peek())) return false;
    while (is_ascii_alnum(c.peek()) || c.peek() == '-') out += c.take();
    c.skip_cfws();
    if (c.peek() != '.') return true;
    out += c.take();
    c.skip_cfws();
  }
}

bool read_addr_spec(Cursor& c, ParsedAddress& out) {
  out.address.clear();
  out.domain = 0;
  if (!read_local_part(c, out.address)) return false;
  c.skip_cfws();
  if (c.peek() != '@') return true;
  c.take();
  out.address += '@';
  out.domain = out.address.size();
  return read_domain(c, out.address);
}

// A display name: words, dots and comments. True when it holds at least one word.
bool read_phrase(Cursor& c) {
  bool any = false;
  std::string sink;
  while (true) {
    c.skip_cfws();
    char ch = c.peek();
    if (c.at_end()) return any;
    if (ch == '"') {
      if (!c.quoted(sink)) return false;
      any = true;
    } else if (is_atom_char(ch)) {
      c.atom(sink);
      any = true;
    } else if (ch == '.') {
      c.take();
    } else {
      return any;
    }
  }
}

// The end of a mailbox: only CFWS may follow, or ';' closing an open group.
bool finish(Cursor& c, AddressParseState& st) {
  c.skip_cfws();
  if (c.at_end()) return true;
  if (st.in_group && c.peek() == ';') {
    st.in_group = false;
    return true;
  }
  return false;
}

// An obsolete source route, "@d1,@d2:" (RFC 2822 section 4.4), when the text has one.
bool skip_route(Cursor& c, std::string& error) {
  if (c.peek() != '@') return true;
  std::string route;
  while (c.peek() == '@') {
    c.take();
    if (!read_domain(c, route)) return error = "malformed route", false;
    c.skip_cfws();
    if (c.peek() != ',') break;
    c.take();
    c.skip_cfws();
  }
  if (c.take() != ':') return error = "malformed route", false;
  return true;
}

// "<" [route] addr-spec ">", after the '<'.
bool read_route_addr(Cursor& c, ParsedAddress& out, std::string& error) {
  c.skip_cfws();
  if (c.peek() == '>') return error = "empty address", false;
  bool routed = c.peek() == '@';
  if (!skip_route(c, error)) return false;
  if (!read_addr_spec(c, out) || (routed && !out.domain)) return error = "malformed address", false;
  c.skip_cfws();
  if (c.take() != '>') return error = "missing >", false;
  return true;
}

// "name:" opening a group, when groups are allowed and none is open.
bool open_group(Cursor& c, AddressParseState& st) {
  size_t save = c.pos();
  read_phrase(c);  // the group name may be empty (Exim accepts ":a@b")
  c.skip_cfws();
  if (c.peek() == ':') {
    c.take();
    st.in_group = true;
    return true;
  }
  c.set_pos(save);
  return false;
}

}  // namespace

bool address_parse(std::string_view text, AddressParseState& st, ParsedAddress& out,
                   std::string& error) {
  Cursor c(text);
  if (st.allow_group && !st.in_group) open_group(c, st);
  c.skip_cfws();
  if (c.at_end() || (st.in_group && c.peek() == ';')) {
    if (st.in_group && c.peek() == ';') st.in_group = false;
    return error = "empty address", false;
  }
  if (c.peek() == '@') {  // a bare source route: "@r1,@r2:user@domain"
    if (!skip_route(c, error)) return false;
    if (read_addr_spec(c, out) && out.domain && finish(c, st)) return true;
    return error = "malformed address", false;
  }
  size_t start = c.pos();
  if (read_addr_spec(c, out) && finish(c, st)) return true;
  c.set_pos(start);
  read_phrase(c);
  c.skip_cfws();
  if (c.take() != '<') return error = "malformed address", false;
  if (!read_route_addr(c, out, error)) return false;
  if (!finish(c, st)) return error = "junk after address", false;
  return true;
}

bool address_parse(std::string_view text, ParsedAddress& out, std::string& error) {
  AddressParseState st;
  return address_parse(text, st, out, error);
}

std::vector<std::string_view> address_split(std::string_view text) {
  std::vector<std::string_view> pieces;
  size_t start = 0, i = 0;
  int comment = 0, angle = 0;
  bool quote = false, route = false;
  // A piece starting with '@' is a source route: its commas do not split, up to the ':'.
  // (Exim looks at the character right after the comma: " @x" is not a route.)
  auto piece_start = [&](size_t at) { route = at < text.size() && text[at] == '@'; };
  piece_start(0);
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      ++i;
    } else if (quote) {
      quote = c != '"';
    } else if (comment) {
      comment += c == '(' ? 1 : (c == ')' ? -1 : 0);
    } else if (c == '"') {
      quote = true;
    } else if (c == '(') {
      comment = 1;
    } else if (c == '<') {
      ++angle;
    } else if (c == '>' && angle > 0) {
      --angle;
    } else if (c == ':' && route) {
      route = false;
    } else if (c == ',' && angle == 0 && !route) {
      pieces.push_back(text.substr(start, i - start));
      start = i + 1;
      piece_start(start);
    }
  }
  pieces.push_back(text.substr(start < text.size() ? start : text.size()));
  return pieces;
}

}  // namespace lang
