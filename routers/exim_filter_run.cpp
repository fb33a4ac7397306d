// routers/exim_filter_run.cpp — obeying a parsed Exim filter (see exim_filter.h; Exim's
// interfaces to mail filtering, 3.8-3.30): significant deliveries, conditions, user
// variables, and the errors Exim reports for commands that are not allowed.
#include <cctype>
#include <climits>
#include <cstdlib>

#include "engine/route_vars.h"
#include "lang/expand.h"
#include "lang/regex.h"
#include "lang/util/address.h"
#include "routers/exim_filter_program.h"
#include "util/strings.h"

namespace routers {
namespace {

using Cmd = FilterCommand;
using Cond = FilterCond;
using Result = FilterResult::Result;

class Runner {
 public:
  Runner(lang::EvalContext& ctx, engine::RouteVariables& vars, const FilterOptions& o)
      : ctx_(ctx), vars_(vars), o_(o) {
    for (int i = 0; i < 10; ++i) vars_.set("n" + std::to_string(i), "0");
  }
  FilterResult run(const FilterProgram& p);

 private:
  bool commands(const std::vector<Cmd>& cs);  // false: stop (finish, fail, error)
  bool command(const Cmd& c);
  bool if_command(const Cmd& c);
  bool expand(const std::string& raw, std::string_view what, std::string& out);
  bool error(std::string message);
  bool disabled(const Cmd& c, std::string_view name);
  bool cond(const Cond& c, bool& value);
  bool test(const Cond& c, bool& value);
  bool number(const std::string& s, long long& out);
  bool for_any_address(const Cond& c, bool& value);
  bool personal(const Cond& c, bool& value);
  bool header(std::string_view name, std::string& out) const;
  void add_action(const Cmd& c, std::string text, engine::AddressKind kind, bool significant);
  bool deliver(const Cmd& c);
  bool save(const Cmd& c);
  bool mail(const Cmd& c);
  bool add(const Cmd& c);

