// engine/retry_rules.cpp — reading `begin retry` rules and matching them (see retry_rules.h).
#include "engine/retry_rules.h"

#include <algorithm>
#include <cctype>

#include "engine/config/values.h"
#include "lang/match/addresslist.h"
#include "util/strings.h"

namespace engine {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void skip_space(std::string_view t, size_t& i) {
  while (i < t.size() && is_space(t[i])) ++i;
}

// A field: up to white space, or a double-quoted string with backslash escapes.
std::string read_field(std::string_view t, size_t& i) {
  std::string out;
  if (i < t.size() && t[i] == '"') {
    for (++i; i < t.size() && t[i] != '"'; ++i) {
      if (t[i] == '\\' && i + 1 < t.size()) ++i;
      out += t[i];
    }
    if (i < t.size()) ++i;
    return out;
  }
  while (i < t.size() && !is_space(t[i])) out += t[i++];
  return out;
}

struct NamedKind {
  std::string_view name;
  RetryErrorKind kind;
  RetryErrorSpec::Source source;
};
constexpr NamedKind kNamedKinds[] = {
    {"auth_failed", RetryErrorKind::AuthFailed, RetryErrorSpec::Source::Any},
    {"lost_connection", RetryErrorKind::LostConnection, RetryErrorSpec::Source::Any},
    {"lookup", RetryErrorKind::Lookup, RetryErrorSpec::Source::Any},
    {"refused", RetryErrorKind::Refused, RetryErrorSpec::Source::Any},
    {"refused_A", RetryErrorKind::Refused, RetryErrorSpec::Source::A},
    {"refused_MX", RetryErrorKind::Refused, RetryErrorSpec::Source::Mx},
    {"timeout", RetryErrorKind::Timeout, RetryErrorSpec::Source::Any},
    {"timeout_A", RetryErrorKind::Timeout, RetryErrorSpec::Source::A},
    {"timeout_MX", RetryErrorKind::Timeout, RetryErrorSpec::Source::Mx},
    {"timeout_connect", RetryErrorKind::TimeoutConnect, RetryErrorSpec::Source::Any},
    {"timeout_connect_A", RetryErrorKind::TimeoutConnect, RetryErrorSpec::Source::A},
    {"timeout_connect_MX", RetryErrorKind::TimeoutConnect, RetryErrorSpec::Source::Mx},
    {"tls_required", RetryErrorKind::TlsRequired, RetryErrorSpec::Source::Any},
};

// "mail_4", "rcpt_4", "data_4" followed by xx, dx or dd.
std::string parse_4xx(std::string_view name, RetryErrorSpec& out) {
  static constexpr struct {
    std::string_view prefix;
    RetryErrorKind kind;
  } kPrefixes[] = {{"mail_4", RetryErrorKind::Mail4xx},
                   {"rcpt_4", RetryErrorKind::Rcpt4xx},
                   {"data_4", RetryErrorKind::Data4xx}};
  for (const auto& p : kPrefixes) {
    if (!util::starts_with_ci(name, p.prefix)) continue;
    std::string_view rest = name.substr(p.prefix.size());
    bool ok = rest.size() == 2 && (rest == "xx" || (std::isdigit(rest[0]) && rest[1] == 'x') ||
                                   (std::isdigit(rest[0]) && std::isdigit(rest[1])));
    if (!ok) {
      return std::string(p.prefix) +
             " must be followed by xx, dx, or dd, where x is literal and d is any digit";
    }
    out.kind = p.kind;
    out.digit2 = rest[0];
    out.digit3 = rest[1];
    return {};
  }
  return "unknown or malformed retry error \"" + std::string(name) + "\"";
}

// One "L,cutoff,a[,b]" set starting at t[i].
std::string parse_param(std::string_view t, size_t& i, RetryParam& p) {
  char letter = static_cast<char>(std::toupper(static_cast<unsigned char>(t[i])));
  p.algo = letter;
  ++i;
  auto field = [&](std::string_view& out) {
    if (i >= t.size() || t[i] != ',') return false;
    size_t s = ++i;
    while (i < t.size() && t[i] != ',' && t[i] != ';' && !is_space(t[i])) ++i;
    out = t.substr(s, i - s);
    return true;
  };
  std::string_view cutoff, first, factor;
  if (!field(cutoff)) return "comma expected";
  if (letter != 'F' && letter != 'G' && letter != 'H') return "unknown retry rule letter";
  if (!field(first)) return "comma expected";
  if (letter != 'F' && !field(factor)) return "comma expected";
  bool ok = config::parse_time(cutoff, p.cutoff) && config::parse_time(first, p.interval) &&
            p.cutoff > 0 && p.interval > 0;
  if (ok && letter != 'F') {
    int64_t f = 0;
    ok = config::read_fixed(factor, "retry", f).empty() && f >= 1000;
    p.factor = static_cast<int>(std::min<int64_t>(f, 1000000));
  }
  return ok ? std::string() : "bad parameters for retry rule";
}

std::string parse_params(std::string_view t, size_t i, std::vector<RetryParam>& out) {
  skip_space(t, i);
  while (i < t.size()) {
    RetryParam p;
    if (std::string err = parse_param(t, i, p); !err.empty()) return err;
    out.push_back(p);
    skip_space(t, i);
    if (i >= t.size()) break;
    if (t[i] != ';') return "semicolon expected";
    ++i;
    skip_space(t, i);
  }
  return {};
}

std::string format_factor(int thousandths) {
  std::string frac = std::to_string(thousandths % 1000 + 1000).substr(1);
  while (frac.size() > 1 && frac.back() == '0') frac.pop_back();
  return std::to_string(thousandths / 1000) + "." + frac;
}

// The error name -brt shows: the named kinds, quota; "*" for the rest, as Exim prints them.
std::string display_error(const RetryErrorSpec& e) {
  if (e.kind == RetryErrorKind::Quota) {
    return e.quota_idle > 0 ? "quota_" + config::format_time(e.quota_idle) : "quota";
  }
  if (e.kind == RetryErrorKind::TlsRequired || e.kind == RetryErrorKind::LostConnection ||
      e.kind == RetryErrorKind::Lookup) {
    return "*";
  }
  for (const auto& n : kNamedKinds)
    if (n.kind == e.kind && n.source == e.source) return std::string(n.name);
  return "*";
}

bool digit_matches(char spec, int digit) {
  return spec == 'x' || spec - '0' == digit;
}

bool source_matches(RetryErrorSpec::Source s, bool mx) {
  return s == RetryErrorSpec::Source::Any || (s == RetryErrorSpec::Source::Mx) == mx;
}

bool subject_matches(const RetryRule& r, lang::EvalContext& ctx, const std::string& subject) {
  if (subject.empty()) return false;
  std::string pattern = r.pattern;
  if (r.pattern_program && !r.pattern_program->eval(ctx, pattern).is_ok()) return false;
  return lang::match_addresslist(ctx, pattern, subject).outcome == lang::ListMatch::Match;
}

}  // namespace

