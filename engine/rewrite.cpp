// engine/rewrite.cpp — rewriting rules (see rewrite.h).
#include "engine/rewrite.h"

#include <cctype>

#include "lang/lists.h"
#include "lang/match/addresslist.h"
#include "lang/match/domainlist.h"
#include "lang/regex.h"
#include "lang/util/address.h"
#include "util/strings.h"

namespace engine {
namespace {

// $local_part and $domain of the address being rewritten, over the caller's variables.
class RewriteVars : public lang::VariableSource {
 public:
  RewriteVars(const lang::VariableSource* base, std::string_view address) : base_(base) {
    size_t at = address.rfind('@');
    local_ = std::string(at == std::string_view::npos ? address : address.substr(0, at));
    domain_ = at == std::string_view::npos ? "" : std::string(address.substr(at + 1));
  }
  bool get(std::string_view name, std::string& out) const override {
    if (name == "local_part") return out = local_, true;
    if (name == "domain") return out = domain_, true;
    return base_ && base_->get(name, out);
  }
  bool header(std::string_view kind, std::string_view name, std::string& out) const override {
    return base_ && base_->header(kind, name, out);
  }

 private:
  const lang::VariableSource* base_;
  std::string local_, domain_;
};

// One field of a rule: up to white space, or a double-quoted string with its escapes.
bool next_field(std::string_view s, size_t& i, std::string& out) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  if (i >= s.size()) return false;
  out.clear();
  if (s[i] != '"') {
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) out += s[i++];
    return true;
  }
  for (++i; i < s.size() && s[i] != '"'; ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  ++i;
  return true;
}

util::Result<unsigned> parse_flags(std::string_view text, bool transport) {
  static constexpr struct {
    char c;
    unsigned bits;
  } kFlags[] = {{'E', kRewriteEnvelope}, {'F', kRewriteEnvFrom}, {'T', kRewriteEnvTo},
                {'b', kRewriteBcc},      {'c', kRewriteCc},      {'f', kRewriteFrom},
                {'h', kRewriteHeaders},  {'r', kRewriteReplyTo}, {'s', kRewriteSender},
                {'t', kRewriteTo},       {'S', kRewriteSmtp},    {'Q', kRewriteQualify},
                {'q', kRewriteQuit},     {'R', kRewriteRepeat},  {'w', kRewriteWhole}};
  unsigned flags = 0;
  for (char c : text) {
    if (c == ' ' || c == '\t') continue;
    bool known = false;
    for (const auto& f : kFlags)
      if (f.c == c) flags |= f.bits, known = true;
    if (!known)
      return util::Error{"unknown rewrite flag character '" + std::string(1, c) + "'", {}};
    if (transport && (c == 'E' || c == 'F' || c == 'T' || c == 'S'))
      return util::Error{
          "rewrite flag '" + std::string(1, c) + "' is not allowed in headers_rewrite", {}};
  }
  if (!(flags & (kRewriteHeaders | kRewriteEnvelope | kRewriteSmtp)))
    flags |= transport ? kRewriteHeaders : kRewriteHeaders | kRewriteEnvelope;
  return flags;
}

// A '*' or literal part of a pattern against a part of the address; a '*' part adds what it
// matched to `caps`.
bool simple_part(std::string_view pat, std::string_view subject, bool caseless,
                 std::vector<std::string>& caps) {
  auto eq = [&](std::string_view a, std::string_view b) {
    return caseless ? util::iequals(a, b) : a == b;
  };
  if (!pat.empty() && pat.front() == '*') {
    std::string_view tail = pat.substr(1);
    if (subject.size() < tail.size() || !eq(subject.substr(subject.size() - tail.size()), tail))
      return false;
    caps.emplace_back(subject.substr(0, subject.size() - tail.size()));
    return true;
  }
  return eq(pat, subject);
}

bool is_simple_domain(std::string_view pat) {
  return pat.find_first_of(";^+@") == std::string_view::npos && pat != "@[]";
}

// Matches an expanded pattern; `caps` gets $0, $1 ... Error: `err` is set.
bool match(lang::EvalContext& ctx, std::string_view pat, std::string_view address,
           std::vector<std::string>& caps, std::string& err) {
  caps.assign(1, std::string(address));
  if (!pat.empty() && pat.front() == '^') {
    std::shared_ptr<const lang::Regex> re;
    lang::Status st = lang::Regex::cached(pat, re);
    if (!st.is_ok()) return err = st.message(), false;
    std::vector<std::string> rc;
    if (!re->search(address, 0, rc)) return false;
    caps.insert(caps.end(), rc.begin() + 1, rc.end());
    return true;
  }
  size_t at = pat.rfind('@'), aat = address.rfind('@');
  bool whole_lookup = pat.find(';') != std::string_view::npos &&
                      (at == std::string_view::npos || pat.find(';') < at);
  if (!whole_lookup && aat != std::string_view::npos) {
    std::string_view lp = at == std::string_view::npos ? "*" : pat.substr(0, at);
    std::string_view dp = at == std::string_view::npos ? pat : pat.substr(at + 1);
    if (!simple_part(lp, address.substr(0, aat), false, caps)) return false;
    if (at == std::string_view::npos) caps.pop_back();  // no local part in the pattern
    std::string_view domain = address.substr(aat + 1);
    if (is_simple_domain(dp)) return simple_part(dp, domain, true, caps);
    std::vector<std::string> saved = ctx.captures;
    lang::ListMatchResult r = lang::match_domainlist(ctx, "<\x01" + std::string(dp), domain);
    if (r.outcome == lang::ListMatch::Match && ctx.captures.size() > 1)
      caps.insert(caps.end(), ctx.captures.begin() + 1, ctx.captures.end());
    ctx.captures = std::move(saved);
    if (r.outcome == lang::ListMatch::Defer) err = r.error.empty() ? "lookup deferred" : r.error;
    return r.outcome == lang::ListMatch::Match;
  }
  lang::ListMatchResult r = lang::match_addresslist(ctx, "<\x01" + std::string(pat), address);
  if (r.outcome == lang::ListMatch::Defer) err = r.error.empty() ? "lookup deferred" : r.error;
  return r.outcome == lang::ListMatch::Match;
}

enum class Step : unsigned char { NoMatch, Done, Stop, Abandon };

// One application of `rule` to `cur`.
Step apply(const RewriteRule& rule, lang::EvalContext& ctx, std::string& cur,
           const std::string& qualify, std::string* whole) {
  std::string pat, err;
  lang::Status st = rule.pattern->eval(ctx, pat);
  if (st.is_fail()) return Step::NoMatch;
  if (!st.is_ok()) return Step::Abandon;
  std::vector<std::string> caps;
  if (!match(ctx, pat, cur, caps, err)) return err.empty() ? Step::NoMatch : Step::Abandon;
  if (!rule.replacement) return Step::Stop;  // "*": leave it, and stop
  RewriteVars vars(ctx.vars, cur);
  const lang::VariableSource* saved_vars = ctx.vars;
  std::vector<std::string> saved_caps = std::move(ctx.captures);
  ctx.vars = &vars;
  ctx.captures = std::move(caps);
  std::string out;
  st = rule.replacement->eval(ctx, out);
  ctx.vars = saved_vars;
  ctx.captures = std::move(saved_caps);
  if (st.is_fail()) return (rule.flags & kRewriteQuit) ? Step::Stop : Step::NoMatch;
  if (!st.is_ok()) return Step::Abandon;
  if (rule.flags & kRewriteWhole) {
    lang::ParsedAddress pa;
    if (whole) *whole = out;
    if (!lang::address_parse(out, pa, err)) return Step::Abandon;
    out = pa.address;
  }
  if (out.find('@') == std::string::npos) {
    if (!(rule.flags & kRewriteQualify)) return Step::Abandon;
    out += "@" + qualify;
  }
  cur = std::move(out);
  return Step::Done;
}

}  // namespace

