// engine/config/reader.cpp — the logical-line layer of the configuration reader: sections,
// macro definitions, main options, named lists, ACLs, driver instances, retry and rewrite
// rules (spec chapter 6). Physical lines come from source.cpp.
#include <algorithm>
#include <cctype>

#include "engine/config/config.h"
#include "engine/config/drivers.h"
#include "engine/config/macros.h"
#include "engine/config/main_options.h"
#include "engine/config/source.h"
#include "engine/config/suggest.h"
#include "engine/config/values.h"
#include "lang/registry.h"
#include "lang/variables.h"
#include "util/strings.h"

namespace engine::config {
namespace {

enum class Section { Main, Acl, Routers, Transports, Authenticators, Retry, Rewrite };

constexpr std::pair<std::string_view, Section> kSections[] = {
    {"acl", Section::Acl},         {"authenticators", Section::Authenticators},
    {"retry", Section::Retry},     {"rewrite", Section::Rewrite},
    {"routers", Section::Routers}, {"transports", Section::Transports}};

constexpr std::pair<std::string_view, lang::ListKind> kListKinds[] = {
    {"domainlist", lang::ListKind::Domain},
    {"hostlist", lang::ListKind::Host},
    {"addresslist", lang::ListKind::Address},
    {"localpartlist", lang::ListKind::LocalPart}};

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

size_t skip_space(std::string_view s, size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}
size_t skip_name(std::string_view s, size_t i) {
  while (i < s.size() && is_name_char(s[i])) ++i;
  return i;
}

// One "[hide] name [= value]" option line, split. `value_at` is the value's offset in the line.
struct OptionText {
  bool hidden = false;
  std::string name;
  bool has_value = false;
  std::string_view rest;  // what follows the name when there is no '='
  std::string_view value;
  size_t value_at = 0;
};

OptionText split_option(std::string_view line) {
  OptionText o;
  size_t i = 0;
  if (line.starts_with("hide") && line.size() > 4 && is_space(line[4])) {
    o.hidden = true;
    i = skip_space(line, 4);
  }
  size_t e = skip_name(line, i);
  o.name = std::string(line.substr(i, e - i));
  i = skip_space(line, e);
  if (i < line.size() && line[i] == '=') {
    o.has_value = true;
    o.value_at = skip_space(line, i + 1);
    o.value = line.substr(o.value_at);
  } else {
    o.rest = line.substr(i);
  }
  return o;
}

// The negation prefix of a boolean switch: "no_" or "not_".
size_t negation_prefix(std::string_view name) {
  if (name.starts_with("not_")) return 4;
  if (name.starts_with("no_")) return 3;
  return 0;
}

class Reader {
 public:
  explicit Reader(const ReadOptions& opts) {
    for (const Macro& m : opts.cmdline_macros) macros_.define_cmdline(m.name, m.value);
  }
  util::Result<Config> run(LineSource& src, const std::string& path);
  const MacroTable& macros() const { return macros_; }

 private:
  std::string handle(const LogicalLine& l);
  std::string macro_definition(const LogicalLine& l);
  std::string begin_section(const LogicalLine& l, std::string_view name);
  std::string main_line(const LogicalLine& l);
  std::string main_option(const LogicalLine& l, const OptionText& o);
  std::string main_bool(const LogicalLine& l, const OptionText& o, const MainOption& opt,
                        bool negated);
  std::string named_list(const LogicalLine& l, lang::ListKind kind, size_t at, bool hidden);
  std::string acl_line(const LogicalLine& l);
  std::string driver_line(const LogicalLine& l);
  std::string driver_option(const LogicalLine& l, Instance& inst);
  std::string check_driver(const Instance& inst);
  std::string find_instance_option(const Instance& inst, std::string_view name,
                                   const DriverOption*& opt);
  std::string check_driver_value(const DriverOption* opt, const Setting& s);
  static bool repeatable_option(DriverKind kind, std::string_view name);
  std::string repeat_option(const LogicalLine& l, const OptionText& o, const Instance& inst,
                            Setting& prev);
  std::string rule_line(const LogicalLine& l);
  std::string compile(const LogicalLine& l, size_t value_at, std::string_view raw,
                      const std::string& what, std::shared_ptr<const lang::Program>& out);
  std::vector<Instance>* instances();
  DriverKind driver_kind() const {
    if (section_ == Section::Routers) return DriverKind::Router;
    return section_ == Section::Transports ? DriverKind::Transport : DriverKind::Authenticator;
  }