std::string retry_error_parse(std::string_view name, RetryErrorSpec& out) {
  out = RetryErrorSpec{};
  if (name == "*") return {};
  for (const auto& n : kNamedKinds) {
    if (util::iequals(name, n.name)) {
      out.kind = n.kind;
      out.source = n.source;
      return {};
    }
  }
  if (util::iequals(name, "quota")) {
    out.kind = RetryErrorKind::Quota;
    return {};
  }
  if (util::starts_with_ci(name, "quota_")) {
    out.kind = RetryErrorKind::Quota;
    if (!config::parse_time(name.substr(6), out.quota_idle)) return "bad time value";
    return {};
  }
  return parse_4xx(name, out);
}

std::string retry_rule_parse(std::string_view text, RetryRule& out) {
  size_t i = 0;
  skip_space(text, i);
  out.pattern = read_field(text, i);
  skip_space(text, i);
  if (i >= text.size()) return "missing error type in retry rule";
  out.error_text = read_field(text, i);
  if (std::string err = retry_error_parse(out.error_text, out.error); !err.empty()) return err;
  skip_space(text, i);
  if (util::starts_with_ci(text.substr(i), "senders=")) {
    i += 8;
    out.has_senders = true;
    out.senders = read_field(text, i);
  }
  auto prog = std::make_shared<lang::Program>();
  if (auto st = lang::Program::compile(out.pattern, *prog); !st.is_ok()) {
    return "failed to expand retry pattern \"" + out.pattern + "\": " + st.message();
  }
  out.pattern_program = std::move(prog);
  return parse_params(text, i, out.params);
}

