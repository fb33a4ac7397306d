// lang/lookup.cpp — the lookup type registry, lookup type specifications and the lookup
// sequence shared by ${lookup} and lists (spec 9.6 "Default values", 9.7 "Partial matching").
#include "lang/lookup.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "lang/context.h"
#include "lang/lookup_cache.h"
#include "lang/lookups/linear_file.h"
#include "lang/name_table.h"
#include "util/strings.h"

namespace lang {
namespace {

NameTable<LookupDef>& table() {
  static NameTable<LookupDef> t;
  return t;
}

// "partial", "partialN-", "partial(affix)", "partialN(affix)" at the start of `s`; advances
// `s` past it. False for a malformed prefix.
bool parse_partial(std::string_view& s, LookupSpec& out) {
  if (s.substr(0, 7) != "partial") return true;
  s.remove_prefix(7);
  int n = 2;
  if (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) {
    n = 0;
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) {
      if (n < 1000) n = n * 10 + (s[0] - '0');
      s.remove_prefix(1);
    }
  }
  out.partial = n;
  if (!s.empty() && s[0] == '(') {
    size_t i = 1;
    while (i < s.size() && s[i] != ')' && std::ispunct(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size() || s[i] != ')') return false;
    out.partial_affix = std::string(s.substr(1, i - 1));
    s.remove_prefix(i + 1);
    return true;
  }
  if (s.empty() || s[0] != '-') return false;
  out.partial_affix = "*.";
  s.remove_prefix(1);
  return true;
}

// "ret=key,cache=no_rd" (after the first comma of the type).
void parse_options(std::string_view s, LookupOptions& out) {
  while (!s.empty()) {
    size_t c = s.find(',');
    std::string_view item = s.substr(0, c);
    s = c == std::string_view::npos ? std::string_view() : s.substr(c + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(std::string(item), std::string());
    } else {
      out.emplace_back(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
    }
  }
}

}  // namespace

const LookupDef* find_lookup(std::string_view name) {
  return table().find(name);
}

std::vector<std::string_view> lookup_names() {
  return table().names();
}

void register_lookup(const LookupDef& d) {
  if (!table().add(d)) {
    std::fprintf(stderr, "facteur: duplicate lookup type \"%.*s\"\n",
                 static_cast<int>(d.name.size()), d.name.data());
    std::abort();
  }
}

// Exim's search_findtype_partial: the partial prefix, then the name up to the first '*'
// (which starts "*" or "*@") or ',' (which starts the options). Options are looked for only
// after the '*', so "lsearch,ret=key*" names the type "lsearch,ret=key".
Status lookup_parse_spec(std::string_view text, LookupSpec& out) {
  out = LookupSpec();
  std::string_view s = text;
  if (!parse_partial(s, out)) {
    return Status::error("format error in lookup type \"" + std::string(text) + "\"");
  }
  std::string_view after_partial = s;
  size_t len = s.size(), from = 0;
  size_t star = s.find('*');
  if (star != std::string_view::npos) {
    len = star;
    from = star;
    if (star + 1 < s.size() && s[star + 1] == '@') {
      out.star_at = true;
    } else {
      out.star = true;
    }
  }
  size_t comma = s.find(',', from);
  if (comma != std::string_view::npos) {
    len = std::min(len, comma);
    parse_options(s.substr(comma + 1), out.options);
  }
  std::string_view name = s.substr(0, len);
  out.def = find_lookup(name);
  if (!out.def) return Status::error("unknown lookup type \"" + std::string(name) + "\"");
  // Types that take a file in front of their query (sqlite) accept and ignore these.
  if (out.def->query_style && !out.def->needs_file) {
    if (out.partial >= 0) {
      return Status::error("\"partial\" is not permitted for lookup type \"" + std::string(name) +
                           "\"");
    }
    if (out.star || out.star_at) {
      return Status::error("defaults using \"*\" or \"*@\" are not permitted for lookup type \"" +
                           std::string(after_partial) + "\"");
    }
  }
  return Status::ok();
}

}  // namespace lang

namespace lang {
namespace {

// Sets $1 (the wild part) and $2 (the fixed part) after a partial or default match, as
// Exim does ($0 and the count of captures become those of a 2-capture match).
void set_captures(EvalContext& ctx, std::string_view wild, std::string_view fixed) {
  if (ctx.captures.empty()) ctx.captures.emplace_back();
  ctx.captures.resize(3);
  ctx.captures[1] = std::string(wild);
  ctx.captures[2] = std::string(fixed);
}

bool found(const LookupResult& r) {
  return r.outcome == LookupOutcome::Found;
}
bool settled(const LookupResult& r) {
  return r.outcome != LookupOutcome::NotFound;
}

// One single-key lookup through an open handle. An empty key is never found.
struct Prober {
  EvalContext& ctx;
  const LookupSpec& spec;
  LookupHandle* handle;
  const std::string& file;

