#include "routers/redirect_list.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "engine/smtp/address.h"
#include "util/strings.h"

namespace routers {
namespace {

using engine::AddressKind;
using Result = RedirectList::Result;

constexpr int kMaxIncludeDepth = 20;

bool space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

enum class Special : unsigned char { None, Include, Fail, Blackhole, Defer, Unknown };

Special special_of(std::string_view item, size_t& len) {
  static const std::pair<std::string_view, Special> kSpecials[] = {
      {":include:", Special::Include},
      {":fail:", Special::Fail},
      {":blackhole:", Special::Blackhole},
      {":defer:", Special::Defer},
      {":unknown:", Special::Unknown}};
  for (auto [word, sp] : kSpecials) {
    if (item.size() >= word.size() && util::iequals(item.substr(0, word.size()), word)) {
      len = word.size();
      return sp;
    }
  }
  return Special::None;
}

class ListParser {
 public:
  ListParser(const RedirectListOptions& o, RedirectList& out) : o_(o), out_(out) {}
  Result parse(std::string_view s, int depth);

 private:
  Result special(Special sp, size_t len, std::string_view item, std::string_view rest, int depth);
  Result include(std::string_view item, size_t len, int depth);
  Result item_result(std::string_view text, bool quoted);
  bool permitted(Special sp) const;

  const RedirectListOptions& o_;
  RedirectList& out_;
};

bool ListParser::permitted(Special sp) const {
  switch (sp) {
    case Special::Include:
      return !o_.forbid_include;
    case Special::Fail:
      return o_.allow_fail;
    case Special::Blackhole:
      return !o_.forbid_blackhole;
    case Special::Defer:
      return o_.allow_defer;
    default:
      return true;
  }
}

Result ListParser::include(std::string_view item, size_t len, int depth) {
  std::string file(util::trim(item.substr(len)));
  if (file.empty() || file[0] != '/') {
    out_.message = "included file \"" + file + "\" is not an absolute path";
    return Result::Error;
  }
  const std::string& dir = o_.include_directory;
  if (!dir.empty() && (file.compare(0, dir.size(), dir) != 0 || file[dir.size()] != '/')) {
    out_.message = "included file " + file + " is not in directory " + dir;
    return Result::Error;
  }
  if (depth >= kMaxIncludeDepth) {
    out_.message = "too many nested :include: files at " + file;
    return Result::Error;
  }
  std::ifstream f(file, std::ios::binary);
  if (!f) {
    out_.message = "failed to open included file " + file + ": " + util::errno_text(errno);
    return Result::Error;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return parse(ss.str(), depth + 1);
}

// :fail: and :defer: take the rest of the line as their message.
Result ListParser::special(Special sp, size_t len, std::string_view item, std::string_view rest,
                           int depth) {
  if (sp == Special::Unknown) return Result::NotDelivered;
  if (!permitted(sp)) {
    out_.message = "\"" + std::string(item) + "\" is not permitted";
    return Result::Error;
  }
  if (sp == Special::Include) return include(item, len, depth);
  if (sp == Special::Blackhole) return Result::Blackhole;
  std::string_view text = rest.substr(len);
  text = text.substr(0, text.find('\n'));
  out_.message = std::string(util::trim(text));
  return sp == Special::Fail ? Result::Fail : Result::Defer;
}

Result ListParser::item_result(std::string_view text, bool quoted) {
  engine::smtp::PathOptions po;
  po.allow_domain_literals = o_.allow_domain_literals;
  std::string recipient;
  bool has_domain = false;
  if (text[0] == '\\') {
    auto p = engine::smtp::parse_path(text.substr(1), po);
    if (p && p->domain.empty()) {
      recipient = p->local_part + "@" + o_.incoming_domain;
      has_domain = true;
    }
  }
  std::string error;
  if (recipient.empty()) {
    auto p = engine::smtp::parse_path(text, po);
    if (p) {
      recipient = p->address();
      has_domain = !p->domain.empty();
    } else {
      error = p.error().message;
    }
  }
  if ((text[0] == '|' || text[0] == '/') && (recipient.empty() || !has_domain)) {
    std::string t;
    for (size_t i = 0; i < text.size(); ++i) {
      if (quoted && text[i] == '\\' && i + 1 < text.size()) ++i;
      t += text[i];
    }
    AddressKind k = t[0] == '|'       ? AddressKind::Pipe
                    : t.back() == '/' ? AddressKind::Directory
                                      : AddressKind::File;
    out_.items.push_back({std::move(t), k});
    return Result::Delivered;
  }
  if (recipient.empty()) {
    if (o_.skip_syntax_errors) {
      out_.skipped.push_back({error, std::string(text)});
      return Result::NotDelivered;
    }
    out_.message = error + " in \"" + std::string(text) + "\"";
    return Result::Error;
  }
  if (!has_domain) recipient += "@" + o_.qualify_domain;
  out_.items.push_back({std::move(recipient), AddressKind::Mail});
  return Result::Delivered;
}

Result ListParser::parse(std::string_view s, int depth) {
  size_t i = 0;
  while (true) {
    while (true) {
      while (i < s.size() && (space(s[i]) || s[i] == ',')) ++i;
      if (i < s.size() && s[i] == '#') {
        while (i < s.size() && s[i] != '\n') ++i;
      } else {
        break;
      }
    }
    if (i >= s.size()) break;
    std::string_view rest = s.substr(i);
    size_t end = redirect_item_end(rest);
    size_t next = i + end;
    std::string_view item = util::trim(rest.substr(0, end));
    bool quoted = item.size() >= 2 && item.front() == '"' && item.back() == '"';
    if (quoted) item = util::trim(item.substr(1, item.size() - 2));
    size_t len = 0;
    Special sp = item.empty() ? Special::None : special_of(item, len);
    Result r = Result::NotDelivered;
    if (sp != Special::None)
      r = special(sp, len, item, rest, depth);
    else if (!item.empty())
      r = item_result(item, quoted);
    if (r != Result::Delivered && r != Result::NotDelivered) return r;
    i = next;
  }
  bool any = !out_.items.empty() || !out_.skipped.empty();
  return any ? Result::Delivered : Result::NotDelivered;
}

}  // namespace

size_t redirect_item_end(std::string_view s) {
  bool quote = false;
  int paren = 0, angle = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n') return i;
    if (quote) {
      if (c == '\\' && i + 1 < s.size() && s[i + 1] != '\n')
        ++i;
      else if (c == '"')
        quote = false;
      continue;
    }
    if (c == '"')
      quote = true;
    else if (c == '(')
      ++paren;
    else if (c == ')' && paren > 0)
      --paren;
    else if (c == '<' && paren == 0)
      ++angle;
    else if (c == '>' && paren == 0 && angle > 0)
      --angle;
    else if (c == ',' && paren == 0 && angle == 0)
      return i;
  }
  return s.size();
}

RedirectList parse_redirect_list(std::string_view data, const RedirectListOptions& opts) {
  RedirectList out;
  out.result = ListParser(opts, out).parse(data, 0);
  return out;
}

}  // namespace routers