util::Result<std::vector<RewriteRule>> rewrite_parse(const std::vector<std::string>& rules,
                                                     bool transport) {
  std::vector<RewriteRule> out;
  for (const std::string& text : rules) {
    size_t i = 0;
    std::string pattern, replacement, flags;
    if (!next_field(text, i, pattern) || !next_field(text, i, replacement))
      return util::Error{"missing rewrite replacement string in \"" + text + "\"", {}};
    flags = std::string(text.substr(std::min(i, text.size())));
    auto f = parse_flags(flags, transport);
    if (!f) return f.error();
    RewriteRule r{nullptr, nullptr, *f};
    auto pp = std::make_shared<lang::Program>();
    if (lang::Status st = lang::Program::compile(pattern, *pp); !st.is_ok())
      return util::Error{"rewrite pattern \"" + pattern + "\": " + st.message(), {}};
    r.pattern = std::move(pp);
    if (replacement != "*") {
      auto p = std::make_shared<lang::Program>();
      lang::Status st = lang::Program::compile(replacement, *p);
      if (!st.is_ok())
        return util::Error{"rewrite replacement \"" + replacement + "\": " + st.message(), {}};
      r.replacement = std::move(p);
    }
    out.push_back(std::move(r));
  }
  return out;
}

util::Result<std::vector<RewriteRule>> rewrite_parse_list(std::string_view list, bool transport) {
  std::vector<std::string> items;
  lang::ListReader r(list);
  std::string item;
  while (r.next(item))
    if (!item.empty()) items.push_back(item);
  return rewrite_parse(items, transport);
}