util::Result<RetryRules> retry_rules_load(const config::Config& cfg) {
  RetryRules out;
  std::string errors;
  for (const auto& line : cfg.retry) {
    RetryRule r;
    std::string err = retry_rule_parse(line.text, r);
    if (!err.empty()) {
      if (!errors.empty()) errors += '\n';
      errors += (line.loc.empty() ? "" : line.loc.str() + ": ") + err;
      continue;
    }
    r.loc = line.loc;
    out.rules.push_back(std::move(r));
  }
  if (!errors.empty()) return util::Error{errors, {}};
  return out;
}

bool retry_error_matches(const RetryErrorSpec& spec, const RetryError& e) {
  switch (spec.kind) {
    case RetryErrorKind::Any:
      return true;
    case RetryErrorKind::Mail4xx:
    case RetryErrorKind::Rcpt4xx:
    case RetryErrorKind::Data4xx:
      return e.kind == spec.kind && digit_matches(spec.digit2, e.smtp_code / 10 % 10) &&
             digit_matches(spec.digit3, e.smtp_code % 10);
    case RetryErrorKind::Timeout:
      return (e.kind == RetryErrorKind::Timeout || e.kind == RetryErrorKind::TimeoutConnect) &&
             source_matches(spec.source, e.from_mx);
    case RetryErrorKind::TimeoutConnect:
    case RetryErrorKind::Refused:
      return e.kind == spec.kind && source_matches(spec.source, e.from_mx);
    case RetryErrorKind::Quota:
      if (e.kind != RetryErrorKind::Quota) return false;
      return spec.quota_idle == 0 || (e.mailbox_idle >= 0 && e.mailbox_idle >= spec.quota_idle);
    default:
      return e.kind == spec.kind;
  }
}

const RetryRule* retry_find_rule(const RetryRules& rules, lang::EvalContext& ctx,
                                 const RetryQuery& q) {
  for (const auto& r : rules.rules) {
    if (!subject_matches(r, ctx, q.subject) && !subject_matches(r, ctx, q.alt_subject)) continue;
    if (!retry_error_matches(r.error, q.error)) continue;
    if (r.has_senders) {
      if (!q.sender) continue;
      if (lang::match_addresslist(ctx, r.senders, *q.sender).outcome != lang::ListMatch::Match)
        continue;
    }
    return &r;
  }
  return nullptr;
}

std::string retry_rule_display(const RetryRule& r) {
  std::string out = r.pattern + "  " + display_error(r.error) + "  ";
  for (const auto& p : r.params) {
    out += p.algo;
    out += "," + config::format_time(p.cutoff) + "," + config::format_time(p.interval);
    if (p.algo == 'G' || p.algo == 'H') out += "," + format_factor(p.factor);
    out += "; ";
  }
  return out;
}

int64_t retry_final_cutoff(const RetryRule& r) {
  return r.params.empty() ? 0 : r.params.back().cutoff;
}

RetryTiming retry_next(const RetryRule& r, int64_t first_failed, int64_t last_gap, int64_t now,
                       int64_t interval_max, const std::function<double()>& random01) {
  RetryTiming t;
  if (r.params.empty()) {
    t.expired = true;
    t.next_try = now;
    return t;
  }
  int64_t failing = now - first_failed;
  const RetryParam* p = nullptr;
  for (const auto& cand : r.params) {
    if (failing < cand.cutoff) {
      p = &cand;
      break;
    }
  }
  if (!p) {
    t.expired = true;
    p = &r.params.back();
  }
  int64_t interval = p->interval;
  if (p->algo != 'F' && p->factor > 1000) {
    int64_t grown = p->interval;
    while (grown <= last_gap && grown < interval_max) grown = grown * p->factor / 1000;
    interval = grown;
    if (p->algo == 'H' && grown > p->interval) {
      double r01 = random01 ? random01() : 0.5;
      interval = p->interval + static_cast<int64_t>(r01 * static_cast<double>(grown - p->interval));
    }
  }
  if (interval_max > 0) interval = std::min(interval, interval_max);
  t.next_try = now + interval;
  return t;
}

}  // namespace engine
