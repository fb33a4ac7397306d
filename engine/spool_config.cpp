#include "engine/spool_config.h"

#include <map>
#include <memory>
#include <mutex>

#include "engine/config/main_options.h"
#include "lang/expand.h"

namespace engine {
namespace {

// The compiled default of an expanded main option, shared by every thread.
const lang::Program* default_program(const config::MainOption& o) {
  static std::mutex mu;
  static std::map<std::string_view, std::unique_ptr<lang::Program>> cache;
  std::lock_guard lock(mu);
  auto& slot = cache[o.name];
  if (!slot) {
    slot = std::make_unique<lang::Program>();
    if (!lang::Program::compile(o.dflt, *slot).is_ok()) slot = std::make_unique<lang::Program>();
  }
  return slot.get();
}

}  // namespace

util::Result<std::string> main_option_value(const config::Config& cfg, lang::EvalContext& ctx,
                                            std::string_view name) {
  const config::MainOption* o = config::find_main_option(name);
  if (cfg.find_main(name) || !o) return main_option_expanded(cfg, ctx, name, "");
  if (!o->expanded) return std::string(o->dflt);
  std::string out;
  lang::Status st = default_program(*o)->eval(ctx, out);
  if (!st.is_ok()) return util::Error{"failed to expand " + std::string(name) + ": " + st.message(), {}};
  return out;
}

util::Result<std::string> main_option_expanded(const config::Config& cfg, lang::EvalContext& ctx,
                                               std::string_view name, std::string_view dflt) {
  const config::Setting* s = cfg.find_main(name);
  if (!s) return std::string(dflt);
  if (!s->program) return s->value;
  std::string out;
  lang::Status st = s->program->eval(ctx, out);
  if (!st.is_ok())
    return util::Error{"failed to expand " + std::string(name) + ": " + st.message(), s->loc};
  return out;
}

util::Result<SpoolLayout> spool_layout_from_config(const config::Config& cfg,
                                                   lang::EvalContext& ctx) {
  auto dir = main_option_expanded(cfg, ctx, "spool_directory", "/var/spool/facteur");
  if (!dir) return dir.error();
  SpoolLayout l;
  l.directory = *dir;
  while (l.directory.size() > 1 && l.directory.back() == '/') l.directory.pop_back();
  l.split = config::main_bool(cfg, "split_spool_directory");
  return l;
}

}  // namespace engine
