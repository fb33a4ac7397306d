// engine/cli.h — Exim's command line: what facteur was asked to do.
//
// Options follow Exim's conventions (spec chapter 5, "The Exim command line"): -b? modes,
// -C config, -D macros, -d debug selectors, -f sender, -o? settings, sendmail's -t -i.
// Unknown options are errors with a message, exit status 1.
#pragma once

#include <string>
#include <vector>

#include "engine/config/config.h"

namespace engine {

enum class Mode {
  None,         // sendmail-style: read a message from stdin for the recipients
  Expand,       // -be
  ExpandMsg,    // -bem file
  Version,      // -bV
  PrintOpts,    // -bP
  Daemon,       // -bd
  SmtpStdin,    // -bs
  HostCheck,    // -bh IP
  AddrTest,     // -bt
  AddrVerify,   // -bv
  ListQueue,    // -bp
};

struct CommandLine {
  Mode mode = Mode::None;
  std::string config_path;  // -C
  bool config_given = false;
  std::vector<config::Macro> macros;  // -D
  std::string debug;        // -d selectors ("" = off, "+all" ...)
  bool debug_on = false;
  std::string bem_file;     // -bem
  std::string host_ip;      // -bh
  std::string bp_letters;   // -bp, -bpc, -bpru ...: the letters after "-bp"
  std::string sender;       // -f
  bool sender_given = false;
  bool verify_as_sender = false;  // -bvs
  bool extract_recipients = false;  // -t
  bool dot_ends = true;     // -i / -oi turn this off
  bool no_name = false;     // -n: -bP prints values without names
  bool foreground = false;  // -bdf
  std::string ox;           // -oX ports or interfaces
  std::string pid_file;     // -oP
  std::string queue_interval;  // -q<time> ("" = none; "0" = one run)
  std::vector<std::string> args;  // what follows the options
};

// Parses argv. Returns an error text for an unknown or incomplete option.
util::Result<CommandLine> parse_command_line(int argc, char** argv);

// The default configuration file list (engine/config_paths.h): the first that exists is used.
std::string default_config_path();

}  // namespace engine