std::string rewrite_address(const std::vector<RewriteRule>& rules, std::string_view address,
                            unsigned where, lang::EvalContext& ctx, const std::string& qualify,
                            std::string* whole) {
  std::string cur(address);
  if (whole) whole->clear();
  for (const RewriteRule& rule : rules) {
    if (!(rule.flags & where)) continue;
    bool matched = false;
    for (int n = 0; n < 10; ++n) {
      Step s = apply(rule, ctx, cur, qualify, whole);
      if (s == Step::Abandon) return std::string(address);
      if (s == Step::Stop) return cur;
      if (s == Step::NoMatch) break;
      matched = true;
      if (!(rule.flags & kRewriteRepeat)) break;
    }
    if (matched && (rule.flags & kRewriteQuit)) break;
  }
  return cur;
}

unsigned rewrite_header_place(std::string_view line) {
  std::string_view name = util::trim(line.substr(0, line.find(':')));
  if (util::starts_with_ci(name, "resent-")) name.remove_prefix(7);
  static constexpr struct {
    std::string_view name;
    unsigned place;
  } kPlaces[] = {{"from", kRewriteFrom},
                 {"to", kRewriteTo},
                 {"cc", kRewriteCc},
                 {"bcc", kRewriteBcc},
                 {"reply-to", kRewriteReplyTo},
                 {"sender", kRewriteSender}};
  for (const auto& p : kPlaces)
    if (util::iequals(name, p.name)) return p.place;
  return 0;
}

std::string rewrite_header(const std::vector<RewriteRule>& rules, const std::string& line,
                           lang::EvalContext& ctx, const std::string& qualify) {
  unsigned place = rewrite_header_place(line);
  size_t colon = line.find(':');
  if (!place || colon == std::string::npos || rules.empty()) return line;
  std::string_view value = std::string_view(line).substr(colon + 1);
  std::string out = line.substr(0, colon + 1);
  size_t pos = 0;
  for (std::string_view piece : lang::address_split(value)) {
    size_t offset = static_cast<size_t>(piece.data() - value.data());
    out.append(value.substr(pos, offset - pos));
    pos = offset + piece.size();
    lang::ParsedAddress pa;
    std::string err, whole;
    if (util::trim(piece).empty() || !lang::address_parse(piece, pa, err)) {
      out.append(piece);
      continue;
    }
    std::string now = rewrite_address(rules, pa.address, place, ctx, qualify, &whole);
    if (now == pa.address) {
      out.append(piece);
    } else if (!whole.empty()) {
      size_t lead = piece.find_first_not_of(" \t\r\n");
      out.append(piece.substr(0, lead)).append(whole);
      if (piece.back() == '\n') out += '\n';
    } else {
      std::string p(piece);
      size_t lt = p.rfind('<'), gt = lt == std::string::npos ? lt : p.find('>', lt);
      size_t at = lt != std::string::npos && gt != std::string::npos ? lt + 1 : p.find(pa.address);
      size_t len =
          lt != std::string::npos && gt != std::string::npos ? gt - lt - 1 : pa.address.size();
      if (at == std::string::npos) at = p.find_first_not_of(" \t"), len = util::trim(p).size();
      out.append(p.replace(at, len, now));
    }
  }
  out.append(value.substr(pos));
  return out;
}

}  // namespace engine
