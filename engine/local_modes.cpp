// engine/local_modes.cpp — -brt, -M..., -q, and sendmail-style submission (see local_modes.h).
#include "engine/local_modes.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "engine/brt_mode.h"
#include "engine/config/main_options.h"
#include "engine/config/values.h"
#include "engine/delivery_service.h"
#include "engine/queue_cmds.h"
#include "engine/retry_rules.h"
#include "engine/sendmail_mode.h"

namespace engine {
namespace {

int fail(const std::string& msg) {
  std::fprintf(stderr, "facteur: %s\n", msg.c_str());
  return 1;
}

std::string caller_login() {
  const passwd* pw = getpwuid(getuid());
  return pw ? pw->pw_name : std::to_string(getuid());
}

util::Result<std::unique_ptr<DeliveryService>> service(const ModeEnv& env) {
  DeliveryServiceOptions o;
  o.no_deliver = env.cl.no_deliver;
  return DeliveryService::create(env.cfg, o);
}

QueueSelection selection_of(const CommandLine& cl) {
  QueueSelection s;
  const QueueRunFlags& q = cl.queue;
  s.force = q.force;
  s.force_frozen = q.force_frozen;
  s.local_only = q.local_only;
  s.first_only = q.in_order;
  s.recipient = q.recipient;
  s.recipient_regex = q.recipient_regex;
  s.sender = q.sender;
  s.sender_regex = q.sender_regex;
  if (!cl.args.empty()) s.start_id = cl.args[0];
  if (cl.args.size() > 1) s.stop_id = cl.args[1];
  return s;
}

// Runs `fn` in a detached child with standard input and output on /dev/null (-odb).
void in_background(const std::function<void()>& fn) {
  pid_t pid = fork();
  if (pid != 0) return;  // the parent (or a failed fork: the message stays queued)
  setsid();
  int null = open("/dev/null", O_RDWR);
  if (null >= 0) {
    dup2(null, 0);
    dup2(null, 1);
    if (null > 2) close(null);
  }
  fn();
  _exit(0);
}

}  // namespace

int run_retry_test_mode(const ModeEnv& env) {
  auto rules = retry_rules_load(env.cfg);
  if (!rules) return fail(rules.error().message);
  std::optional<std::string> sender;
  if (env.cl.sender_given) sender = env.cl.sender == "<>" ? "" : env.cl.sender;
  return run_retry_test(*rules, env.ctx, env.cl.args, sender, stdout, stderr);
}

int run_msg_action_mode(const ModeEnv& env) {
  std::unique_ptr<DeliveryService> svc;
  QueueCommandEnv qe;
  auto s = service(env);
  if (!s) return fail(s.error().message);
  svc = std::move(*s);
  qe.layout = svc->layout();
  qe.log = &svc->logger();
  qe.user = caller_login();
  qe.deliver = [&](const std::string& id, bool give_up) {
    DeliverRequest r;
    r.forced = r.thaw = true;
    r.give_up = give_up;
    r.who = qe.user;
    DeliverStatus st = svc->deliver(id, r);
    if (st == DeliverStatus::Locked) {
      std::fprintf(stderr, "Spool file is locked (another process is handling this message)\n");
    } else if (st == DeliverStatus::Missing) {
      std::fprintf(stderr, "Spool data file for %s does not exist\n", id.c_str());
    }
    return st != DeliverStatus::Locked && st != DeliverStatus::Missing &&
           st != DeliverStatus::Failed;
  };
  return run_queue_command(qe, env.cl.msg_action, env.cl.args);
}

int run_queue_run_mode(const ModeEnv& env) {
  int parallel = static_cast<int>(std::max<int64_t>(1, config::main_int(env.cfg, "queue_run_max")));
  QueueSelection sel = selection_of(env.cl);
  int64_t interval = 0;
  if (!env.cl.queue.interval.empty()) {
    // -q<time> without -bd: a daemon that only runs the queue (spec 5, "-q<qflags><time>").
    if (!config::parse_time(env.cl.queue.interval, interval) || interval <= 0)
      return fail("bad time value " + env.cl.queue.interval + " for -q");
    if (!env.cl.foreground) {
      pid_t pid = fork();  // before any thread exists
      if (pid < 0) return fail("fork failed");
      if (pid > 0) return 0;
      setsid();
    }
  }
  auto s = service(env);
  if (!s) return fail(s.error().message);
  for (;;) {
    (*s)->logger().mainlog("Start queue run: pid=" + std::to_string(getpid()));
    (*s)->queue_run(sel, parallel);
    (*s)->drain();
    (*s)->logger().mainlog("End queue run: pid=" + std::to_string(getpid()));
    if (interval <= 0) return 0;
    sleep(static_cast<unsigned>(interval));
  }
}

// Stores the message; returns its id (the service and its threads are gone on return, so
// that a background delivery can fork).
static util::Result<std::string> store_submission(const ModeEnv& env, std::string& refused) {
  std::string text = sendmail_read_input(stdin, env.cl.dot_ends);
  LocalCaller caller = sendmail_caller(env.cfg, env.cl.full_name);
  auto msg = sendmail_message(env.cfg, env.cl, caller, std::move(text));
  if (!msg) return msg.error();
  auto s = service(env);
  if (!s) return s.error();
  refused = sendmail_check_acl(env.cfg, env.acls, *msg);
  if (!refused.empty()) {
    (*s)->logger().write(kLogMain | kLogReject,
                         "F=<" + msg->sender + "> rejected by non-SMTP ACL: " + refused);
    return util::Error{"message rejected: " + refused, {}};
  }
  return (*s)->queue_submitter().submit(*msg);
}

static void deliver_one(const ModeEnv& env, const std::string& id, const DeliverRequest& r) {
  auto s = service(env);
  if (!s) return;
  (*s)->deliver(id, r);
  (*s)->drain();  // bounces made on the way
}

int run_sendmail_mode(const ModeEnv& env) {
  std::string refused;
  auto id = store_submission(env, refused);
  if (!id) return fail(id.error().message);
  DeliverMode mode = env.cl.deliver_mode;
  bool queue_only = config::main_bool(env.cfg, "queue_only");
  bool override_ok = config::main_bool(env.cfg, "queue_only_override");
  if (mode == DeliverMode::Queue) return 0;
  if (queue_only && (mode == DeliverMode::Default || !override_ok)) return 0;
  DeliverRequest r;
  r.local_only = mode == DeliverMode::QueueSmtp;
  if (mode == DeliverMode::Foreground) {
    deliver_one(env, *id, r);
    return 0;
  }
  in_background([&] { deliver_one(env, *id, r); });
  return 0;
}

}  // namespace engine