  Config cfg_;
  MacroTable macros_;
  Section section_ = Section::Main;
  std::vector<Section> seen_;
  util::SourceLoc err_loc_;  // set when an error has a more precise place than the line
};

util::Result<Config> Reader::run(LineSource& src, const std::string& path) {
  cfg_.path = path;
  LogicalLine l;
  for (;;) {
    auto more = src.next(l);
    if (!more) return more.error();
    if (!*more) break;
    cfg_.lines.push_back({l.text, l.loc()});
    err_loc_ = {};
    std::string err = handle(l);
    if (!err.empty()) return util::Error{err, err_loc_.empty() ? l.loc() : err_loc_};
  }
  if (auto* insts = instances(); insts && !insts->empty()) {
    if (std::string err = check_driver(insts->back()); !err.empty()) {
      return util::Error{err, insts->back().loc};
    }
  }
  cfg_.macros = macros_.all();
  return std::move(cfg_);
}

std::string Reader::handle(const LogicalLine& l) {
  std::string_view t = l.text;
  if (t.size() > 6 && util::starts_with_ci(t, "begin") && is_space(t[5])) {
    return begin_section(l, util::trim(t.substr(5)));
  }
  bool macros_allowed = section_ != Section::Retry && section_ != Section::Rewrite;
  if (macros_allowed && std::isupper(static_cast<unsigned char>(t[0]))) return macro_definition(l);
  switch (section_) {
    case Section::Main:
      return main_line(l);
    case Section::Acl:
      return acl_line(l);
    case Section::Retry:
    case Section::Rewrite:
      return rule_line(l);
    default:
      return driver_line(l);
  }
}

std::string Reader::macro_definition(const LogicalLine& l) {
  std::string_view t = l.text;
  size_t e = skip_name(t, 0);
  std::string name(t.substr(0, e));
  size_t i = skip_space(t, e);
  bool redefine = t.substr(i).starts_with("==");
  if (i >= t.size() || t[i] != '=') return "malformed macro definition";
  std::string value(util::trim(t.substr(i + (redefine ? 2 : 1))));
  return macros_.define(name, value, redefine);
}

std::vector<Instance>* Reader::instances() {
  switch (section_) {
    case Section::Routers:
      return &cfg_.routers;
    case Section::Transports:
      return &cfg_.transports;
    case Section::Authenticators:
      return &cfg_.authenticators;
    default:
      return nullptr;
  }
}

std::string Reader::begin_section(const LogicalLine& l, std::string_view name) {
  (void)l;
  auto it = std::find_if(std::begin(kSections), std::end(kSections),
                         [&](const auto& s) { return util::iequals(s.first, name); });
  if (it == std::end(kSections)) {
    std::vector<std::string_view> names;
    for (const auto& s : kSections) names.push_back(s.first);
    return "\"" + std::string(name) + "\" is not a known configuration section name" +
           did_you_mean(util::to_lower(name), names);
  }
  if (std::find(seen_.begin(), seen_.end(), it->second) != seen_.end()) {
    return "\"" + std::string(it->first) + "\" section is repeated in the configuration file";
  }
  if (auto* insts = instances(); insts && !insts->empty()) {
    if (std::string err = check_driver(insts->back()); !err.empty()) {
      err_loc_ = insts->back().loc;
      return err;
    }
  }
  seen_.push_back(it->second);
  section_ = it->second;
  return {};
}

// ----- main section -----

std::string Reader::main_line(const LogicalLine& l) {
  std::string_view t = l.text;
  bool hidden = false;
  size_t i = 0;
  if (t.starts_with("hide") && t.size() > 4 && is_space(t[4])) {
    hidden = true;
    i = skip_space(t, 4);
  }
  size_t e = skip_name(t, i);
  std::string_view word = t.substr(i, e - i);
  if (word.ends_with("_cache")) word.remove_suffix(6);
  for (const auto& [kw, kind] : kListKinds) {
    if (word == kw && e < t.size() && is_space(t[e])) return named_list(l, kind, e, hidden);
  }
  OptionText o = split_option(t);
  if (o.name.empty() || !std::islower(static_cast<unsigned char>(o.name[0]))) {
    return "option setting expected: " + l.text;
  }
  return main_option(l, o);
}

std::string Reader::named_list(const LogicalLine& l, lang::ListKind kind, size_t at, bool hidden) {
  std::string_view t = l.text;
  size_t b = skip_space(t, at), e = skip_name(t, b);
  std::string name(t.substr(b, e - b));
  size_t i = skip_space(t, e);
  if (name.empty() || i >= t.size() || t[i] != '=') return "missing '=' after \"" + name + "\"";
  for (const ListDef& d : cfg_.lists) {
    if (d.name == name && d.kind == kind) {
      return "duplicate name \"" + name + "\" for a named " +
             std::string(list_kind_name(kind).substr(0, list_kind_name(kind).size() - 4)) + " list";
    }
  }
  size_t value_at = skip_space(t, i + 1);
  ListDef d{kind, name, std::string(t.substr(value_at)), l.loc(), hidden, nullptr};
  std::string what = std::string(list_kind_name(kind)) + " \"" + name + "\"";
  if (std::string err = compile(l, value_at, d.value, what, d.program); !err.empty()) return err;
  cfg_.lists.push_back(std::move(d));
  return {};
}

std::string Reader::main_option(const LogicalLine& l, const OptionText& o) {
  const MainOption* opt = find_main_option(o.name);
  bool negated = false;
  if (!opt && negation_prefix(o.name)) {
    opt = find_main_option(std::string_view(o.name).substr(negation_prefix(o.name)));
    negated = opt != nullptr;
  }
  if (!opt) {
    std::string hint = suggest_main_option(o.name);
    return "main option \"" + o.name + "\" unknown" +
           (hint.empty() ? "" : "; did you mean \"" + hint + "\"?");
  }
  if (cfg_.find_main(opt->name))
    return "\"" + std::string(opt->name) + "\" option set for the second time";
  if (opt->type == OptType::Bool) return main_bool(l, o, *opt, negated);
  if (negated) return "negation prefix applied to a non-boolean option";
  if (!o.has_value) {
    if (o.rest.empty()) return "unexpected end of line (data missing) after " + o.name;
    return "missing \"=\" after " + o.name;
  }
  Setting s{std::string(opt->name), {}, l.loc(), o.hidden, false, nullptr};
  if (std::string err = read_string(o.value, opt->name, s.value); !err.empty()) return err;
  if (std::string err = check_main_value(*opt, s.value); !err.empty()) return err;
  if (opt->expanded) {
    std::string what = "main option \"" + s.name + "\"";
    if (std::string err = compile(l, o.value_at, o.value, what, s.program); !err.empty())
      return err;
  }
  cfg_.main.push_back(std::move(s));
  return {};
}

std::string Reader::main_bool(const LogicalLine& l, const OptionText& o, const MainOption& opt,
                              bool negated) {
  Setting s{std::string(opt.name), negated ? "false" : "true", l.loc(), o.hidden, true, nullptr};
  if (negated && (o.has_value || !o.rest.empty())) {
    return "extra characters follow boolean option " + o.name;
  }
  if (!o.has_value && !o.rest.empty()) return "missing \"=\" after " + o.name;
  if (o.has_value && !util::trim(o.value).empty()) {
    std::string_view v = util::trim(o.value);
    size_t word_end = 0;
    while (word_end < v.size() && !is_space(v[word_end])) ++word_end;
    bool b = false;
    if (std::string err = read_bool(v.substr(0, word_end), opt.name, b); !err.empty()) return err;
    if (word_end < v.size()) {
      return "extra characters follow \"" + std::string(v.substr(0, word_end)) +
             "\" for boolean option " + o.name;
    }
    s.value = b ? "true" : "false";
    s.bare = false;
  }
  cfg_.main.push_back(std::move(s));
  return {};
}

// ----- expansion checks -----

// The offset of the innermost "${" or "{" left open at the end of `text` (backslash escapes
// and \N...\N skipped), or npos: when a parse error is at the end of the string, this is
// the place the administrator needs to look at.
size_t unclosed_brace(std::string_view text) {
  std::vector<size_t> open;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      if (i + 1 < text.size() && text[i + 1] == 'N') {
        size_t end = text.find("\\N", i + 2);
        i = end == std::string_view::npos ? text.size() : end + 1;
      } else {
        ++i;
      }
    } else if (text[i] == '{') {
      open.push_back(i > 0 && text[i - 1] == '$' ? i - 1 : i);
    } else if (text[i] == '}' && !open.empty()) {
      open.pop_back();
    }
  }
  return open.empty() ? std::string_view::npos : open.back();
}

