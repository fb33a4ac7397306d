// routers/exim_filter.cpp — reading an Exim filter into commands (see exim_filter.h;
// Exim's interfaces to mail filtering, 3.1-3.2 and 3.9-3.26). Syntax errors are reported as
// Exim words them, with "near line N of filter file".
#include <cctype>

#include "routers/exim_filter_program.h"
#include "util/strings.h"

namespace routers {
namespace {

using Cmd = FilterCommand;
using Cond = FilterCond;

constexpr size_t kMaxDataLength = 1024;
constexpr int kMaxNesting = 100;

class Lexer {
 public:
  explicit Lexer(std::string_view text) : s_(text) {}
  // The next item: a quoted string (escapes resolved) or a word. In conditions '(' and ')'
  // are items of their own. False at the end of the text.
  bool next(std::string& out, bool& quoted, bool in_cond);
  bool peek(std::string& out, bool in_cond);
  int line() const { return line_; }
  std::string error;

 private:
  void skip_space();
  void read_quoted(std::string& out);
  std::string_view s_;
  size_t i_ = 0;
  int line_ = 1;
};

void Lexer::skip_space() {
  while (i_ < s_.size()) {
    char c = s_[i_];
    if (c == '\n') ++line_;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i_;
    } else if (c == '#') {
      while (i_ < s_.size() && s_[i_] != '\n') ++i_;
    } else {
      break;
    }
  }
}

void Lexer::read_quoted(std::string& out) {
  ++i_;
  while (i_ < s_.size() && s_[i_] != '"') {
    char c = s_[i_++];
    if (c == '\n') ++line_;
    if (c != '\\' || i_ >= s_.size()) {
      out += c;
      continue;
    }
    char e = s_[i_++];
    if (e == '\n') {  // continuation: leading white space of the next line is dropped
      ++line_;
      while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
    } else if (e == 'n') {
      out += '\n';
    } else if (e == 'r') {
      out += '\r';
    } else if (e == 't') {
      out += '\t';
    } else if (e >= '0' && e <= '7') {
      int v = e - '0';
      for (int k = 0; k < 2 && i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '7'; ++k)
        v = v * 8 + (s_[i_++] - '0');
      out += static_cast<char>(v);
    } else if (e == 'x' && i_ < s_.size() && std::isxdigit(static_cast<unsigned char>(s_[i_]))) {
      int v = 0;
      for (int k = 0; k < 2 && i_ < s_.size() && std::isxdigit(static_cast<unsigned char>(s_[i_]));
           ++k) {
        char h = static_cast<char>(std::tolower(static_cast<unsigned char>(s_[i_++])));
        v = v * 16 + (h <= '9' ? h - '0' : h - 'a' + 10);
      }
      out += static_cast<char>(v);
    } else {
      out += e;
    }
  }
  if (i_ >= s_.size()) error = "quoted string not terminated";
  ++i_;
}

bool Lexer::next(std::string& out, bool& quoted, bool in_cond) {
  out.clear();
  quoted = false;
  skip_space();
  if (i_ >= s_.size()) return false;
  if (s_[i_] == '"') {
    quoted = true;
    read_quoted(out);
  } else if (in_cond && (s_[i_] == '(' || s_[i_] == ')')) {
    out = s_[i_++];
  } else {
    while (i_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[i_])) &&
           !(in_cond && (s_[i_] == '(' || s_[i_] == ')')))
      out += s_[i_++];
  }
  if (out.size() > kMaxDataLength && error.empty()) error = "data string too long";
  return true;
}

bool Lexer::peek(std::string& out, bool in_cond) {
  size_t i = i_;
  int line = line_;
  std::string saved = error;
  bool q = false;
  bool r = next(out, q, in_cond);
  i_ = i;
  line_ = line;
  error = saved;
  if (q) out = "\"" + out;  // never a keyword
  return r;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : lx_(text) {}
  bool parse(FilterProgram& out, std::string& error);

 private:
  bool commands(std::vector<Cmd>& out, bool in_if, std::string& end_word, int depth);
  bool command(Cmd& c, const std::string& word, int depth);
  bool if_command(Cmd& c, int depth);
  bool argument(Cmd& c, const std::string& word, std::string& out);
  bool mail_command(Cmd& c);
  bool optional_mode(std::string& out);
  std::unique_ptr<Cond> chain(Cond::Kind kind, std::string_view word,
                              std::unique_ptr<Cond> (Parser::*operand)(int), int depth);
  std::unique_ptr<Cond> cond_or(int depth);
  std::unique_ptr<Cond> cond_and(int depth);
  std::unique_ptr<Cond> cond_not(int depth);
  std::unique_ptr<Cond> primary(int depth);
  std::unique_ptr<Cond> test(std::string a);
  bool fail(const std::string& what);
  bool fail_near(const std::string& what) {
    return fail(what + " near line " + std::to_string(lx_.line()) + " of filter file");
  }

  Lexer lx_;
  std::string error_;
};

