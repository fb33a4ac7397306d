// engine/main.cpp — the facteur binary: parse the command line, read the configuration,
// run the requested mode.
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "engine/be_mode.h"
#include "engine/cli.h"
#include "engine/named_lists.h"
#include "engine/variables.h"

namespace {

int fail(const std::string& msg) {
  std::fprintf(stderr, "facteur: %s\n", msg.c_str());
  return 1;
}

void apply_timezone(const engine::config::Config& cfg) {
  std::string tz = engine::main_option(&cfg, "timezone");
  if (!tz.empty()) {
    setenv("TZ", tz.c_str(), 1);
    tzset();
  }
}

}  // namespace

int main(int argc, char** argv) {
  auto cl = engine::parse_command_line(argc, argv);
  if (!cl) return fail(cl.error().message);
  engine::config::ReadOptions ro;
  ro.cmdline_macros = cl->macros;
  auto cfg = engine::config::read_file(cl->config_path, ro);
  if (!cfg) {
    std::string where = cfg.error().loc.str();
    return fail((where.empty() ? "" : where + ": ") + cfg.error().message);
  }
  apply_timezone(*cfg);
  engine::Variables vars(&*cfg);
  engine::ConfigNamedLists lists(*cfg);
  lang::EvalContext ctx;
  ctx.vars = &vars;
  ctx.lists = &lists;
  switch (cl->mode) {
    case engine::Mode::Expand:
      return engine::run_expansion_test(*cfg, ctx, cl->args, stdin, stdout);
    case engine::Mode::Version:
      std::printf("Facteur version %s\n", "0.1.0");
      return 0;
    default:
      return fail("this mode is not implemented yet");
  }
}
