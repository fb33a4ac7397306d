// engine/smtp/address.cpp — reading a MAIL/RCPT path (see address.h for the grammar).
#include "engine/smtp/address.h"

#include <cctype>

namespace engine::smtp {
namespace {

constexpr std::string_view kSpecials = "()<>@,;:\\\".[]";

bool is_atom_char(unsigned char c) {
  if (c >= 0x80) return true;  // 8-bit text is kept as written (UTF-8 local parts)
  if (c <= 32 || c == 127) return false;
  return kSpecials.find(static_cast<char>(c)) == std::string_view::npos;
}

bool is_label_start(unsigned char c) {
  return c < 0x80 && std::isalnum(c);
}
bool is_label_char(unsigned char c) {
  return is_label_start(c) || c == '-';
}

class Reader {
 public:
  Reader(std::string_view text, const PathOptions& opts) : s_(text), opts_(opts) {}
  util::Result<Path> run();

 private:
  bool at_end() const { return i_ >= s_.size(); }
  unsigned char peek() const { return at_end() ? 0 : static_cast<unsigned char>(s_[i_]); }
  void skip_cfws();
  bool read_word(std::string& out);
  bool read_local_part(std::string& out);
  bool read_domain(std::string& out);
  bool read_route();
  util::Result<Path> finish(Path p, bool bracketed);
  util::Error fail(std::string msg) { return util::Error{std::move(msg), {}}; }
  util::Error malformed();

