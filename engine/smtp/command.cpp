// engine/smtp/command.cpp — SMTP verbs, arguments and ESMTP parameters (see command.h).
#include "engine/smtp/command.h"

#include <array>
#include <cctype>

#include "util/strings.h"

namespace engine::smtp {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

struct VerbDef {
  std::string_view name;  // as matched, lower case ("mail from:")
  Verb verb;
  bool takes_arg;
};

constexpr std::array<VerbDef, 15> kVerbs{{
    {"rset", Verb::Rset, false},
    {"helo", Verb::Helo, true},
    {"ehlo", Verb::Ehlo, true},
    {"auth", Verb::Auth, true},
    {"starttls", Verb::Starttls, false},
    {"mail from:", Verb::Mail, true},
    {"rcpt to:", Verb::Rcpt, true},
    {"data", Verb::Data, false},
    {"bdat", Verb::Bdat, true},
    {"quit", Verb::Quit, false},
    {"noop", Verb::Noop, true},
    {"etrn", Verb::Etrn, true},
    {"vrfy", Verb::Vrfy, true},
    {"expn", Verb::Expn, true},
    {"help", Verb::Help, true},
}};

std::string_view trim_space(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Command parse_command(std::string_view line) {
  Command cmd;
  if (line.find('\0') != std::string_view::npos) {
    cmd.verb = Verb::BadChar;
    return cmd;
  }
  line = trim_space(line);
  for (const auto& d : kVerbs) {
    if (line.size() < d.name.size() || !util::starts_with_ci(line, d.name)) continue;
    bool ends_verb =
        d.name.back() == ':' || line.size() == d.name.size() || is_space(line[d.name.size()]);
    if (!ends_verb) continue;
    cmd.arg = std::string(trim_space(line.substr(d.name.size())));
    cmd.verb = d.verb;
    if (!d.takes_arg && !cmd.arg.empty()) {
      cmd.named = d.verb;
      cmd.verb = Verb::BadArg;
    }
    return cmd;
  }
  cmd.arg = std::string(line);
  return cmd;
}

std::string_view verb_name(Verb v) {
  switch (v) {
    case Verb::Helo:
      return "HELO";
    case Verb::Ehlo:
      return "EHLO";
    case Verb::Mail:
      return "MAIL";
    case Verb::Rcpt:
      return "RCPT";
    case Verb::Data:
      return "DATA";
    case Verb::Bdat:
      return "BDAT";
    case Verb::Rset:
      return "RSET";
    case Verb::Noop:
      return "NOOP";
    case Verb::Quit:
      return "QUIT";
    case Verb::Help:
      return "HELP";
    case Verb::Vrfy:
      return "VRFY";
    case Verb::Expn:
      return "EXPN";
    case Verb::Etrn:
      return "ETRN";
    case Verb::Auth:
      return "AUTH";
    case Verb::Starttls:
      return "STARTTLS";
    default:
      return "";
  }
}

bool verb_is_mail_command(Verb v) {
  return v == Verb::Mail || v == Verb::Rcpt || v == Verb::Data || v == Verb::Bdat ||
         v == Verb::Quit || v == Verb::Auth;
}

// Walks back from the end over the last word (a quoted string counts as part of it) to the
// first '=' or white space. A parameter is "NAME=VALUE" with an alphabetic NAME preceded by
// white space, or any last word after white space.
bool take_last_param(std::string& arg, Param& p, std::string& restored, ParamVerb verb) {
  while (!arg.empty() && is_space(arg.back())) arg.pop_back();
  if (arg.empty()) return false;
  size_t v = arg.size() - 1;
  while (v > 0 && arg[v] != '=' && !is_space(arg[v])) {
    if (arg[v] == '"') {
      do --v;
      while (v > 0 && arg[v] != '"');
      if (v == 0) return false;
    }
    --v;
  }
  if (v == 0) return false;
  size_t sep;
  p = Param{};
  if (arg[v] == '=') {
    size_t n = v;
    while (n > 0 && std::isalpha(static_cast<unsigned char>(arg[n - 1]))) --n;
    if (n == 0 || !is_space(arg[n - 1])) return false;
    sep = n - 1;
    p.name = arg.substr(n, v - n);
    p.value = arg.substr(v + 1);
    p.has_value = true;
  } else {
    sep = v;
    p.name = arg.substr(v + 1);
  }
  restored = arg;
  restored[sep] = (verb == ParamVerb::Rcpt && !p.has_value) ? '=' : ' ';
  arg.resize(sep);
  return true;
}

bool xtext_decode(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == '+') {
      if (i + 2 >= in.size()) return false;
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c < 33 || c > 126 || c == '=') {
      return false;
    } else {
      out += static_cast<char>(c);
    }
  }
  return true;
}

bool parse_decimal(std::string_view s, uint64_t cap, uint64_t& out) {
  if (s.empty()) return false;
  uint64_t v = 0;
  bool over = false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (over || v > (cap - d) / 10) {
      over = true;
    } else {
      v = v * 10 + d;
    }
  }
  out = over ? cap : v;
  return true;
}

}  // namespace engine::smtp