  LookupResult probe(std::string_view key) const {
    if (key.empty()) return {};
    return spec.def->find(ctx, handle, file, key, spec.options);
  }
};

size_t components(std::string_view s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '.')) + 1;
}

// Spec 9.7: affix + whole key, then affix + the key less its leading components while at
// least `partial` remain; for partial0 a last lookup of the affix alone.
LookupResult run_partial(const Prober& p, std::string_view key) {
  const std::string& affix = p.spec.partial_affix;
  LookupResult r;
  if (!affix.empty()) {
    r = p.probe(affix + std::string(key));
    if (found(r)) set_captures(p.ctx, "", key);
    if (settled(r)) return r;
  }
  size_t pos = 0;
  for (size_t dot; (dot = key.find('.', pos)) != std::string_view::npos;) {
    pos = dot + 1;
    std::string_view rest = key.substr(pos);
    if (components(rest) < static_cast<size_t>(p.spec.partial)) return r;
    r = p.probe(affix + std::string(rest));
    if (found(r)) set_captures(p.ctx, key.substr(0, dot), rest);
    if (settled(r)) return r;
  }
  if (p.spec.partial != 0 || affix.empty()) return r;
  std::string last = affix;
  if (affix.size() > 1 && affix.back() == '.') last.pop_back();
  r = p.probe(last);
  if (found(r)) set_captures(p.ctx, key.substr(0, pos), "");
  return r;
}

// Spec 9.6: "*@domain" (for *@), then "*".
LookupResult run_defaults(const Prober& p, std::string_view key) {
  LookupResult r;
  size_t at = key.rfind('@');
  if (p.spec.star_at && at != std::string_view::npos) {
    r = p.probe("*" + std::string(key.substr(at)));
    if (found(r)) set_captures(p.ctx, key.substr(0, at), "");
    if (settled(r)) return r;
  }
  r = p.probe("*");
  if (found(r)) set_captures(p.ctx, key, "");
  return r;
}

LookupResult open_failed(Status st) {
  LookupResult r;
  r.outcome = LookupOutcome::Defer;
  r.message = std::move(st.message());
  r.at_open = true;
  return r;
}

LookupResult run_single_key(EvalContext& ctx, const LookupSpec& spec, std::string_view source,
                            std::string_view key) {
  LookupHandle* h = nullptr;
  const std::string* file = nullptr;
  Status st = ctx.lookups().open(*spec.def, source, h, file);
  if (!st.is_ok()) return open_failed(std::move(st));
  Prober p{ctx, spec, h, *file};
  LookupResult r = p.probe(key);
  if (found(r) && spec.partial >= 0) set_captures(ctx, "", key);
  if (!settled(r) && spec.partial >= 0) r = run_partial(p, key);
  if (!settled(r) && (spec.star || spec.star_at)) r = run_defaults(p, key);
  if (found(r) && lookup_option(spec.options, "ret") == "key") r.value = std::string(key);
  return r;
}

std::string options_text(const LookupOptions& opts) {
  std::string s;
  for (const auto& [k, v] : opts) {
    s += k;
    s += '=';
    s += v;
    s += ',';
  }
  return s;
}

// Splits "/file query" for types whose query starts with a file name (Exim's
// lookup_absfilequery); the file= option takes precedence.
Status split_file(const LookupSpec& spec, std::string_view source, std::string& file,
                  std::string_view& query) {
  query = source;
  auto absolute_expected = [&] {
    return Status::error("absolute file name expected for \"" + std::string(spec.def->name) +
                         "\" lookup");
  };
  std::string_view opt = lookup_option(spec.options, "file");
  if (!opt.empty()) {
    if (opt[0] != '/') return absolute_expected();
    file = std::string(opt);
    return Status::ok();
  }
  size_t b = 0;
  while (b < source.size() && std::isspace(static_cast<unsigned char>(source[b]))) ++b;
  if (b >= source.size() || source[b] != '/') return absolute_expected();
  size_t e = b;
  while (e < source.size() && !std::isspace(static_cast<unsigned char>(source[e]))) ++e;
  file = std::string(source.substr(b, e - b));
  while (e < source.size() && std::isspace(static_cast<unsigned char>(source[e]))) ++e;
  query = source.substr(e);
  return Status::ok();
}

LookupResult run_query(EvalContext& ctx, const LookupSpec& spec, std::string_view source) {
  const LookupDef& def = *spec.def;
  std::string file;
  std::string_view query = source;
  if (def.needs_file) {
    Status st = split_file(spec, source, file, query);
    if (!st.is_ok()) return open_failed(std::move(st));
  }
  LookupHandle* h = nullptr;
  const std::string* stored = nullptr;
  Status st = ctx.lookups().open(def, file, h, stored);
  if (!st.is_ok()) return open_failed(std::move(st));
  std::string opts = options_text(spec.options);
  LookupCache& cache = ctx.lookups();
  if (lookup_option(spec.options, "cache") != "no_rd") {
    if (const LookupResult* hit = cache.find_result(def, file, opts, query)) return *hit;
  }
  LookupResult r = def.find(ctx, h, file, query, spec.options);
  if (r.outcome != LookupOutcome::Defer) cache.store_result(def, file, opts, query, r);
  return r;
}

}  // namespace

LookupResult lookup_run(EvalContext& ctx, const LookupSpec& spec, std::string_view source,
                        std::string_view key) {
  if (++ctx.depth > EvalContext::kMaxDepth) {
    --ctx.depth;
    LookupResult r;
    r.outcome = LookupOutcome::Defer;
    r.message = "lookups nested too deeply";
    return r;
  }
  LookupResult r =
      spec.def->query_style ? run_query(ctx, spec, source) : run_single_key(ctx, spec, source, key);
  --ctx.depth;
  return r;
}

bool lookup_quote(std::string_view type, std::string_view in, std::string& out, std::string& err) {
  std::optional<std::string_view> opt;
  size_t us = type.find('_');
  std::string_view name = type.substr(0, us);
  if (us != std::string_view::npos) opt = type.substr(us + 1);
  const LookupDef* def = find_lookup(name);
  if (!def) {
    err = "unknown lookup type \"" + std::string(name) + "\"";
    return false;
  }
  if (def->quote ? def->quote(in, opt, out) : !opt) {
    if (!def->quote) out += in;
    return true;
  }
  err = "\"" + std::string(*opt) + "\" unrecognized after \"${quote_" + std::string(name) + "\"";
  return false;
}

}  // namespace lang
