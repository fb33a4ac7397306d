// engine/main.cpp — the facteur binary: parse the command line, read the configuration,
// run the requested mode.
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <pwd.h>
#include <unistd.h>

#include "engine/acl.h"
#include "engine/be_mode.h"
#include "engine/cli.h"
#include "engine/config/values.h"
#include "engine/config_paths.h"
#include "engine/daemon/daemon.h"
#include "engine/debug_trace.h"
#include "engine/dns_settings.h"
#include "engine/local_modes.h"
#include "engine/message_vars.h"
#include "engine/named_lists.h"
#include "engine/print_options.h"
#include "engine/privilege.h"
#include "engine/queue_list.h"
#include "engine/retry_rules.h"
#include "engine/smtp/stdio.h"
#include "engine/variables.h"
#include "engine/verify.h"
#include "transports/transport.h"
#include "util/debug.h"

namespace {

int fail(const std::string& msg) {
  std::fprintf(stderr, "facteur: %s\n", msg.c_str());
  return 1;
}

void apply_timezone(const engine::config::Config& cfg) {
  std::string tz = engine::main_option(&cfg, "timezone");
  if (!tz.empty()) {
    setenv("TZ", tz.c_str(), 1);
    tzset();
  }
}

// -bt / -bv: the sender is -f's, else the caller's login at qualify_domain.
int address_test(const engine::CommandLine& cl, const engine::config::Config& cfg,
                 engine::Variables& vars, lang::EvalContext& ctx) {
  auto chain = engine::RouterChain::build(cfg);
  if (!chain) return fail(engine::config::format_error(chain.error()));
  engine::AddressTestOptions o;
  o.test = cl.mode == engine::Mode::AddrTest;
  o.as_sender = cl.verify_as_sender;
  if (cl.sender_given) {
    o.sender = cl.sender == "<>" ? "" : cl.sender;
  } else {
    struct passwd* pw = getpwuid(getuid());
    std::string qd = engine::main_option(&cfg, "qualify_domain", engine::primary_hostname(&cfg));
    o.sender = std::string(pw ? pw->pw_name : "root") + "@" + qd;
  }
  vars.set("sender_address", o.sender);
  return engine::run_address_test(*chain, ctx, o, cl.args, stdin, stdout);
}

}  // namespace

