// lang/items/run.cpp — ${run{<command>}{<yes>}{<no>}} and ${run,preexpand{...}} (spec 11.5).
//
// Without preexpand the command's text is split into arguments first (white space separates;
// "..." groups with backslash escapes, '...' groups literally) and each argument is then
// expanded on its own, so an expansion can never add arguments. With preexpand the whole text
// is expanded and the result split. The program runs directly (no shell) with an empty
// standard input; its output (stdout and stderr) becomes $value, which stays set afterwards,
// and its exit status $runrc (127 when it cannot be executed). Exit status 0 selects the yes
// part. Errors: an argument that does not expand ("Expansion of ... in ${run} expansion
// failed: ..."), a command killed by a signal or one that runs past the time limit.
#include <cctype>

#include "lang/context.h"
#include "lang/escapes.h"
#include "lang/expand.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/subprocess.h"

namespace lang {
namespace {

constexpr int kRunTimeout = 60;  // seconds, as Exim allows a ${run} command

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Splits a command line into arguments as the pipe transport does.
std::vector<std::string> split_command(std::string_view s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (true) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i >= s.size()) break;
    std::string w;
    char q = s[i];
    if (q == '"' || q == '\'') {
      for (++i; i < s.size() && s[i] != q;) {
        if (q == '"' && s[i] == '\\' && i + 1 < s.size())
          i = decode_escape(s, i + 1, w, {.hex = false});
        else
          w += s[i++];
      }
      if (i < s.size()) ++i;
    } else {
      while (i < s.size() && !is_space(s[i])) w += s[i++];
    }
    words.push_back(std::move(w));
  }
  return words;
}

struct RunArg {
  std::string text;  // the argument as split, before expansion
  Program prog;
  Status compiled;  // a compile error is reported only if the item is evaluated
};

class RunNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::vector<std::string> argv;
    LANG_TRY(build_argv(ctx, argv));
    util::SubprocessResult r = util::subprocess_run(argv, kRunTimeout);
    if (!r.error.empty()) return Status::error("couldn't create child process: " + r.error);
    if (r.timed_out) return Status::error("command timed out");
    if (r.signaled) return Status::error("command killed by signal " + std::to_string(r.signal));
    ctx.runrc = r.exit_status;
    ctx.value = std::move(r.output);
    ctx.value_set = true;
    return branches.eval(ctx, r.exit_status == 0, "run", out, ctx.value);
  }

  Status build_argv(EvalContext& ctx, std::vector<std::string>& argv) const {
    if (preexpand) {
      std::string line;
      LANG_TRY(command.eval(ctx, line));
      argv = split_command(line);
      return Status::ok();
    }
    for (const auto& a : args) {
      Status st = a.compiled;
      std::string v;
      if (st.is_ok()) st = a.prog.eval(ctx, v);
      if (!st.is_ok()) {
        st.message() = "Expansion of \"" + a.text + "\" from command \"" + raw +
                       "\" in ${run} expansion failed: " + st.message();
        return st;
      }
      argv.push_back(std::move(v));
    }
    return Status::ok();
  }

  bool preexpand = false;
  Template command;          // the whole command (preexpand)
  std::string raw;           // its text as written
  std::vector<RunArg> args;  // the split, separately compiled arguments (default)
  YesNo branches;
};

Status parse_options(Parser& p, RunNode& n) {
  while (p.consume(',')) {
    std::string_view opt = p.read_name();
    if (opt != "preexpand") return p.error("bad option '" + std::string(opt) + "' for run");
    n.preexpand = true;
  }
  return Status::ok();
}

Status parse_run(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<RunNode>();
  LANG_TRY(parse_options(p, *n));
  p.skip_ws();
  if (p.peek() != '{') return p.error("missing '{' for command arg of " + std::string(name));
  LANG_TRY(p.brace_arg(n->command));
  n->raw = std::string(n->command.source);
  if (!n->preexpand) {
    for (auto& w : split_command(n->raw)) {
      RunArg a;
      a.compiled = Program::compile(w, a.prog);
      a.text = std::move(w);
      n->args.push_back(std::move(a));
    }
  }
  LANG_TRY(p.yes_no(n->branches));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"run", parse_run}});

}  // namespace
}  // namespace lang