// A "did you mean" for an expansion error that names an unknown condition, operator, item
// or variable, from the names the language registers; "" when there is none. The language's
// own message stays Exim's: the hint is the configuration reader's addition.
std::string expansion_hint(std::string_view msg) {
  struct Form {
    std::string_view before, after;
    std::vector<std::string_view> (*names)();
  };
  static constexpr Form kForms[] = {
      {"unknown condition \"", "\"", lang::condition_names},
      {"unknown expansion operator \"", "\"", lang::operator_names},
      {"\"${", "\" is not a known operator", lang::item_names},
      {"unknown variable name \"", "\"", lang::variable_names},
      {"unknown variable in \"${", "}\"", lang::variable_names},
      {"unknown variable \"", "\" after \"def:\"", lang::variable_names},
  };
  for (const Form& f : kForms) {
    if (!msg.starts_with(f.before)) continue;
    size_t end = msg.find(f.after, f.before.size());
    if (end == std::string_view::npos) continue;
    std::string_view word = msg.substr(f.before.size(), end - f.before.size());
    const std::vector<std::string_view> names = f.names();
    std::string near = nearest_name(word, names);
    size_t us = word.find('_');  // an operator with a suffix: "hahs_3" may be "hash_3"
    if (near.empty() && f.names == lang::operator_names && us != std::string_view::npos) {
      near = nearest_name(word.substr(0, us), names);
      if (!near.empty()) near += word.substr(us);
    }
    return near.empty() ? std::string() : "; did you mean \"" + near + "\"?";
  }
  return {};
}