  std::string_view s_;
  const PathOptions& opts_;
  size_t i_ = 0;
  std::string err_;  // set by the readers that fail with a specific reason
};

// White space and (possibly nested) comments between tokens.
void Reader::skip_cfws() {
  while (!at_end()) {
    unsigned char c = peek();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i_;
    } else if (c == '(') {
      int depth = 0;
      while (!at_end()) {
        char d = s_[i_++];
        if (d == '\\' && !at_end()) {
          ++i_;
        } else if (d == '(') {
          ++depth;
        } else if (d == ')' && --depth == 0) {
          break;
        }
      }
    } else {
      return;
    }
  }
}

// An atom or a quoted string, appended as written. False when there is none here (err_ set
// for an unterminated quoted string).
bool Reader::read_word(std::string& out) {
  if (peek() == '"') {
    size_t start = i_++;
    while (!at_end() && s_[i_] != '"') i_ += (s_[i_] == '\\' && i_ + 1 < s_.size()) ? 2 : 1;
    if (at_end()) {
      err_ = "unmatched doublequote in local part";
      return false;
    }
    ++i_;
    out.append(s_.substr(start, i_ - start));
    return true;
  }
  size_t start = i_;
  while (!at_end() && is_atom_char(peek())) ++i_;
  out.append(s_.substr(start, i_ - start));
  return i_ > start;
}

// Words joined by dots ("a.b", "a..b", "\"x y\".z"); comments and space around them dropped.
// False when there is no local part here (err_ set for a broken quoted string).
bool Reader::read_local_part(std::string& out) {
  bool any = false;
  bool need_dot = false;
  while (true) {
    skip_cfws();
    if (peek() == '.') {
      out += '.';
      ++i_;
      any = true;
      need_dot = false;
      continue;
    }
    if (need_dot || (peek() != '"' && !is_atom_char(peek()))) return any;
    if (!read_word(out)) return false;
    any = need_dot = true;
  }
}

// A domain after '@': labels separated by dots (space and comments around them dropped), or a
// domain literal.
bool Reader::read_domain(std::string& out) {
  skip_cfws();
  if (peek() == '[') {
    if (!opts_.allow_domain_literals) {
      err_ = "domain literals not allowed";
      return false;
    }
    size_t start = i_++;
    while (!at_end() && s_[i_] != ']' && s_[i_] != '[' && s_[i_] != '\\') ++i_;
    if (peek() != ']') {
      err_ = "domain missing or malformed";
      return false;
    }
    ++i_;
    out.append(s_.substr(start, i_ - start));
    return true;
  }
  while (true) {
    if (!is_label_start(peek())) {
      err_ = "domain missing or malformed";
      return false;
    }
    while (is_label_char(peek())) out += static_cast<char>(s_[i_++]);
    size_t end = i_;
    skip_cfws();  // RFC 822 allows space and comments around the dots
    if (peek() != '.') {
      i_ = end;
      return true;
    }
    out += '.';
    ++i_;
    skip_cfws();
  }
}

// "@a.example,@b.example:" — read and thrown away (positioned after the '@').
bool Reader::read_route() {
  while (true) {
    ++i_;  // the '@'
    std::string ignored;
    if (!read_domain(ignored)) return false;
    skip_cfws();
    if (peek() == ':') {
      ++i_;
      return true;
    }
    if (peek() != ',') {
      err_ = "no local part";
      return false;
    }
    ++i_;
    skip_cfws();
    if (peek() != '@') {
      err_ = "colon expected after route list";
      return false;
    }
  }
}

util::Error Reader::malformed() {
  std::string rest(s_.substr(i_, 32));
  return fail("malformed address: " + rest + " may not follow " + std::string(s_.substr(0, i_)));
}

// After the address: '>' when bracketed, then nothing but white space and comments.
util::Result<Path> Reader::finish(Path p, bool bracketed) {
  skip_cfws();
  if (bracketed) {
    if (at_end()) return fail("'>' missing at end of address");
    if (peek() != '>') return malformed();
    ++i_;
    skip_cfws();
  }
  if (!at_end()) return malformed();
  return p;
}

util::Result<Path> Reader::run() {
  Path p;
  skip_cfws();
  if (at_end()) return fail("empty address");
  bool bracketed = false;
  if (peek() != '<') {
    if (!read_local_part(p.local_part) && !err_.empty()) return fail(err_);
    skip_cfws();
    if (at_end() && !p.local_part.empty()) return p;
    if (peek() == '@' && !p.local_part.empty()) {
      ++i_;
      if (!read_domain(p.domain)) return fail(err_);
      return finish(std::move(p), false);
    }
    // What was read is a phrase ("Joe Bloggs <joe@example.org>"); more words may follow.
    while (!at_end() && peek() != '<') {
      std::string word;
      if (!read_word(word)) {
        if (!err_.empty()) return fail(err_);
        return fail("missing or malformed local part (expected word or \"<\")");
      }
      skip_cfws();
    }
    if (at_end()) return fail("missing or malformed local part (expected word or \"<\")");
    p.local_part.clear();
  }
  ++i_;  // '<'
  bracketed = true;
  skip_cfws();
  if (peek() == '>' && opts_.allow_empty) {
    p.empty = true;
    return finish(std::move(p), true);
  }
  if (peek() == '@' && !read_route()) return fail(err_);
  skip_cfws();
  if (!read_local_part(p.local_part) || p.local_part.empty()) {
    return fail(err_.empty() ? "missing or malformed local part" : err_);
  }
  skip_cfws();
  if (peek() == '@') {
    ++i_;
    if (!read_domain(p.domain)) return fail(err_);
  } else if (peek() != '>') {
    return fail("\"@\" or \".\" expected after \"" + p.local_part + "\"");
  }
  return finish(std::move(p), bracketed);
}

}  // namespace

util::Result<Path> parse_path(std::string_view text, const PathOptions& opts) {
  Reader r(text, opts);
  return r.run();
}

std::string unquote_local_part(std::string_view lp) {
  std::string out;
  bool quoted = false;
  for (size_t i = 0; i < lp.size(); ++i) {
    char c = lp[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '\\' && quoted && i + 1 < lp.size()) {
      out += lp[++i];
    } else {
      out += c;
    }
  }
  return out;
}

bool local_part_is_atom(std::string_view lp) {
  if (lp.empty()) return false;
  for (unsigned char c : lp) {
    if (c != '.' && !is_atom_char(c)) return false;
  }
  return true;
}

}  // namespace engine::smtp
