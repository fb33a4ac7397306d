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
  RetryTest,    // -brt
  MsgAction,    // -M, -Mrm, -Mf, -Mt, -Mg, -Mvh, -Mvb, -Mvl (CommandLine::msg_action)
  QueueRun,     // -q... without -bd
  BatchSmtp,    // -bS
};

// How a locally submitted message is delivered (-od?, spec 5 "-odb" ...; delivery_mode).
enum class DeliverMode : unsigned char {
  Default,     // as configured: immediate, in the background unless -odi/-odf
  Background,  // -odb
  Foreground,  // -odf, -odi
  Queue,       // -odq
  QueueSmtp,   // -odqs: local deliveries now, remote ones left for the queue
};

// -q and its letters, -R / -S (spec 5, "-q<qflags>", "-R", "-S").
struct QueueRunFlags {
  bool given = false;
  std::string interval;       // "-q30m": "30m"; "" for a single run
  bool force = false;         // -qf: ignore retry times
  bool force_frozen = false;  // -qff: also frozen messages
  bool local_only = false;    // -ql
  bool two_stage = false;     // -qq
  bool in_order = false;      // -qi: only messages not yet tried ("initial" deliveries)
  std::string recipient;      // -R: messages with a recipient containing this
  bool recipient_regex = false;
  std::string sender;  // -S
  bool sender_regex = false;
  std::string start_id, stop_id;  // -q ID [ID]
};

struct CommandLine {
  Mode mode = Mode::None;
  std::string config_path;  // -C
  bool config_given = false;
  std::vector<config::Macro> macros;  // -D
  std::string debug;        // -d selectors ("" = off, "+all" ...)
  bool debug_on = false;
  std::string bem_file;     // -bem
  std::string host_ip;      // -bh, -bhc
  bool host_check_callouts = false;  // -bhc: callouts are made
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
  QueueRunFlags queue;         // -q..., -R, -S
  std::string msg_action;      // "-M", "-Mrm" ... for Mode::MsgAction
  std::string full_name;       // -F
  DeliverMode deliver_mode = DeliverMode::Default;
  bool no_deliver = false;     // -N
  std::vector<std::string> args;  // what follows the options
};

// Parses argv. Returns an error text for an unknown or incomplete option. argv[0] named
// "mailq" lists the queue, "runq" runs it, "rsmtp" reads batched SMTP, "rmail" is -i; any
// other name (such as "sendmail") reads a message as sendmail does.
util::Result<CommandLine> parse_command_line(int argc, char** argv);

// The delivery, queue and sendmail options (engine/cli_delivery.cpp): argv[i] is the option;
// `i` moves past any argument it takes. Returns false when `a` is not one of them; an Error
// for a known option that is incomplete.
util::Result<bool> parse_delivery_option(CommandLine& cl, int argc, char** argv, int& i);
// What argv[0] implies (basename "mailq", "runq", "rsmtp", "rmail", "sendmail" ...).
void apply_program_name(CommandLine& cl, std::string_view argv0);

// The default configuration file list (engine/config_paths.h): the first that exists is used.
std::string default_config_path();

}  // namespace engine