bool Parser::fail(const std::string& what) {
  if (error_.empty()) error_ = what;
  return false;
}

bool Parser::argument(Cmd& c, const std::string& word, std::string& out) {
  bool q = false;
  (void)c;
  if (!lx_.next(out, q, false)) return fail_near("\"" + word + "\" requires an argument");
  return lx_.error.empty() || fail_near(lx_.error);
}

// An optional octal mode after save or logfile.
bool Parser::optional_mode(std::string& out) {
  std::string w;
  if (!lx_.peek(w, false) || w.empty() || w.find_first_not_of("01234567") != std::string::npos)
    return true;
  bool q = false;
  lx_.next(out, q, false);
  return true;
}

bool Parser::mail_command(Cmd& c) {
  static const char* const kKeys[] = {
      "bcc",  "cc",          "expand",   "extra_headers", "file",    "from", "log",
      "once", "once_repeat", "reply_to", "return",        "subject", "text", "to"};
  std::string w;
  while (lx_.peek(w, false)) {
    bool known = false;
    for (const char* k : kKeys) known = known || w == k;
    if (!known) break;
    bool q = false;
    lx_.next(w, q, false);
    if (w == "expand") {
      c.mail["expand"] = "yes";
      continue;
    }
    std::string v;
    if (!argument(c, w, v)) return false;
    if (w == "return" && v != "message") return fail_near("\"message\" expected after \"return\"");
    c.mail[w] = v;
  }
  return true;
}

bool Parser::command(Cmd& c, const std::string& w, int depth) {
  using K = Cmd::Kind;
  static const std::pair<std::string_view, K> kWords[] = {
      {"add", K::Add},          {"defer", K::Defer},
      {"deliver", K::Deliver},  {"fail", K::Fail},
      {"finish", K::Finish},    {"freeze", K::Freeze},
      {"headers", K::Headers},  {"if", K::If},
      {"logfile", K::Logfile},  {"logwrite", K::Logwrite},
      {"mail", K::Mail},        {"pipe", K::Pipe},
      {"save", K::Save},        {"testprint", K::Testprint},
      {"vacation", K::Vacation}};
  bool found = false;
  for (auto [word, kind] : kWords) {
    if (w == word) {
      c.kind = kind;
      found = true;
    }
  }
  if (!found) return fail_near("unknown filtering command \"" + w + "\"");
  c.line = lx_.line();
  std::string x;
  switch (c.kind) {
    case K::If:
      return if_command(c, depth);
    case K::Deliver:
      if (!argument(c, w, c.arg)) return false;
      if (lx_.peek(x, false) && x == "errors_to") {
        bool q = false;
        lx_.next(x, q, false);
        return argument(c, "errors_to", c.arg2);
      }
      return true;
    case K::Save:
    case K::Logfile:
      return argument(c, w, c.arg) && optional_mode(c.arg2);
    case K::Pipe:
    case K::Testprint:
    case K::Logwrite:
      return argument(c, w, c.arg);
    case K::Add:
      if (!argument(c, w, c.arg)) return false;
      if (!argument(c, w, x) || x != "to") return fail_near("\"to\" expected after \"add\"");
      return argument(c, w, c.arg2);
    case K::Headers:
      if (!argument(c, w, x)) return false;
      if (x == "add" || x == "remove")
        return fail_near("header addition and removal is available only in system filters:");
      if (x != "charset") return fail_near("\"charset\" expected after \"headers\"");
      return argument(c, w, c.arg);
    case K::Mail:
    case K::Vacation:
      return mail_command(c);
    case K::Fail:
    case K::Freeze:
    case K::Defer:
      if (lx_.peek(x, false) && x == "text") {
        bool q = false;
        lx_.next(x, q, false);
        return argument(c, "text", c.arg);
      }
      return true;
    case K::Finish:
      return true;
  }
  return true;
}

