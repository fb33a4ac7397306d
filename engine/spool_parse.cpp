// engine/spool_parse.cpp — reading a -H text back (spool_header_parse, spool_format.h).
//
// The reader walks the text with bounds-checked views only; every count and length read from
// the file is checked against what is left before it is used, so truncated or hostile files
// give an error, never a crash or a large allocation.
#include <charconv>

#include "engine/spool_format.h"

namespace engine {

namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  // The next newline-terminated line, without its newline; false at the end or when the last
  // line has no newline (a truncated file).
  bool line(std::string_view& out) {
    size_t nl = text_.find('\n', pos_);
    if (nl == std::string_view::npos) return false;
    out = text_.substr(pos_, nl - pos_);
    pos_ = nl + 1;
    ++lineno_;
    return true;
  }
  // Exactly `n` bytes (which may contain newlines).
  bool bytes(size_t n, std::string_view& out) {
    if (n > text_.size() - pos_) return false;
    out = text_.substr(pos_, n);
    pos_ += n;
    for (char c : out) lineno_ += c == '\n';
    return true;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  std::string_view peek_rest() const { return text_.substr(pos_); }
  int lineno() const { return lineno_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int lineno_ = 0;
};

template <class Int>
bool to_int(std::string_view s, Int& out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

struct Parser {
  Reader in;
  SpoolMessage msg;
  std::string detail;

  // `what` is about the line just read, or (at_end) about the one missing after it.
  bool fail(std::string what, bool at_end = false) {
    int n = in.lineno() + (at_end || in.lineno() == 0 ? 1 : 0);
    detail = "line " + std::to_string(n) + ": " + std::move(what);
    return false;
  }
  bool need_line(std::string_view& l, const char* what) {
    if (in.line(l)) return true;
    return fail(std::string("file ends before ") + what, true);
  }
  bool preamble(std::string_view expected_id);
  bool variables(std::string_view& next);
  bool variable(std::string_view l);
  bool acl_variable(std::string_view l, bool tainted);
  bool tree(std::string_view first);
  bool recipients();
  bool recipient(std::string_view l, SpoolRecipient& r);
  bool headers();
};

bool Parser::preamble(std::string_view expected_id) {
  std::string_view l;
  if (!need_line(l, "the id line")) return false;
  if (l.size() < 3 || !l.ends_with("-H")) return fail("first line is not the file's name");
  msg.id = std::string(l.substr(0, l.size() - 2));
  if (!expected_id.empty() && msg.id != expected_id) return fail("file is named for another id");
  if (!need_line(l, "the caller line")) return false;
  size_t g = l.rfind(' ');
  size_t u = g == std::string_view::npos || g == 0 ? std::string_view::npos : l.rfind(' ', g - 1);
  if (u == std::string_view::npos || !to_int(l.substr(u + 1, g - u - 1), msg.uid) ||
      !to_int(l.substr(g + 1), msg.gid))
    return fail("bad caller line (login uid gid)");
  msg.login = std::string(l.substr(0, u));
  if (!need_line(l, "the sender line")) return false;
  if (l.size() < 2 || l.front() != '<' || l.back() != '>') return fail("sender not in <>");
  msg.sender = std::string(l.substr(1, l.size() - 2));
  if (!need_line(l, "the time line")) return false;
  size_t sp = l.find(' ');
  if (sp == std::string_view::npos || !to_int(l.substr(0, sp), msg.received_time) ||
      !to_int(l.substr(sp + 1), msg.warning_count))
    return fail("bad time line (time warnings)");
  return true;
}

bool Parser::variables(std::string_view& next) {
  for (;;) {
    if (!need_line(next, "the recipients")) return false;
    if (next.empty() || next[0] != '-') return true;
    if (!variable(next)) return false;
  }
}

bool Parser::variable(std::string_view l) {
  SpoolVar v;
  l.remove_prefix(1);
  if (l.starts_with('-')) {
    v.tainted = true;
    l.remove_prefix(1);
  }
  if (l.starts_with('(')) {
    size_t close = l.find(')');
    if (close == std::string_view::npos) return fail("unclosed quoter name");
    v.quoter = std::string(l.substr(1, close - 1));
    l.remove_prefix(close + 1);
  }
  size_t sp = l.find(' ');
  v.name = std::string(l.substr(0, sp));
  if (v.name.empty()) return fail("empty variable name");
  if (v.name == "acl" || v.name == "aclc" || v.name == "aclm")
    return acl_variable(sp == std::string_view::npos ? "" : l, v.tainted);
  if (sp != std::string_view::npos) {
    v.has_value = true;
    v.value = std::string(l.substr(sp + 1));
  }
  msg.vars.push_back(std::move(v));
  return true;
}

// "-aclc NAME LEN", "-aclm NAME LEN", or the old "-acl NUMBER LEN" (0-9: acl_c, 10-19: acl_m).
bool Parser::acl_variable(std::string_view l, bool tainted) {
  size_t sp1 = l.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : l.find(' ', sp1 + 1);
  size_t len = 0;
  if (sp2 == std::string_view::npos || !to_int(l.substr(sp2 + 1), len))
    return fail("bad ACL variable line");
  SpoolAclVar v;
  v.tainted = tainted;
  std::string_view kind = l.substr(0, sp1);
  v.name = std::string(l.substr(sp1 + 1, sp2 - sp1 - 1));
  if (kind == "acl") {
    int n = 0;
    if (!to_int(std::string_view(v.name), n) || n < 0 || n > 19) return fail("bad -acl number");
    v.kind = n < 10 ? 'c' : 'm';
    v.name = std::to_string(n % 10);
  } else {
    v.kind = kind.back();
  }
  std::string_view data, nl;
  if (!in.bytes(len, data) || !in.bytes(1, nl) || nl != "\n")
    return fail("ACL variable value is cut short");
  v.value = std::string(data);
  msg.acl_vars.push_back(std::move(v));
  return true;
}

// The non-recipients tree in preorder: each node line "YN address" says whether a left and a
// right subtree follow. Counting open subtrees avoids recursion on a deep (hostile) tree.
bool Parser::tree(std::string_view first) {
  if (first == "XX") return true;
  size_t open = 1;
  std::string_view l = first;
  for (;;) {
    if (l.size() < 3 || (l[0] != 'Y' && l[0] != 'N') || (l[1] != 'Y' && l[1] != 'N') || l[2] != ' ')
      return fail("bad non-recipients tree line");
    msg.non_recipients.emplace_back(l.substr(3));
    open = open - 1 + (l[0] == 'Y') + (l[1] == 'Y');
    if (open == 0) return true;
    if (!need_line(l, "the end of the non-recipients tree")) return false;
  }
}

bool Parser::recipients() {
  std::string_view l;
  if (!need_line(l, "the recipient count")) return false;
  size_t count = 0;
  if (!to_int(l, count)) return fail("bad recipient count");
  for (size_t i = 0; i < count; ++i) {
    if (!need_line(l, "the last recipient")) return false;
    SpoolRecipient r;
    if (!recipient(l, r)) return false;
    msg.recipients.push_back(std::move(r));
  }
  if (!need_line(l, "the blank line before the headers")) return false;
  if (!l.empty()) return fail("more recipients than the count says");
  return true;
}

// Takes " FIELD LEN,NUMBER" off the end of `rest` (right to left), FIELD being LEN bytes.
bool take_field(std::string_view& rest, std::string& field, long& number) {
  size_t sp = rest.rfind(' ');
  if (sp == std::string_view::npos) return false;
  std::string_view pair = rest.substr(sp + 1);
  size_t comma = pair.find(',');
  size_t len = 0;
  if (comma == std::string_view::npos || !to_int(pair.substr(0, comma), len) ||
      !to_int(pair.substr(comma + 1), number) || len >= sp)
    return false;
  if (rest[sp - len - 1] != ' ') return false;
  field = std::string(rest.substr(sp - len, len));
  rest = rest.substr(0, sp - len - 1);
  return true;
}

bool Parser::recipient(std::string_view l, SpoolRecipient& r) {
  size_t hash = l.rfind('#');
  unsigned bits = 0;
  if (hash == std::string_view::npos || !to_int(l.substr(hash + 1), bits) || bits == 0) {
    r.address = std::string(l);
    return true;
  }
  std::string_view rest = l.substr(0, hash);
  long number = 0;
  if ((bits & 1) != 0) {
    if (!take_field(rest, r.errors_to, number)) return fail("bad recipient errors_to field");
    r.has_parent = true;
    r.parent = static_cast<int>(number);
  }
  if ((bits & 2) != 0) {
    if (!take_field(rest, r.orcpt, number) || number < 0) return fail("bad recipient DSN field");
    r.has_dsn = true;
    r.dsn_flags = static_cast<unsigned>(number);
  }
  r.address = std::string(rest);
  return true;
}

bool Parser::headers() {
  while (!in.at_end()) {
    std::string_view rest = in.peek_rest();
    size_t digits = 0;
    while (digits < rest.size() && digits < 9 && rest[digits] >= '0' && rest[digits] <= '9')
      ++digits;
    size_t len = 0;
    if (digits == 0 || !to_int(rest.substr(0, digits), len) || rest.size() < digits + 2 ||
        rest[digits + 1] != ' ')
      return fail("bad header length prefix");
    SpoolHeader h;
    h.type = rest[digits];
    std::string_view skip, text;
    if (!in.bytes(digits + 2, skip) || !in.bytes(len, text)) return fail("header is cut short");
    if (text.empty() || text.back() != '\n') return fail("header length does not end a line");
    h.text = std::string(text);
    msg.headers.push_back(std::move(h));
  }
  return true;
}

}  // namespace

std::string spool_header_parse_into(std::string_view text, std::string_view expected_id,
                                    SpoolMessage& out, bool* envelope_ok) {
  Parser p{Reader(text), {}, {}};
  std::string_view next;
  bool envelope = p.preamble(expected_id) && p.variables(next) && p.tree(next) && p.recipients();
  bool ok = envelope && p.headers();
  if (envelope_ok) *envelope_ok = envelope;
  out = std::move(p.msg);
  if (ok) return {};
  std::string name = expected_id.empty() ? out.id : std::string(expected_id);
  return "format error in spool file " + name + "-H: " + p.detail;
}

util::Result<SpoolMessage> spool_header_parse(std::string_view text, std::string_view expected_id) {
  SpoolMessage msg;
  std::string err = spool_header_parse_into(text, expected_id, msg);
  if (err.empty()) return msg;
  return util::Error{std::move(err), {}};
}

}  // namespace engine
