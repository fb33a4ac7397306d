// transports/pipe.cpp — the pipe transport (spec chapter 29): runs a command with the message
// on its standard input, under the delivery's uid and gid, with Exim's environment, and turns
// its exit status and output into the delivery result.
#include <signal.h>
#include <string.h>

#include <chrono>

#include "engine/config/drivers.h"
#include "engine/config/main_options.h"
#include "lang/lists.h"
#include "transports/child_feed.h"
#include "transports/command_line.h"
#include "transports/generic.h"
#include "util/spawn.h"
#include "util/strings.h"

namespace transports {
namespace {

using engine::config::DriverOption;
using engine::config::InstanceOptions;
using T = engine::config::OptType;

// Spec 29.5, sorted.
constexpr DriverOption kOptions[] = {
    {"allow_commands", T::List, true, ""},
    {"batch_id", T::String, true, ""},
    {"batch_max", T::Int, false, "1"},
    {"check_string", T::String, false, ""},
    {"command", T::String, true, ""},
    {"environment", T::String, true, ""},
    {"escape_string", T::String, false, ""},
    {"force_command", T::Bool, false, "false"},
    {"freeze_exec_fail", T::Bool, false, "false"},
    {"freeze_signal", T::Bool, false, "false"},
    {"ignore_status", T::Bool, false, "false"},
    {"log_defer_output", T::Bool, false, "false"},
    {"log_fail_output", T::Bool, false, "false"},
    {"log_output", T::Bool, false, "false"},
    {"max_output", T::Int, false, "20K"},
    {"message_prefix", T::String, true, ""},
    {"message_suffix", T::String, true, ""},
    {"path", T::String, true, "/bin:/usr/bin"},
    {"permit_coredump", T::Bool, false, "false"},
    {"pipe_as_creator", T::Bool, false, "false"},
    {"restrict_to_path", T::Bool, false, "false"},
    {"return_fail_output", T::Bool, false, "false"},
    {"return_output", T::Bool, false, "false"},
    {"temp_errors", T::List, false, "75:73"},
    {"timeout", T::Time, false, "1h"},
    {"timeout_defer", T::Bool, false, "false"},
    {"umask", T::Int, false, "022"},
    {"use_bsmtp", T::Bool, false, "false"},
    {"use_classresources", T::Bool, false, "false"},
    {"use_crlf", T::Bool, false, "false"},
    {"use_shell", T::Bool, false, "false"},
};

constexpr std::string_view kPrefix =
    "From ${if def:return_path{$return_path}{MAILER-DAEMON}} ${tod_bsdinbox}\n";

struct Options {
  GenericOptions generic;
  CommandTemplate command;
  ProgramPtr whole_command, environment, path, allow_commands, message_prefix, message_suffix;
  bool prefix_set = false, suffix_set = false;
  bool force_command = false, freeze_exec_fail = false, freeze_signal = false;
  bool ignore_status = false, log_output = false, log_fail_output = false, log_defer_output = false;
  bool pipe_as_creator = false, restrict_to_path = false, return_output = false,
       return_fail_output = false;
  bool timeout_defer = false, use_bsmtp = false, use_crlf = false, use_shell = false;
  bool permit_coredump = false;
  std::string check_string, escape_string, temp_errors, timezone;
  int64_t max_output = 20480, timeout = 3600, umask = 022;
  int batch_max = 1;
};

util::Error config_error(const engine::config::Instance& inst, const std::string& msg) {
  return util::Error{"transport " + inst.name + ": " + msg, inst.loc};
}

util::Result<Options> read_options(const engine::config::Config& cfg,
                                   const engine::config::Instance& inst) {
  auto g = GenericOptions::read(cfg, inst);
  if (!g) return g.error();
  Options p;
  p.generic = std::move(*g);
  InstanceOptions o(engine::config::DriverKind::Transport, inst);
  if (o.is_set("command")) {
    auto c = CommandTemplate::compile(o.get_string("command"));
    if (!c) return config_error(inst, c.error().message);
    p.command = std::move(*c);
  }
  for (auto [name, slot] : {std::pair{"command", &p.whole_command},
                            {"environment", &p.environment},
                            {"path", &p.path},
                            {"allow_commands", &p.allow_commands},
                            {"message_prefix", &p.message_prefix},
                            {"message_suffix", &p.message_suffix}})
    *slot = option_program(inst, name);
  p.prefix_set = o.is_set("message_prefix");
  p.suffix_set = o.is_set("message_suffix");
  for (auto [name, slot] : {std::pair{"force_command", &p.force_command},
                            {"freeze_exec_fail", &p.freeze_exec_fail},
                            {"freeze_signal", &p.freeze_signal},
                            {"ignore_status", &p.ignore_status},
                            {"log_output", &p.log_output},
                            {"log_fail_output", &p.log_fail_output},
                            {"log_defer_output", &p.log_defer_output},
                            {"pipe_as_creator", &p.pipe_as_creator},
                            {"restrict_to_path", &p.restrict_to_path},
                            {"return_output", &p.return_output},
                            {"return_fail_output", &p.return_fail_output},
                            {"timeout_defer", &p.timeout_defer},
                            {"use_bsmtp", &p.use_bsmtp},
                            {"use_crlf", &p.use_crlf},
                            {"use_shell", &p.use_shell},
                            {"permit_coredump", &p.permit_coredump}})
    *slot = o.get_bool(name);
  if (p.return_output && p.return_fail_output)
    return config_error(inst, "both return_output and return_fail_output set");
  if (p.log_output && p.log_fail_output)
    return config_error(inst, "both log_output and log_fail_output set");
  if (p.use_shell && (p.restrict_to_path || o.is_set("allow_commands")))
    return config_error(inst, "use_shell cannot be used with allow_commands or restrict_to_path");
  p.check_string = o.get_string("check_string");
  p.escape_string = o.get_string("escape_string");
  p.temp_errors = o.get_string("temp_errors");
  p.max_output = o.get_int("max_output");
  p.timeout = o.get_time("timeout");
  p.umask = o.get_int("umask");
  p.batch_max = static_cast<int>(std::max<int64_t>(1, o.get_int("batch_max")));
  p.timezone = engine::config::main_string(cfg, "timezone");
  return p;
}

bool temp_error(const std::string& list, int status) {
  if (list == "*") return true;
  lang::ListReader r(list);
  std::string item;
  while (r.next(item))
    if (item == std::to_string(status)) return true;
  return false;
}

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "unknown";
}

class Pipe : public Transport {
 public:
  Pipe(std::string name, Options o)
      : Transport(std::move(name), "pipe", o_.generic), o_(std::move(o)) {}
  int max_addresses() const override { return o_.batch_max; }
  void deliver(Delivery& d, const TransportServices& s) const override {
    set_all_results(d, run(d, s));
  }