  lang::EvalContext& ctx_;
  engine::RouteVariables& vars_;
  const FilterOptions& o_;
  FilterResult r_;
  bool delivered_ = false;
  long long n_[10] = {};
  std::string logfile_;
};

bool Runner::error(std::string message) {
  r_.result = Result::Error;
  r_.message = std::move(message);
  return false;
}

bool Runner::expand(const std::string& raw, std::string_view what, std::string& out) {
  lang::Status st = lang::expand_string(raw, ctx_, out);
  if (st.is_ok()) return true;
  return error("failed to expand \"" + raw + "\" in " + std::string(what) +
               " command: " + st.message());
}

bool Runner::disabled(const Cmd& c, std::string_view name) {
  return error("filtering command \"" + std::string(name) + "\" is disabled: near line " +
               std::to_string(c.line) + " of filter file");
}

void Runner::add_action(const Cmd& c, std::string text, engine::AddressKind kind,
                        bool significant) {
  FilterAction a;
  a.text = std::move(text);
  a.kind = kind;
  a.significant = significant;
  a.noerror = c.noerror;
  for (const FilterAction& old : r_.actions)
    if (old.text == a.text && old.kind == a.kind) return;  // duplicates are dropped
  r_.actions.push_back(std::move(a));
  if (significant) delivered_ = true;
}

bool Runner::deliver(const Cmd& c) {
  std::string text, err;
  if (!expand(c.arg, "deliver", text)) return false;
  lang::ParsedAddress pa;
  if (!lang::address_parse(text, pa, err))
    return error("malformed address \"" + text + "\" in filter file: " + err);
  std::string address = pa.domain ? pa.address : pa.address + "@" + o_.qualify_domain;
  std::optional<std::string> errors_to;
  if (!c.arg2.empty()) {
    std::string e;
    if (!expand(c.arg2, "deliver", e)) return false;
    if (!util::iequals(e, o_.user_address))
      return error("errors_to must point to the caller's address");
    errors_to = e;
  }
  add_action(c, address, engine::AddressKind::Mail, !c.unseen);
  if (errors_to) {
    for (FilterAction& a : r_.actions)
      if (a.text == address) a.errors_to = errors_to;
  }
  return true;
}

bool Runner::save(const Cmd& c) {
  if (o_.forbid_file) return disabled(c, "save");
  std::string path;
  if (!expand(c.arg, "save", path)) return false;
  if (path.empty()) return error("save requires a file name");
  if (path[0] != '/' && o_.prepend_home && !o_.home.empty()) path = o_.home + "/" + path;
  auto kind = path.back() == '/' ? engine::AddressKind::Directory : engine::AddressKind::File;
  add_action(c, path, kind, !c.unseen);
  if (!c.arg2.empty()) r_.actions.back().mode = c.arg2;
  return true;
}

bool Runner::mail(const Cmd& c) {
  if (o_.forbid_reply) return disabled(c, c.kind == Cmd::Kind::Mail ? "mail" : "vacation");
  if (o_.error_message) return true;  // no autoreplies to bounces
  std::string to;
  auto it = c.mail.find("to");
  if (it != c.mail.end()) {
    if (!expand(it->second, "mail", to)) return false;
  } else if (ctx_.vars) {
    ctx_.vars->get("reply_address", to);
  }
  add_action(c, ">" + to, engine::AddressKind::Reply, c.seen);
  return true;
}

bool Runner::add(const Cmd& c) {
  std::string v, name;
  long long n = 0;
  if (!expand(c.arg, "add", v) || !expand(c.arg2, "add", name)) return false;
  if (name.size() != 2 || name[0] != 'n' || !std::isdigit(static_cast<unsigned char>(name[1])))
    return error("unrecognized user variable \"" + name + "\" in add command");
  if (!number(v, n)) return false;
  int i = name[1] - '0';
  if (__builtin_add_overflow(n_[i], n, &n_[i]))  // saturates, as the number itself does
    n_[i] = n > 0 ? LLONG_MAX : LLONG_MIN;
  vars_.set(name, std::to_string(n_[i]));
  return true;
}

bool Runner::command(const Cmd& c) {
  using K = Cmd::Kind;
  std::string s;
  switch (c.kind) {
    case K::If:
      return if_command(c);
    case K::Deliver:
      return deliver(c);
    case K::Save:
      return save(c);
    case K::Pipe:
      if (o_.forbid_pipe) return disabled(c, "pipe");
      if (!expand(c.arg, "pipe", s)) return false;
      add_action(c, "|" + s, engine::AddressKind::Pipe, !c.unseen);
      return true;
    case K::Finish:
      if (c.seen) delivered_ = true;
      return false;
    case K::Testprint:
      if (!expand(c.arg, "testprint", s)) return false;
      r_.testprint.push_back(s);
      return true;
    case K::Add:
      return add(c);
    case K::Headers:
      return true;  // charset: decoding is done as the message's variables define it
    case K::Logfile:
      if (o_.forbid_logwrite) return disabled(c, "logfile");
      return expand(c.arg, "logfile", logfile_);
    case K::Logwrite:
      if (o_.forbid_logwrite) return disabled(c, "logwrite");
      if (logfile_.empty()) return error("no logfile defined for logwrite");
      if (!expand(c.arg, "logwrite", s)) return false;
      r_.log_lines.push_back(logfile_ + "\t" + s);
      return true;
    case K::Mail:
    case K::Vacation:
      return mail(c);
    case K::Fail:
    case K::Freeze:
    case K::Defer: {
      bool allowed = c.kind == K::Fail     ? o_.allow_fail
                     : c.kind == K::Freeze ? o_.allow_freeze
                                           : o_.allow_defer;
      std::string_view name = c.kind == K::Fail ? "fail" : c.kind == K::Freeze ? "freeze" : "defer";
      if (!allowed) return disabled(c, name);
      if (!c.arg.empty() && !expand(c.arg, name, r_.message)) return false;
      r_.result = c.kind == K::Fail     ? Result::Fail
                  : c.kind == K::Freeze ? Result::Freeze
                                        : Result::Defer;
      return false;
    }
  }
  return true;
}

bool Runner::if_command(const Cmd& c) {
  std::string saved;
  bool had = vars_.get("thisaddress", saved);
  bool go_on = true;
  bool done = false;
  for (const auto& [condition, body] : c.branches) {
    bool v = false;
    if (!cond(*condition, v)) return false;
    if (v) {
      go_on = commands(body);
      done = true;
      break;
    }
  }
  if (!done) go_on = commands(c.otherwise);
  if (had)
    vars_.set("thisaddress", saved);
  else
    vars_.reset("thisaddress");
  return go_on;
}

bool Runner::commands(const std::vector<Cmd>& cs) {
  for (const Cmd& c : cs)
    if (!command(c)) return false;
  return true;
}

// Out of range values (digits or a K/M multiple) saturate at the largest number.
bool Runner::number(const std::string& s, long long& out) {
  std::string t(util::trim(s));
  char* end = nullptr;
  out = std::strtoll(t.c_str(), &end, 10);
  if (end == t.c_str()) return error("\"" + t + "\" is not a number");
  std::string_view rest(end);
  long long unit = 1;
  if (rest == "k" || rest == "K")
    unit = 1024;
  else if (rest == "m" || rest == "M")
    unit = 1024 * 1024;
  else if (!rest.empty())
    return error("\"" + t + "\" is not a number");
  long long digits = out;
  if (__builtin_mul_overflow(digits, unit, &out)) out = digits < 0 ? LLONG_MIN : LLONG_MAX;
  return true;
}

bool Runner::test(const Cond& c, bool& value) {
  std::string a, b;
  if (!expand(c.a, "condition", a) || !expand(c.b, "condition", b)) return false;
  using R = Cond::Rel;
  if (c.rel == R::Above || c.rel == R::Below) {
    long long x = 0, y = 0;
    if (!number(a, x) || !number(b, y)) return false;
    value = c.rel == R::Above ? x > y : x < y;
  } else if (c.rel == R::Matches) {
    std::shared_ptr<const lang::Regex> re;
    lang::Status st = lang::Regex::cached(b, re, {!c.caseful, false});
    if (!st.is_ok()) return error(st.message());
    value = re->match(ctx_, a);
  } else {
    if (!c.caseful) {
      a = util::to_lower(a);
      b = util::to_lower(b);
    }
    value = c.rel == R::Is         ? a == b
            : c.rel == R::Contains ? a.find(b) != std::string::npos
            : c.rel == R::Begins
                ? a.compare(0, b.size(), b) == 0
                : a.size() >= b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0;
  }
  if (c.negated) value = !value;
  return true;
}

bool Runner::for_any_address(const Cond& c, bool& value) {
  std::string list;
  if (!expand(c.a, "foranyaddress", list)) return false;
  value = false;
  lang::AddressParseState st;
  st.allow_group = true;
  for (std::string_view piece : lang::address_split(list)) {
    lang::ParsedAddress pa;
    std::string err;
    if (!lang::address_parse(piece, st, pa, err)) continue;
    vars_.set("thisaddress", pa.address);
    if (!cond(*c.left, value)) return false;
    if (value) return true;
  }
  return true;
}

bool Runner::header(std::string_view name, std::string& out) const {
  out.clear();
  return ctx_.vars && ctx_.vars->header("h", name, out);
}

// "personal" (3.29): not a bounce or list mail, addressed to the user, not from a robot.
bool Runner::personal(const Cond& c, bool& value) {
  value = false;
  if (o_.error_message) return true;
  std::string headers, h;
  if (ctx_.vars) ctx_.vars->get("message_headers", headers);
  std::string lh = "\n" + util::to_lower(headers);
  for (const char* l : {"list-id:", "list-help:", "list-subscribe:", "list-unsubscribe:",
                        "list-post:", "list-owner:", "list-archive:"})
    if (lh.find(std::string("\n") + l) != std::string::npos) return true;
  if (header("auto-submitted", h) && !util::iequals(util::trim(h), "no")) return true;
  header("precedence", h);
  std::string p = util::to_lower(h);
  for (const char* w : {"bulk", "list", "junk"})
    if (p.find(w) != std::string::npos) return true;
  std::vector<std::string> mine{util::to_lower(o_.user_address)};
  for (const std::string& a : c.aliases) mine.push_back(util::to_lower(a));
  auto addresses = [](const std::string& v) {
    std::vector<std::string> out;
    for (std::string_view piece : lang::address_split(v)) {
      lang::ParsedAddress pa;
      std::string err;
      if (lang::address_parse(piece, pa, err)) out.push_back(util::to_lower(pa.address));
    }
    return out;
  };
  header("to", h);
  bool to_me = false;
  for (const std::string& a : addresses(h))
    for (const std::string& m : mine) to_me = to_me || a == m;
  if (!to_me) return true;
  header("from", h);
  for (const std::string& a : addresses(h)) {
    for (const char* robot :
         {"server@", "daemon@", "root@", "listserv@", "majordomo@", "-request@"})
      if (a.find(robot) != std::string::npos) return true;
    if (a.rfind("owner-", 0) == 0 || a == mine[0]) return true;
  }
  value = true;
  return true;
}

bool Runner::cond(const Cond& c, bool& value) {
  using K = Cond::Kind;
  bool v2 = false;
  switch (c.kind) {
    case K::And:
      if (!cond(*c.left, value)) return false;
      if (!value) return true;
      return cond(*c.right, value);
    case K::Or:
      if (!cond(*c.left, value)) return false;
      if (value) return true;
      return cond(*c.right, value);
    case K::Not:
      if (!cond(*c.left, v2)) return false;
      value = !v2;
      return true;
    case K::Test:
      return test(c, value);
    case K::Delivered:
      value = delivered_;
      return true;
    case K::ErrorMessage:
      value = o_.error_message;
      return true;
    case K::FirstDelivery:
      value = o_.first_delivery;
      return true;
    case K::ManuallyThawed:
      value = false;
      return true;
    case K::Personal:
      return personal(c, value);
    case K::ForAnyAddress:
      return for_any_address(c, value);
  }
  return true;
}

FilterResult Runner::run(const FilterProgram& p) {
  r_.result = Result::NotDelivered;
  commands(p.commands);
  if (r_.result == Result::NotDelivered && delivered_) r_.result = Result::Delivered;
  for (int i = 0; i < 10; ++i) vars_.reset("n" + std::to_string(i));
  return std::move(r_);
}

}  // namespace

FilterResult run_exim_filter(const FilterProgram& program, lang::EvalContext& ctx,
                             engine::RouteVariables& vars, const FilterOptions& opts) {
  return Runner(ctx, vars, opts).run(program);
}

}  // namespace routers
