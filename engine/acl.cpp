// engine/acl.cpp — compiling ACL blocks and running them (spec chapter 44, sections 17-20).
#include "engine/acl.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "engine/acl_trace.h"
#include "engine/variables.h"
#include "util/strings.h"

namespace engine::acl {
namespace {

using lang::AclVerdict;

// ---- The item registry ----

std::vector<ItemDef>& registry() {
  static std::vector<ItemDef> r;
  return r;
}

constexpr std::pair<std::string_view, Verb> kVerbs[] = {
    {"accept", Verb::Accept},   {"defer", Verb::Defer}, {"deny", Verb::Deny},
    {"discard", Verb::Discard}, {"drop", Verb::Drop},   {"require", Verb::Require},
    {"warn", Verb::Warn},
};

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view read_word(std::string_view s, size_t& i) {
  size_t b = i;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
  return s.substr(b, i - b);
}

void skip_space(std::string_view s, size_t& i) {
  while (i < s.size() && is_space(s[i])) ++i;
}

std::string timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

// `set acl_m_x = value`: the variable name must be acl_c or acl_m followed by a digit or '_'.
bool valid_acl_var(std::string_view v) {
  if (v.size() < 6 || (v.substr(0, 5) != "acl_c" && v.substr(0, 5) != "acl_m")) return false;
  if (!std::isdigit(static_cast<unsigned char>(v[5])) && v[5] != '_') return false;
  return std::all_of(v.begin() + 5, v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Parses one condition/modifier line (the part after any verb) into `item`.
std::string parse_item(std::string_view line, std::string_view whole, Item& item) {
  size_t i = 0;
  skip_space(line, i);
  if (i < line.size() && line[i] == '!') {
    item.negated = true;
    ++i;
    skip_space(line, i);
  }
  std::string_view name = read_word(line, i);
  item.def = find_item(name);
  if (!item.def) return "unknown ACL condition/modifier in \"" + std::string(whole) + "\"";
  if (item.negated && item.def->kind == ItemKind::Modifier) {
    return "ACL error: negation is not allowed with \"" + std::string(name) + "\"";
  }
  if (!item.def->takes_value) return "";
  if (name == "set") {
    skip_space(line, i);
    size_t b = i;
    while (i < line.size() && !is_space(line[i]) && line[i] != '=') ++i;
    item.var = std::string(line.substr(b, i - b));
    if (!valid_acl_var(item.var)) {
      return "invalid variable name after \"set\" in ACL modifier \"set " + item.var + "\"";
    }
  }
  skip_space(line, i);
  if (i >= line.size() || line[i] != '=') {
    return "\"=\" missing after ACL \"" + std::string(name) + "\" " +
           (item.def->kind == ItemKind::Modifier ? "modifier" : "condition");
  }
  ++i;
  skip_space(line, i);
  item.text = std::string(line.substr(i));
  lang::Status st = lang::Program::compile(item.text, item.value);
  if (!st.is_ok()) return "error in ACL \"" + std::string(name) + "\" value: " + st.message();
  return item.def->parse ? item.def->parse(item) : "";
}

// Verb at the start of `line` (followed by white space, '!' or the end), or false.
bool read_verb(std::string_view line, size_t& i, Verb& verb) {
  size_t j = 0;
  std::string_view w = read_word(line, j);
  if (j < line.size() && !is_space(line[j]) && line[j] != '!') return false;
  for (const auto& [name, v] : kVerbs) {
    if (w == name) {
      verb = v;
      i = j;
      return true;
    }
  }
  return false;
}

}  // namespace

// ---- Registry API ----

const ItemDef* find_item(std::string_view name) {
  for (const auto& d : registry())
    if (d.name == name) return &d;
  return nullptr;
}

std::vector<std::string_view> item_names() {
  std::vector<std::string_view> v;
  for (const auto& d : registry()) v.push_back(d.name);
  std::sort(v.begin(), v.end());
  return v;
}

void register_item(const ItemDef& d) {
  if (find_item(d.name)) {
    std::fprintf(stderr, "duplicate ACL condition/modifier \"%.*s\"\n",
                 static_cast<int>(d.name.size()), d.name.data());
    std::abort();
  }
  registry().push_back(d);
}

// ---- Compiling ----

Acl compile_acl(std::string name, const std::vector<config::Line>& lines,
                std::vector<util::Error>& errors) {
  Acl acl;
  acl.name = std::move(name);
  for (const auto& l : lines) {
    std::string_view text = util::trim(l.text);
    if (text.empty() || text[0] == '#') continue;
    size_t i = 0;
    Verb verb;
    if (read_verb(text, i, verb)) {
      acl.statements.push_back({verb, {}, l.loc, l.last_line ? l.last_line : l.loc.line});
      if (util::trim(text.substr(i)).empty()) continue;
    } else if (acl.statements.empty()) {
      size_t j = 0;
      errors.push_back({"error in ACL: unknown ACL verb \"" + std::string(read_word(text, j)) +
                            "\" in \"" + std::string(text) + "\"",
                        l.loc});
      continue;
    }
    Item item;
    item.loc = l.loc;
    std::string err = parse_item(text.substr(i), text, item);
    if (!err.empty()) {
      errors.push_back({"error in ACL: " + err, l.loc});
      continue;
    }
    acl.statements.back().items.push_back(std::move(item));
  }
  return acl;
}

const Acl* AclSet::find(std::string_view name) const {
  for (const auto& a : acls_)
    if (a->name == name) return a.get();
  return nullptr;
}

util::Result<AclSet> load(const config::Config& cfg) {
  AclSet set;
  std::vector<util::Error> errors;
  // No MIME parser, so no MIME ACL: refused rather than silently not run (T-MIME-1).
  if (!main_option(&cfg, "acl_smtp_mime").empty())
    errors.push_back(
        {"acl_smtp_mime is set, but facteur has no MIME ACL (the message is not "
         "parsed into MIME parts): remove the option or check in acl_smtp_data",
         {}});
  // No DKIM verifier either: a DKIM ACL would never run.
  if (!main_option(&cfg, "acl_smtp_dkim").empty())
    errors.push_back(
        {"acl_smtp_dkim is set, but facteur does not verify DKIM signatures: remove the option",
         {}});
  for (const auto& block : cfg.acls) set.add(compile_acl(block.name, block.lines, errors));
  if (errors.empty()) return set;
  std::string all;
  for (const auto& e : errors) {
    if (!all.empty()) all += "\n";
    std::string where = e.loc.str();
    all += (where.empty() ? "" : where + ": ") + e.message;
  }
  return util::Error{all, {}};
}

// ---- Running ----

void RunState::log(std::string_view line) {
  evaluator.log(line);
}

bool RunState::tracing() const {
  return evaluator.tracer() != nullptr;
}

void RunState::trace_note(std::string_view text) {
  if (AclTracer* t = evaluator.tracer()) t->note(depth, text);
}

AclVerdict RunState::call_acl(std::string_view name, const std::vector<std::string>& args) {
  return evaluator.run_nested(name, args, user_message, depth + 1);
}

Evaluator::Evaluator(const AclSet& acls, lang::EvalContext& ctx)
    : acls_(acls), ctx_(ctx), log_([](std::string_view line) {
        std::string s = timestamp() + " " + std::string(line) + "\n";
        std::fwrite(s.data(), 1, s.size(), stderr);
      }) {}

AclVerdict Evaluator::run(std::string_view name, const std::vector<std::string>& args,
                          std::string& message) {
  message.clear();
  log_message_.clear();
  return run_nested(name, args, message, depth_ + 1);
}

AclVerdict Evaluator::run_nested(std::string_view name, const std::vector<std::string>& args,
                                 std::string& message, int depth) {
  if (depth > kMaxDepth) {
    log("ACL nested too deep: possible loop");
    return AclVerdict::Error;
  }
  std::shared_ptr<const Acl> acl = resolve(name);
  if (!acl) return AclVerdict::Error;
  if (tracer_) tracer_->acl_begin(depth, name, source_of(name));
  std::vector<std::string> saved = std::move(ctx_.acl_args);
  ctx_.acl_args.assign(args.begin(),
                       args.begin() + static_cast<long>(std::min<size_t>(args.size(), 9)));
  int saved_depth = depth_;
  depth_ = depth;
  AclVerdict v = run_acl(*acl, message, depth);
  depth_ = saved_depth;
  ctx_.acl_args = std::move(saved);
  return v;
}

AclTracer::Source Evaluator::source_of(std::string_view name) const {
  if (std::none_of(name.begin(), name.end(), is_space) && acls_.find(name))
    return AclTracer::Source::Named;
  return !name.empty() && name[0] == '/' ? AclTracer::Source::File : AclTracer::Source::Inline;
}

std::shared_ptr<const Acl> Evaluator::resolve(std::string_view name) {
  bool spaces = std::any_of(name.begin(), name.end(), is_space);
  if (!spaces) {
    // Named ACLs live as long as the AclSet: shared without ownership.
    if (const Acl* a = acls_.find(name))
      return std::shared_ptr<const Acl>(std::shared_ptr<const Acl>(), a);
  }
  auto it = extra_.find(name);
  if (it != extra_.end()) return it->second;
  bool is_file = !name.empty() && name[0] == '/';
  std::string text(name);
  if (is_file) {
    std::ifstream f(text);
    if (!f) {
      log("failed to read ACL file \"" + text + "\": " + util::errno_text(errno));
      return nullptr;
    }
    std::stringstream ss;
    ss << f.rdbuf();
    text = ss.str();
  }
  std::vector<config::Line> lines;
  std::istringstream in(text);
  std::string l;
  bool continued = false;  // the previous line ended with a backslash: join this one to it
  for (int n = 1; std::getline(in, l); ++n) {
    std::string_view t = continued ? util::trim(l) : std::string_view(l);
    if (continued)
      lines.back().text.append(t);
    else
      lines.push_back({std::string(t), {is_file ? std::string(name) : std::string(), n, 0}});
    std::string& last = lines.back().text;
    while (!last.empty() && is_space(last.back())) last.pop_back();
    continued = !last.empty() && last.back() == '\\';
    if (continued) last.pop_back();
  }
  std::vector<util::Error> errors;
  auto acl = std::make_shared<const Acl>(compile_acl(std::string(name), lines, errors));
  if (!errors.empty()) {
    log(errors.front().message);
    return nullptr;
  }
  if (extra_.size() >= kMaxExtra) extra_.clear();
  extra_.emplace(std::string(name), acl);
  return acl;
}

}  // namespace engine::acl
