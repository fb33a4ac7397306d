// engine/update_conf.h — the facteur-update-conf command (Debian's update-exim4.conf(8)):
// its options, and writing and checking what engine/config/assembler.h assembles.
//
//   facteur-update-conf [-v|--verbose] [-h|--help] [--keepcomments] [--removecomments]
//                       [-o|--output FILE] [-d|--confdir DIR] [--check]
//
// Defaults: --confdir FACTEUR_CONFDIR, --output FACTEUR_AUTOCONFIG (engine/config_paths.h).
// Without -o, nothing is done when a hand-written FACTEUR_CONFDIR/facteur.conf exists (the
// engine would not read the generated file), as Debian does for /etc/exim4/exim4.conf.
// The text goes to a temporary file beside the output, which replaces the output only when
// complete. It is checked as `facteur -bV` checks a configuration (reader and ACLs) when the
// output is the default one or with --check; an invalid result is left in the temporary file,
// not installed, and the errors name the conf.d fragment and line. --check removes the
// temporary file after a successful check and never touches the output.
//
// Exit status 0 on success, 1 on any error (message on stderr, "facteur-update-conf: ...").
// Warnings (ignored files, odd settings) go to stderr; --verbose notes to stdout.
#pragma once

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace engine {

struct UpdateConfArgs {
  std::string confdir;
  std::string output;
  bool output_given = false;
  std::optional<bool> keep_comments;
  bool check = false;
  bool verbose = false;
  bool help = false;
};

util::Result<UpdateConfArgs> parse_update_conf_args(const std::vector<std::string>& args);
std::string update_conf_usage();

// What the command takes from the system, replaceable by tests.
struct UpdateConfEnv {
  std::string mailname_file = "/etc/mailname";
  std::function<std::string()> fqdn;      // default: the host name's canonical name
  std::vector<std::string> hand_written;  // default: the engine's list without the output
};

int run_update_conf(const UpdateConfArgs& args, const UpdateConfEnv& env, std::FILE* out,
                    std::FILE* err);

// Reads a configuration as `facteur -bV` does (reader, then ACLs): "" or the error text(s),
// "FILE:LINE[:COL]: message" each.
std::string check_config_file(const std::string& path);

// gethostname(), qualified through the resolver (AI_CANONNAME), like `hostname --fqdn`.
std::string host_fqdn();

}  // namespace engine
