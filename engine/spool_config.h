// engine/spool_config.h — main options that locate the spool and the logs, read from the
// configuration with their expansions done (spool_directory and log_file_path are expanded
// when used, spec chapter 14).
//
// Errors: a failed expansion gives an Error with the option name and Exim's expansion message.
#pragma once

#include <string>
#include <string_view>

#include "engine/config/config.h"
#include "engine/spool.h"
#include "lang/context.h"
#include "util/result.h"

namespace engine {

// The value of a main option, expanded when the option is an expanded one; `dflt` when unset.
util::Result<std::string> main_option_expanded(const config::Config& cfg, lang::EvalContext& ctx,
                                               std::string_view name, std::string_view dflt);

// The same with the option table's default (expanded too) when the option is unset: the
// value an expanded main option has at run time. Defaults are compiled once per process.
util::Result<std::string> main_option_value(const config::Config& cfg, lang::EvalContext& ctx,
                                            std::string_view name);

// spool_directory (default /var/spool/facteur) and split_spool_directory.
util::Result<SpoolLayout> spool_layout_from_config(const config::Config& cfg,
                                                   lang::EvalContext& ctx);

}  // namespace engine