bool Parser::if_command(Cmd& c, int depth) {
  if (depth > kMaxNesting) return fail_near("conditions nested too deeply");
  while (true) {
    std::unique_ptr<Cond> cond = cond_or(depth + 1);
    if (!cond) return false;
    std::string w;
    bool q = false;
    if (!lx_.next(w, q, true) || w != "then")
      return fail("\"and\" or \"or\" or \"then\" expected near line " + std::to_string(lx_.line()) +
                  " of filter file, but found \"" + w + "\"");
    std::vector<Cmd> body;
    std::string end;
    if (!commands(body, true, end, depth + 1)) return false;
    c.branches.emplace_back(std::move(cond), std::move(body));
    if (end == "elif") continue;
    if (end == "else") {
      if (!commands(c.otherwise, true, end, depth + 1)) return false;
      if (end != "endif") return fail_near("\"endif\" expected");
    }
    return true;
  }
}

// Commands up to "elif", "else" or "endif" (returned in end_word) inside an if.
bool Parser::commands(std::vector<Cmd>& out, bool in_if, std::string& end_word, int depth) {
  std::string w;
  bool q = false;
  while (lx_.next(w, q, false)) {
    if (!lx_.error.empty()) return fail_near(lx_.error);
    if (!q && (w == "elif" || w == "else" || w == "endif")) {
      if (!in_if) return fail_near("unexpected \"" + w + "\" command");
      end_word = w;
      return true;
    }
    Cmd c;
    while (!q && (w == "seen" || w == "unseen" || w == "noerror")) {
      (w == "seen" ? c.seen : w == "unseen" ? c.unseen : c.noerror) = true;
      if (!lx_.next(w, q, false)) return fail_near("command expected after prefix");
    }
    if (!command(c, w, depth)) return false;
    out.push_back(std::move(c));
  }
  if (in_if) return fail("\"endif\" missing at end of filter file");
  return true;
}

// "a or b or c" / "a and b": left-associative chains of `word` over `operand` ("and" binds
// more tightly than "or").
std::unique_ptr<Cond> Parser::chain(Cond::Kind kind, std::string_view word,
                                    std::unique_ptr<Cond> (Parser::*operand)(int), int depth) {
  std::unique_ptr<Cond> c = (this->*operand)(depth);
  std::string w;
  while (c && lx_.peek(w, true) && w == word) {
    bool q = false;
    lx_.next(w, q, true);
    auto r = std::make_unique<Cond>();
    r->kind = kind;
    r->left = std::move(c);
    r->right = (this->*operand)(depth);
    if (!r->right) return nullptr;
    c = std::move(r);
  }
  return c;
}

std::unique_ptr<Cond> Parser::cond_or(int depth) {
  return chain(Cond::Kind::Or, "or", &Parser::cond_and, depth);
}

std::unique_ptr<Cond> Parser::cond_and(int depth) {
  return chain(Cond::Kind::And, "and", &Parser::cond_not, depth);
}

std::unique_ptr<Cond> Parser::cond_not(int depth) {
  if (depth > kMaxNesting) return fail_near("conditions nested too deeply"), nullptr;
  std::string w;
  if (lx_.peek(w, true) && w == "not") {
    bool q = false;
    lx_.next(w, q, true);
    auto r = std::make_unique<Cond>();
    r->kind = Cond::Kind::Not;
    r->left = cond_not(depth + 1);
    return r->left ? std::move(r) : nullptr;
  }
  return primary(depth);
}