// Compiles `raw` (the value as written, quotes included) and maps an error offset back to
// file:line:column through the quoted-string offsets and the logical line's pieces.
std::string Reader::compile(const LogicalLine& l, size_t value_at, std::string_view raw,
                            const std::string& what, std::shared_ptr<const lang::Program>& out) {
  std::string text;
  std::vector<size_t> offsets;
  if (std::string err = read_string(raw, what, text, &offsets); !err.empty()) return err;
  auto prog = std::make_shared<lang::Program>();
  lang::Status st = lang::Program::compile(text, *prog);
  if (st.is_ok()) {
    out = std::move(prog);
    return {};
  }
  size_t at = st.pos() == lang::Status::npos ? 0 : st.pos();
  auto to_raw = [&](size_t p) { return p < offsets.size() ? offsets[p] : raw.size(); };
  err_loc_ = l.loc_at(value_at + to_raw(at));
  std::string msg =
      "syntax error in expansion of " + what + ": " + st.message() + expansion_hint(st.message());
  size_t open = at >= text.size() ? unclosed_brace(text) : std::string_view::npos;
  if (open != std::string_view::npos) {
    util::SourceLoc o = l.loc_at(value_at + to_raw(open));
    msg += "\n (hint: the \"" + std::string(text[open] == '$' ? "${" : "{") + "\" at line " +
           std::to_string(o.line) + " column " + std::to_string(o.column) + " is never closed)";
  }
  return msg;
}

// ----- ACL section -----

std::string Reader::acl_line(const LogicalLine& l) {
  std::string_view t = l.text;
  size_t e = skip_name(t, 0);
  if (e > 0 && e < t.size() && t[e] == ':') {
    std::string name(t.substr(0, e));
    if (cfg_.find_acl(name)) return "there are two ACLs called \"" + name + "\"";
    cfg_.acls.push_back({name, l.loc(), {}});
    std::string_view rest = util::trim(t.substr(e + 1));
    if (!rest.empty()) cfg_.acls.back().lines.push_back({std::string(rest), l.loc_at(e + 1)});
    return {};
  }
  if (cfg_.acls.empty()) return "missing or malformed ACL name";
  int last = l.pieces.empty() ? 0 : l.pieces.back().loc.line;
  cfg_.acls.back().lines.push_back({l.text, l.loc(), last});
  return {};
}

// ----- driver sections -----

std::string Reader::check_driver(const Instance& inst) {
  std::string kind(driver_kind_name(driver_kind()));
  if (inst.driver.empty()) return "no driver defined for " + kind + " \"" + inst.name + "\"";
  return {};
}

