// engine/local_modes.h — the command-line modes of the delivery side (spec chapter 5): -brt,
// the -M family, -q queue runs (without -bd), and sendmail-style submission (-bm, -t, the
// default mode), with what -od? asks for after the message is stored.
//
// They share one ModeEnv: the parsed command line, the configuration and its ACLs, the
// expansion context, and the logs. Each function returns the process exit status and writes
// errors as "facteur: TEXT" to stderr.
//
// Delivery after a submission (spec 5, -odb/-odf/-odi/-odq/-odqs; queue_only,
// queue_only_override): -odq or queue_only (unless overridden by an explicit -od option)
// leaves the message queued; -odf/-odi deliver it before returning; the default (-odb)
// forks a child that delivers it, with standard input and output closed, and returns at once.
#pragma once

#include "engine/acl.h"
#include "engine/cli.h"
#include "engine/config/config.h"
#include "lang/context.h"

namespace engine {

struct ModeEnv {
  const CommandLine& cl;
  const config::Config& cfg;
  const acl::AclSet& acls;
  lang::EvalContext& ctx;
};

int run_retry_test_mode(const ModeEnv& env);
int run_msg_action_mode(const ModeEnv& env);
int run_queue_run_mode(const ModeEnv& env);
int run_sendmail_mode(const ModeEnv& env);

}  // namespace engine