std::unique_ptr<Cond> Parser::primary(int depth) {
  std::string w;
  bool q = false;
  if (!lx_.next(w, q, true)) return fail("condition expected at end of filter file"), nullptr;
  if (!q && w == "(") {
    std::unique_ptr<Cond> c = cond_or(depth + 1);
    if (c && !(lx_.next(w, q, true) && w == ")")) return fail_near("\")\" expected"), nullptr;
    return c;
  }
  auto c = std::make_unique<Cond>();
  using K = Cond::Kind;
  static const std::pair<std::string_view, K> kWords[] = {{"delivered", K::Delivered},
                                                          {"error_message", K::ErrorMessage},
                                                          {"first_delivery", K::FirstDelivery},
                                                          {"manually_thawed", K::ManuallyThawed}};
  for (auto [word, kind] : kWords) {
    if (!q && w == word) {
      c->kind = kind;
      return c;
    }
  }
  if (!q && w == "personal") {
    c->kind = K::Personal;
    std::string x;
    while (lx_.peek(x, true) && x == "alias") {
      lx_.next(x, q, true);
      if (!lx_.next(x, q, true)) return fail_near("address expected after \"alias\""), nullptr;
      c->aliases.push_back(x);
    }
    return c;
  }
  if (!q && w == "foranyaddress") {
    c->kind = K::ForAnyAddress;
    if (!lx_.next(c->a, q, true)) return fail_near("list expected after foranyaddress"), nullptr;
    if (!(lx_.next(w, q, true) && w == "("))
      return fail_near("\"(\" expected after \"foranyaddress <string>\""), nullptr;
    c->left = cond_or(depth + 1);
    if (c->left && !(lx_.next(w, q, true) && w == ")")) return fail_near("\")\" expected"), nullptr;
    return c->left ? std::move(c) : nullptr;
  }
  return test(std::move(w));
}

// "<a> [does not|is not] <relation> <b>".
std::unique_ptr<Cond> Parser::test(std::string a) {
  auto c = std::make_unique<Cond>();
  c->a = std::move(a);
  std::string w;
  bool q = false;
  if (!lx_.next(w, q, true)) return fail("condition incomplete at end of filter file"), nullptr;
  std::string lw = util::to_lower(w);
  if (lw == "does" || lw == "is") {
    std::string x;
    if (lx_.peek(x, true) && util::to_lower(x) == "not") {
      lx_.next(x, q, true);
      c->negated = true;
    } else if (lw == "does") {
      return fail_near("\"not\" expected after \"does\""), nullptr;
    }
    if (lw == "does" ||
        (lx_.peek(x, true) && (util::to_lower(x) == "above" || util::to_lower(x) == "below"))) {
      if (!lx_.next(w, q, true)) return fail("condition incomplete"), nullptr;
      lw = util::to_lower(w);
    }
  }
  using R = Cond::Rel;
  static const std::pair<std::string_view, R> kRels[] = {
      {"is", R::Is},           {"contains", R::Contains}, {"contain", R::Contains},
      {"matches", R::Matches}, {"match", R::Matches},     {"begins", R::Begins},
      {"begin", R::Begins},    {"ends", R::Ends},         {"end", R::Ends},
      {"above", R::Above},     {"below", R::Below}};
  bool found = false;
  for (auto [word, rel] : kRels) {
    if (lw == word) {
      c->rel = rel;
      found = true;
    }
  }
  if (!found) return fail_near("unrecognized condition word \"" + w + "\""), nullptr;
  c->caseful = w != lw;
  if (!lx_.next(c->b, q, true)) return fail("condition incomplete at end of filter file"), nullptr;
  return c;
}

bool Parser::parse(FilterProgram& out, std::string& error) {
  std::string end;
  bool ok = commands(out.commands, false, end, 0);
  if (ok && !lx_.error.empty()) ok = fail_near(lx_.error);
  error = error_;
  return ok;
}

}  // namespace

FilterType filter_type(std::string_view s) {
  size_t i = 0;
  auto skip = [&] {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  };
  skip();
  if (i >= s.size() || s[i] != '#') return FilterType::None;
  ++i;
  skip();
  auto word = [&](std::string_view w) {
    if (s.size() - i < w.size() || !util::iequals(s.substr(i, w.size()), w)) return false;
    i += w.size();
    skip();
    return true;
  };
  if (word("exim")) return word("filter") ? FilterType::Exim : FilterType::None;
  if (word("sieve")) return word("filter") ? FilterType::Sieve : FilterType::None;
  return FilterType::None;
}

ParsedFilter parse_exim_filter(std::string_view text) {
  // The first line ("# Exim filter" and any comment after it) is not a command.
  size_t nl = text.find('\n', text.find('#'));
  std::string body = nl == std::string_view::npos ? "" : std::string(text.substr(0, nl)) + "\n";
  for (char& c : body)
    if (c != '\n') c = ' ';  // keep the line count, drop the header's text
  if (nl != std::string_view::npos) body += text.substr(nl + 1);
  auto p = std::make_shared<FilterProgram>();
  std::string error;
  if (!Parser(body).parse(*p, error)) return {nullptr, error};
  return {std::move(p), ""};
}

}  // namespace routers