std::string Reader::driver_line(const LogicalLine& l) {
  std::vector<Instance>& insts = *instances();
  std::string_view t = l.text;
  DriverKind kind = driver_kind();
  size_t e = skip_name(t, 0);
  size_t colon = skip_space(t, e);
  bool header = e > 0 && std::isalpha(static_cast<unsigned char>(t[0])) && colon < t.size() &&
                t[colon] == ':';
  if (header) {
    std::string name(t.substr(0, e));
    if (skip_space(t, colon + 1) < t.size()) return "extra characters follow driver name " + name;
    if (!insts.empty()) {
      if (std::string err = check_driver(insts.back()); !err.empty()) {
        err_loc_ = insts.back().loc;
        return err;
      }
    }
    for (const Instance& i : insts) {
      if (i.name == name) {
        return "there are two " + std::string(driver_kind_name(kind)) + "s called \"" + name + "\"";
      }
    }
    insts.push_back({name, {}, l.loc(), {}});
    return {};
  }
  if (insts.empty()) return std::string(driver_kind_name(kind)) + " name missing";
  return driver_option(l, insts.back());
}

std::string Reader::driver_option(const LogicalLine& l, Instance& inst) {
  OptionText o = split_option(l.text);
  if (o.name.empty()) return "option setting expected: " + l.text;
  Setting s{o.name, "true", l.loc(), o.hidden, !o.has_value, nullptr};
  if (!o.has_value) {
    if (!o.rest.empty()) return "missing \"=\" after " + o.name;
    if (size_t n = negation_prefix(o.name)) {
      s.name = o.name.substr(n);
      s.value = "false";
    }
  }
  for (Setting& prev : inst.options) {
    if (prev.name != s.name) continue;
    if (!o.has_value || !repeatable_option(driver_kind(), s.name))
      return "\"" + s.name + "\" option set for the second time";
    return repeat_option(l, o, inst, prev);
  }
  const DriverOption* opt = nullptr;
  if (std::string err = find_instance_option(inst, s.name, opt); !err.empty()) return err;
  if (o.has_value) {
    if (std::string err = read_string(o.value, o.name, s.value); !err.empty()) return err;
    if (std::string err = check_driver_value(opt, s); !err.empty()) return err;
    std::string what = "option \"" + s.name + "\" of " + inst.name + " " +
                       std::string(driver_kind_name(driver_kind()));
    bool expanded = !opt || opt->expanded;
    if (expanded) {
      if (std::string err = compile(l, o.value_at, o.value, what, s.program); !err.empty())
        return err;
    }
  } else if (opt && opt->type != OptType::Bool) {
    return "unexpected end of line (data missing) after " + o.name;
  }
  if (s.name == "driver") {
    DriverKind kind = driver_kind();
    std::string k(driver_kind_name(kind));
    std::vector<std::string_view> known(known_drivers(kind).begin(), known_drivers(kind).end());
    for (const DriverInfo* d : registered_drivers(kind)) known.push_back(d->name);
    if (std::find(known.begin(), known.end(), s.value) == known.end()) {
      return k + " " + inst.name + ": cannot find " + k + " driver \"" + s.value + "\"" +
             did_you_mean(s.value, known);
    }
    inst.driver = s.value;
  }
  inst.options.push_back(std::move(s));
  return {};
}

// Options that may be set more than once on a driver (spec 15: condition, headers_add,
// headers_remove, set); Exim joins the values as -bP shows them.
bool Reader::repeatable_option(DriverKind kind, std::string_view name) {
  if (name == "headers_add" || name == "headers_remove") return kind != DriverKind::Authenticator;
  return kind == DriverKind::Router && (name == "condition" || name == "set");
}

std::string Reader::repeat_option(const LogicalLine& l, const OptionText& o, const Instance& inst,
                                  Setting& prev) {
  std::string value;
  if (std::string err = read_string(o.value, o.name, value); !err.empty()) return err;
  std::string what = "option \"" + prev.name + "\" of " + inst.name + " " +
                     std::string(driver_kind_name(driver_kind()));
  std::shared_ptr<const lang::Program> alone;
  if (std::string err = compile(l, o.value_at, o.value, what, alone); !err.empty()) return err;
  if (prev.name == "condition")
    prev.value = "${if and{{bool_lax{" + prev.value + "}}{bool_lax{" + value + "}}}}";
  else
    prev.value += (prev.name == "headers_add" ? "\n" : prev.name == "set" ? ";" : ":") + value;
  auto prog = std::make_shared<lang::Program>();
  lang::Status st = lang::Program::compile(prev.value, *prog);
  if (!st.is_ok()) return "syntax error in expansion of " + what + ": " + st.message();
  prev.program = std::move(prog);
  return {};
}

