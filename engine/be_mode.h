// engine/be_mode.h — `facteur -be`: expansion test mode, exactly as Exim 4.96 behaves
// (see shared/conformance/README.md, "Reference -be behaviour").
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "lang/context.h"

namespace engine {

// Expands each argument (or, with none, each line of `in`) and prints the results to `out`.
// Returns the process exit status.
int run_expansion_test(config::Config& cfg, lang::EvalContext& ctx,
                       const std::vector<std::string>& args, std::FILE* in, std::FILE* out);

}  // namespace engine
