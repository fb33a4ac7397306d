// engine/queue_cmds.cpp — -M, -Mf, -Mt, -Mrm, -Mg, -Mvh, -Mvb, -Mvl (see queue_cmds.h).
#include "engine/queue_cmds.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>

#include "engine/message_id.h"
#include "engine/spool_update.h"

namespace engine {
namespace {

int64_t now_of(const QueueCommandEnv& env) {
  return env.now ? env.now() : static_cast<int64_t>(std::time(nullptr));
}

void log_line(const QueueCommandEnv& env, const std::string& text) {
  if (env.log) env.log->mainlog(text);
}

// Prints a file as it is; false when it cannot be opened.
bool print_file(const std::string& path, std::FILE* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    std::fwrite(buf, 1, static_cast<size_t>(in.gcount()), out);
  }
  return true;
}

bool view(const QueueCommandEnv& env, const std::string& option, const std::string& id) {
  std::string path;
  std::string what;
  if (option == "-Mvh") {
    path = env.layout.header_path(id);
    what = "input file for " + id + "-H";
  } else if (option == "-Mvb") {
    path = env.layout.data_path(id);
    what = "input file for " + id + "-D";
  } else {
    path = env.layout.msglog_path(id);
    what = "msglog file for " + id;
  }
  if (print_file(path, env.out)) return true;
  std::fprintf(env.err, "Failed to open %s: %s\n", what.c_str(), std::strerror(errno));
  return false;
}

// -Mf and -Mt: change the frozen state under the lock.
bool freeze_or_thaw(const QueueCommandEnv& env, bool freeze, const std::string& id) {
  auto lock = SpoolLock::acquire(env.layout, id);
  if (!lock) {
    std::fprintf(env.err, "%s\n", lock.error().message.c_str());
    return false;
  }
  auto msg = spool_read_header(env.layout, id);
  if (!msg) {
    std::fprintf(env.err, "%s\n", msg.error().message.c_str());
    return false;
  }
  bool frozen = msg->flag("frozen");
  if (frozen == freeze) {
    std::fprintf(env.out, "Message %s %s\n", id.c_str(),
                 freeze ? "is already frozen" : "is not frozen");
    return false;
  }
  if (freeze) {
    msg->set_var("frozen", std::to_string(now_of(env)));
    msg->remove_var("manual_thaw");
  } else {
    msg->remove_var("frozen");
    msg->set_flag("manual_thaw");
  }
  if (auto st = spool_rewrite_header(env.layout, *msg, true); !st) {
    std::fprintf(env.err, "%s\n", st.error().message.c_str());
    return false;
  }
  std::fprintf(env.out, "Message %s %s\n", id.c_str(),
               freeze ? "is now frozen" : "is no longer frozen");
  log_line(env, id + (freeze ? " frozen by " : " unfrozen by ") + env.user);
  return true;
}

bool remove_message(const QueueCommandEnv& env, const std::string& id) {
  SpoolLock::Failure why = SpoolLock::Failure::None;
  auto lock = SpoolLock::acquire(env.layout, id, &why);
  if (!lock && why != SpoolLock::Failure::Missing) {
    std::fprintf(env.err, "%s\n", lock.error().message.c_str());
    return false;
  }
  if (!lock) {
    std::fprintf(env.out, "Message %s has been removed or did not exist\n", id.c_str());
    return false;
  }
  if (auto st = spool_remove_message(env.layout, id); !st) {
    std::fprintf(env.err, "%s\n", st.error().message.c_str());
    return false;
  }
  std::fprintf(env.out, "Message %s has been removed\n", id.c_str());
  log_line(env, id + " removed by " + env.user);
  log_line(env, id + " Completed");
  return true;
}

bool one(const QueueCommandEnv& env, const std::string& option, const std::string& id) {
  if (option == "-Mvh" || option == "-Mvb" || option == "-Mvl") return view(env, option, id);
  if (option == "-Mf" || option == "-Mt") return freeze_or_thaw(env, option == "-Mf", id);
  if (option == "-Mrm") return remove_message(env, id);
  if (!env.deliver) {
    std::fprintf(env.err, "%s is not available\n", option.c_str());
    return false;
  }
  return env.deliver(id, option == "-Mg");
}

}  // namespace

int run_queue_command(const QueueCommandEnv& env, const std::string& option,
                      const std::vector<std::string>& ids) {
  if (ids.empty()) {
    std::fprintf(env.err, "facteur: no message ids given after %s option\n", option.c_str());
    return 1;
  }
  for (const auto& id : ids) {
    if (!message_id_valid(id)) {
      std::fprintf(env.err, "facteur: malformed message id %s after %s option\n", id.c_str(),
                   option.c_str());
      return 1;
    }
  }
  int status = 0;
  for (const auto& id : ids) {
    if (!one(env, option, id)) status = 1;
  }
  return status;
}

}  // namespace engine