// The option `name` of `inst` (generic, or private to its driver) in `opt`. A driver that no
// family has registered yet takes any option (opt stays null); otherwise an unknown name is
// an error, as is a private option before "driver =" (spec 6.22).
std::string Reader::find_instance_option(const Instance& inst, std::string_view name,
                                         const DriverOption*& opt) {
  DriverKind kind = driver_kind();
  const DriverInfo* d = inst.driver.empty() ? nullptr : find_driver(kind, inst.driver);
  opt = find_driver_option(kind, d, name);
  if (opt || (!inst.driver.empty() && !d)) return {};
  std::string where = std::string(driver_kind_name(kind)) + " \"" + inst.name + "\"";
  if (inst.driver.empty()) {
    return "option \"" + std::string(name) + "\" unknown in " + where +
           " (\"driver\" must come before the driver's own options)";
  }
  return "option \"" + std::string(name) + "\" unknown in " + where + " (driver " + inst.driver +
         ")" + suggest_driver_option(kind, d, name);
}

// Checks a non-expanded typed value (an expanded boolean such as "more" may be an expansion).
std::string Reader::check_driver_value(const DriverOption* opt, const Setting& s) {
  if (!opt || opt->type == OptType::String || opt->type == OptType::List) return {};
  if (opt->expanded && s.value.find('$') != std::string::npos) return {};
  return check_main_value(*opt, s.value);
}

// ----- retry and rewrite -----

std::string Reader::rule_line(const LogicalLine& l) {
  std::string_view t = l.text;
  size_t e = 0;
  while (e < t.size() && !is_space(t[e])) ++e;
  bool one_field = skip_space(t, e) >= t.size();
  if (section_ == Section::Retry) {
    if (one_field) return "missing error type in retry rule";
    cfg_.retry.push_back({l.text, l.loc()});
  } else {
    if (one_field) return "missing rewrite replacement string";
    cfg_.rewrite.push_back({l.text, l.loc()});
  }
  return {};
}

}  // namespace

std::string_view list_kind_name(lang::ListKind k) {
  switch (k) {
    case lang::ListKind::Domain:
      return "domainlist";
    case lang::ListKind::Host:
      return "hostlist";
    case lang::ListKind::Address:
      return "addresslist";
    case lang::ListKind::LocalPart:
      return "localpartlist";
  }
  return "list";
}

const Setting* Config::find_main(std::string_view name) const {
  for (auto it = main.rbegin(); it != main.rend(); ++it)
    if (it->name == name) return &*it;
  return nullptr;
}
const ListDef* Config::find_list(std::string_view name) const {
  for (const auto& l : lists)
    if (l.name == name) return &l;
  return nullptr;
}
const AclBlock* Config::find_acl(std::string_view name) const {
  for (const auto& a : acls)
    if (a.name == name) return &a;
  return nullptr;
}
const Macro* Config::find_macro(std::string_view name) const {
  for (const auto& m : macros)
    if (m.name == name) return &m;
  return nullptr;
}

std::string format_error(const util::Error& e) {
  std::string where = e.loc.str();
  return where.empty() ? e.message : where + ": " + e.message;
}

std::string substitute_macros(std::string_view line, const std::vector<Macro>& macros) {
  std::string s(line);
  substitute_line(s, false, macros);
  return s;
}

util::Result<Config> read_string(std::string_view text, const std::string& name,
                                 const ReadOptions& opts) {
  Reader r(opts);
  LineSource src(r.macros());
  src.open_string(text, name);
  return r.run(src, name);
}

util::Result<Config> read_file(const std::string& path, const ReadOptions& opts) {
  Reader r(opts);
  LineSource src(r.macros());
  auto opened = src.open_file(path);
  if (!opened) return opened.error();
  return r.run(src, path);
}

}  // namespace engine::config