 private:
  AddressResult run(Delivery& d, const TransportServices& s) const;
  bool build_argv(Expander& ex, const Delivery& d, std::vector<std::string>& argv,
                  AddressResult& fail) const;
  bool check_allowed(Expander& ex, const std::string& cmd, AddressResult& fail) const;
  bool environment(Expander& ex, const Delivery& d, const Prepared& prep, const std::string& path,
                   std::vector<std::string>& env, AddressResult& fail) const;
  bool writing(Expander& ex, const Delivery& d, const Prepared& prep, WriteOptions& wo,
               AddressResult& fail) const;
  AddressResult outcome(const std::vector<std::string>& argv, const FeedResult& f,
                        const Delivery& d) const;
  Options o_;
};

bool Pipe::build_argv(Expander& ex, const Delivery& d, std::vector<std::string>& argv,
                      AddressResult& fail) const {
  const DeliveryAddress& a = d.addresses.front();
  std::string err;
  std::vector<std::string> redirected;
  if (!a.pipe.empty()) {
    std::string text = a.pipe.substr(a.pipe[0] == '|' ? 1 : 0);
    if (o_.use_shell && !o_.force_command) {
      std::string v = text;
      if (a.pipe_expand && ex.expand_text(text, v, err) != ExpandOutcome::Ok) {
        fail = defer_result("Expansion of command \"" + text + "\" in " + name() +
                            " transport failed: " + err);
        return false;
      }
      argv = {"/bin/sh", "-c", v};
      return true;
    }
    auto parts = split_command(text);
    if (!parts) {
      fail = defer_result(parts.error().message);
      return false;
    }
    for (std::string& p : *parts) {
      std::string v = p;
      if (a.pipe_expand && ex.expand_text(p, v, err) != ExpandOutcome::Ok) {
        fail = defer_result("Expansion of \"" + p + "\" from command \"" + text + "\" in " +
                            name() + " transport failed: " + err);
        return false;
      }
      redirected.push_back(v);
    }
    if (!o_.force_command) {
      argv = std::move(redirected);
      return !argv.empty() || (fail = defer_result("empty command"), false);
    }
  }
  if (o_.command.empty()) {
    fail = defer_result("no command specified for " + name() + " transport");
    return false;
  }
  if (o_.use_shell) {
    std::string v;
    if (ex.option(o_.whole_command.get(), "command", v, err) != ExpandOutcome::Ok) {
      fail = defer_result(err);
      return false;
    }
    argv = {"/bin/sh", "-c", v};
    return true;
  }
  if (!o_.command.expand(ex, d, redirected, argv, err)) {
    fail = defer_result(err);
    return false;
  }
  return true;
}

bool Pipe::check_allowed(Expander& ex, const std::string& cmd, AddressResult& fail) const {
  if (o_.use_shell || (!o_.allow_commands && !o_.restrict_to_path)) return true;
  std::string list, err;
  if (ex.option(o_.allow_commands.get(), "allow_commands", list, err) != ExpandOutcome::Ok) {
    fail = defer_result(err);
    return false;
  }
  lang::ListReader r(list);
  std::string item;
  while (r.next(item))
    if (item == cmd) return true;
  if (o_.restrict_to_path && cmd.find('/') == std::string::npos) return true;
  fail = fail_result("\"" + cmd + "\" command not permitted by " + name() + " transport");
  return false;
}

bool Pipe::environment(Expander& ex, const Delivery& d, const Prepared& prep,
                       const std::string& path, std::vector<std::string>& env,
                       AddressResult& fail) const {
  const DeliveryAddress& a = d.addresses.front();
  std::string v;
  auto var = [&](const char* n) {
    v.clear();
    ex.vars().get(n, v);
    return v;
  };
  env = {"LOCAL_PART=" + a.local_part,
         "LOGNAME=" + a.local_part,
         "USER=" + a.local_part,
         "LOCAL_PART_PREFIX=" + a.prefix,
         "LOCAL_PART_SUFFIX=" + a.suffix,
         "DOMAIN=" + a.domain,
         "HOME=" + prep.home,
         "MESSAGE_ID=" + var("message_exim_id"),
         "PATH=" + path,
         "RECIPIENT=" + a.address,
         "QUALIFY_DOMAIN=" + var("qualify_domain"),
         "SENDER=" + (d.message ? d.message->envelope().sender : std::string()),
         "SHELL=/bin/sh"};
  if (!a.hosts.empty()) env.push_back("HOST=" + a.hosts.front().name);
  if (!o_.timezone.empty()) env.push_back("TZ=" + o_.timezone);
  if (!o_.environment) return true;
  std::string list, err;
  if (ex.option(o_.environment.get(), "environment", list, err) != ExpandOutcome::Ok) {
    fail = defer_result(err);
    return false;
  }
  lang::ListReader r(list);
  std::string item;
  while (r.next(item)) env.push_back(item);
  return true;
}

bool Pipe::writing(Expander& ex, const Delivery& d, const Prepared& prep, WriteOptions& wo,
                   AddressResult& fail) const {
  std::string err;
  auto expand = [&](const ProgramPtr& p, bool set, std::string_view dflt, const char* n,
                    std::string& out) {
    if (!set) return o_.use_bsmtp || ex.expand_text(dflt, out, err) == ExpandOutcome::Ok;
    return ex.option(p.get(), n, out, err) == ExpandOutcome::Ok;
  };
  if (!expand(o_.message_prefix, o_.prefix_set, kPrefix, "message_prefix", wo.prefix) ||
      !expand(o_.message_suffix, o_.suffix_set, "\n", "message_suffix", wo.suffix)) {
    fail = defer_result(err);
    return false;
  }
  wo.crlf = o_.use_crlf;
  wo.headers_only = o_.generic.headers_only;
  wo.body_only = o_.generic.body_only;
  wo.check = o_.use_bsmtp ? "." : o_.check_string;
  wo.escape = o_.use_bsmtp ? ".." : o_.escape_string;
  if (o_.use_bsmtp) {
    std::string eol = o_.use_crlf ? "\r\n" : "\n";
    std::string env = "MAIL FROM:<" + prep.return_path + ">" + eol;
    for (const DeliveryAddress& a : d.addresses) env += "RCPT TO:<" + a.address + ">" + eol;
    wo.prefix += env + "DATA" + eol;
    wo.suffix = "." + eol + wo.suffix;
    wo.final_newline = true;
  }
  return true;
}

std::string join(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

AddressResult Pipe::outcome(const std::vector<std::string>& argv, const FeedResult& f,
                            const Delivery& d) const {
  std::string cmd = join(argv);
  std::string running =
      "Child process of " + name() + " transport (running command \"" + cmd + "\")";
  bool bounce = d.message && d.message->envelope().sender.empty();
  AddressResult r;
  auto first_line = [&] { return f.output.substr(0, f.output.find('\n')); };
  if (f.timed_out) {
    r = o_.timeout_defer ? defer_result(running + " timed out")
                         : fail_result(running + " timed out");
    return r;
  }
  if (f.output_overflow)
    return fail_result(running + " produced more than " + std::to_string(o_.max_output) +
                       " bytes of output");
  if (f.write_failed)
    return defer_result(
        "error writing to " + name() + " transport's command: " +
        (f.produce_error.empty() ? util::errno_text(f.write_errno) : f.produce_error));
  bool ok = f.exit.exited && (f.exit.status == 0 || o_.ignore_status);
  if (!ok && f.exit.signaled && !o_.ignore_status) {
    r = fail_result(running + " was terminated by signal " + std::to_string(f.exit.signal) + " (" +
                    signal_name(f.exit.signal) + ")");
    if (o_.freeze_signal) {
      r.outcome = Outcome::Defer;
      r.freeze = true;
    }
  } else if (!ok) {
    std::string why;
    if (f.exit.status == 127)
      why = " (could mean unable to exec or command does not exist)";
    else if (f.exit.status > 128)
      why = " (could mean shell command ended by signal " + std::to_string(f.exit.status - 128) +
            " (" + signal_name(f.exit.status - 128) + "))";
    std::string text = "Child process of " + name() + " transport returned " +
                       std::to_string(f.exit.status) + why + " from command: " + argv.front();
    r = temp_error(o_.temp_errors, f.exit.status) ? defer_result(text) : fail_result(text);
    r.bounce_text = "local delivery failed";
  } else if (o_.return_output && !f.output.empty() && !bounce) {
    r = fail_result(running + " produced output");
  } else {
    r = ok_result();
  }
  bool failed = r.outcome == Outcome::Fail, deferred = r.outcome == Outcome::Defer;
  if (!f.output.empty() && !bounce && ((o_.return_output) || (o_.return_fail_output && failed))) {
    r.output = f.output;
    r.return_output = true;
  }
  if (!f.output.empty() &&
      (o_.log_output || (o_.log_fail_output && failed) || (o_.log_defer_output && deferred)))
    r.log_note = name() + " transport output: " + first_line();
  return r;
}

AddressResult Pipe::run(Delivery& d, const TransportServices& s) const {
  Expander ex(s, d, name());
  Prepared prep;
  AddressResult fail;
  PrepareOptions po;
  po.as_creator = o_.pipe_as_creator;
  if (!prepare(o_.generic, ex, d, s, po, prep, fail)) return fail;
  std::vector<std::string> argv, env;
  std::string path, err;
  if (!build_argv(ex, d, argv, fail) || !check_allowed(ex, argv.front(), fail)) return fail;
  if (ex.option(o_.path.get(), "path", path, err, "/bin:/usr/bin") != ExpandOutcome::Ok)
    return defer_result(err);
  WriteOptions wo;
  if (!environment(ex, d, prep, path, env, fail) || !writing(ex, d, prep, wo, fail)) return fail;
  util::SpawnOptions so;
  so.env = std::move(env);
  so.path = path;
  so.cwd = prep.cwd;
  so.umask = static_cast<int>(o_.umask);
  so.core_dumps = o_.permit_coredump;
  if (prep.id.change) {
    so.uid = prep.id.uid;
    so.gid = prep.id.gid;
    so.groups = prep.id.groups;
  }
  util::SpawnError serr;
  auto child = util::spawn(argv, so, &serr);
  if (!child) {
    AddressResult r = serr.exec_errno ? fail_result("Child process of " + name() +
                                                    " transport returned 127 (could mean unable "
                                                    "to exec or command does not exist) from "
                                                    "command: " +
                                                    argv.front() + ": " + serr.message)
                                      : defer_result(serr.message);
    if (serr.exec_errno && o_.freeze_exec_fail) {
      r.outcome = Outcome::Defer;
      r.freeze = true;
    }
    return r;
  }
  auto deadline =
      std::chrono::steady_clock::now() +
      (o_.timeout > 0 ? std::chrono::seconds(o_.timeout) : std::chrono::hours(24 * 365));
  FeedResult f = feed_child(
      *child, [&](const Sink& sink) { return write_message(*d.message, prep.edits, wo, sink); },
      deadline, static_cast<size_t>(o_.max_output));
  return outcome(argv, f, d);
}

const TransportRegistrar kRegistrar({"pipe", kOptions, make_transport<Pipe, read_options>});

}  // namespace
}  // namespace transports
