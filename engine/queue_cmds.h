// engine/queue_cmds.h — the -M family of the command line: acting on messages in the queue
// by id (spec chapter 5: -M, -Mf, -Mt, -Mrm, -Mg, -Mvh, -Mvb, -Mvl).
//
//   -Mf   freeze ("Message ID is now frozen" / "is already frozen"), logs "frozen by USER"
//   -Mt   thaw ("is no longer frozen" / "is not frozen"), sets -manual_thaw, logs "unfrozen by"
//   -Mrm  remove without a bounce ("has been removed"), logs "removed by USER" and "Completed"
//   -Mvh, -Mvb, -Mvl  print the -H file, the -D file, the message log
//   -M, -Mg  deliver now (forced, frozen or not) / give up (bounce "cancelled by
//            administrator"): both handed to the caller's delivery function
// Each id is checked for the 4.96 format first ("malformed message id X after -Mf option").
// A message that is being delivered (its -D lock is held) is left alone with Exim's message.
// Output goes to `out`, errors to `err`; the exit status is 0 when every id was handled, 1
// otherwise.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "engine/log.h"
#include "engine/spool.h"

namespace engine {

struct QueueCommandEnv {
  SpoolLayout layout;
  Logger* log = nullptr;
  std::string user = "root";     // for "frozen by USER"
  std::function<int64_t()> now;  // null: time()
  // -M and -Mg: deliver (or give up on) one message; returns false on failure, having said why.
  std::function<bool(const std::string& id, bool give_up)> deliver;
  std::FILE* out = stdout;
  std::FILE* err = stderr;
};

int run_queue_command(const QueueCommandEnv& env, const std::string& option,
                      const std::vector<std::string>& ids);

}  // namespace engine
