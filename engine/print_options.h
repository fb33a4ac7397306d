// engine/print_options.h — `facteur -bV` and `facteur -bP` (spec chapter 5, "The Exim command
// line": -bV, -bP).
//
// print_version() writes the version and build information (-bV prints it before the
// configuration is read, so a configuration error follows it). print_config_options() writes
// what -bP asks for, Exim's format: main options as "name = value" (booleans as "name" or
// "no_name"); "config_file", "config", "environment", "macros", "macro_list", "macro NAME",
// "+listname", "router_list", "routers", "router NAME" (and transport/authenticator forms).
// An unknown name prints "NAME is not a known option". Returns the exit status: that of the
// last item, non-zero when it was not found. Hidden values ("hide") are shown only to admins.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "engine/config/config.h"

namespace engine {

struct PrintSettings {
  bool admin = false;    // root or the facteur user: hidden values and macros are shown
  bool no_name = false;  // -n: values without their names
};

// The version -bV prints (and facteur-update-conf's MAIN_PACKAGE_VERSION macro).
inline constexpr const char* kFacteurVersion = "0.1.0";

void print_version(std::FILE* out);

int print_config_options(const config::Config& cfg, const std::vector<std::string>& args,
                         const PrintSettings& how, std::FILE* out);

}  // namespace engine