int main(int argc, char** argv) {
  auto cl = engine::parse_command_line(argc, argv);
  if (!cl) return fail(cl.error().message);
  if (cl->debug_on) {
    auto sel = util::debug::parse_selectors(cl->debug);
    if (!sel) return fail(sel.error().message);
    util::debug::set_selectors(*sel);
  }
  if (engine::must_drop_privilege(*cl, engine::Identity::current())) {
    if (auto d = engine::drop_to_caller(engine::Identity::current()); !d)
      return fail(d.error().message);
  }
  if (cl->mode == engine::Mode::Version) engine::print_version(stdout);
  engine::config::ReadOptions ro;
  ro.cmdline_macros = cl->macros;
  auto cfg_path = engine::resolve_config_list(cl->config_path);
  if (!cfg_path) return fail(cfg_path.error().message);
  auto cfg = engine::config::read_file(*cfg_path, ro);
  if (!cfg) {
    std::string where = cfg.error().loc.str();
    return fail((where.empty() ? "" : where + ": ") + cfg.error().message);
  }
  if (engine::Identity me = engine::Identity::current();
      engine::debug_refused(*cl, engine::caller_is_admin(*cfg, me), me)) {
    std::fputs("facteur: debugging permission denied\n", stderr);
    return 1;
  }
  apply_timezone(*cfg);
  engine::Variables vars(&*cfg);
  auto acls = engine::acl::load(*cfg);
  if (!acls) return fail(acls.error().message);
  // Router configuration errors stop the modes that may route (as Exim reports them at start).
  if (cl->mode == engine::Mode::Version || cl->mode == engine::Mode::Daemon ||
      cl->mode == engine::Mode::HostCheck || cl->mode == engine::Mode::SmtpStdin) {
    auto chain = engine::RouterChain::build(*cfg);
    if (!chain) return fail(engine::config::format_error(chain.error()));
  }
  // Transports are built once here so that their configuration errors (exclusive options,
  // bad command lines or regexes) stop every mode, as Exim reports driver errors at start-up.
  if (auto t = transports::transports_create(*cfg); !t) return fail(t.error().message);
  if (auto r = engine::retry_rules_load(*cfg); !r) return fail(r.error().message);
  engine::ConfigNamedLists lists(*cfg);
  lang::EvalContext ctx;
  ctx.vars = &vars;
  ctx.lists = &lists;
  const lang::DnsSettings dns = engine::dns_settings(*cfg);
  ctx.dns = &dns;
  engine::ExpandTrace expand_trace;
  if (util::debug::on(util::debug::kExpand)) ctx.tracer = &expand_trace;
  engine::acl::Evaluator acl_runner(*acls, ctx);
  ctx.acl = &acl_runner;
  // -d+acl: ACLs run from expansions (${acl}, the acl condition) are traced as Exim does.
  engine::acl::PolicyTrace acl_trace("", util::debug::on(util::debug::kLists));
  if (util::debug::on(util::debug::kAcl)) {
    acl_trace.set_base_indent(2);
    acl_runner.set_tracer(&acl_trace);
    ctx.list_tracer = &acl_trace;
  }
  switch (cl->mode) {
    case engine::Mode::Expand:
      return engine::run_expansion_test(*cfg, ctx, cl->args, stdin, stdout);
    case engine::Mode::ExpandMsg: {
      engine::MessageVariables msg(&vars);
      auto loaded = msg.load_file(cl->bem_file);
      if (!loaded) return fail(loaded.error().message);
      ctx.vars = &msg;
      return engine::run_expansion_test(*cfg, ctx, cl->args, stdin, stdout);
    }
    case engine::Mode::Version:
      std::printf("Configuration file is %s\n", cfg->path.c_str());
      return 0;
    case engine::Mode::PrintOpts:
      return engine::print_config_options(*cfg, cl->args, {geteuid() == 0, cl->no_name}, stdout);
    case engine::Mode::HostCheck:
      return engine::smtp::run_stdio_session(*cfg, *acls, cl->host_ip, true,
                                             cl->host_check_callouts);
    case engine::Mode::SmtpStdin:
      return engine::smtp::run_stdio_session(*cfg, *acls, "", false);
    case engine::Mode::AddrTest:
    case engine::Mode::AddrVerify:
      return address_test(*cl, *cfg, vars, ctx);
    case engine::Mode::ListQueue:
      return engine::run_queue_list(*cfg, ctx, cl->bp_letters, cl->args, stdout);
    case engine::Mode::Daemon: {
      engine::daemon::DaemonOptions d{cl->foreground, cl->ox, cl->pid_file, ro};
      if (!cl->queue.interval.empty()) {
        int64_t secs = 0;
        if (!engine::config::parse_time(cl->queue.interval, secs))
          return fail("bad time value " + cl->queue.interval + " for -q");
        d.queue_interval = secs;
      }
      auto rt = std::make_shared<engine::daemon::Runtime>(std::move(*cfg), std::move(*acls));
      return engine::daemon::run_daemon(std::move(rt), d);
    }
    case engine::Mode::RetryTest:
      return engine::run_retry_test_mode({*cl, *cfg, *acls, ctx});
    case engine::Mode::MsgAction:
      return engine::run_msg_action_mode({*cl, *cfg, *acls, ctx});
    case engine::Mode::None:
      if (cl->queue.given) return engine::run_queue_run_mode({*cl, *cfg, *acls, ctx});
      return engine::run_sendmail_mode({*cl, *cfg, *acls, ctx});
    default:
      return fail("this mode is not implemented yet");
  }
}
