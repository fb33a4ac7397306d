#include "engine/update_conf.h"

#include <netdb.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "engine/acl.h"
#include "engine/config/assembler.h"
#include "engine/config/config.h"
#include "engine/config_paths.h"
#include "engine/print_options.h"
#include "util/strings.h"

namespace engine {
namespace {

constexpr const char* kProgram = "facteur-update-conf";

// "--name=value", "--name value", "-xvalue" or "-x value".
util::Result<std::string> option_value(const std::vector<std::string>& args, size_t& i,
                                       std::string_view name) {
  const std::string& a = args[i];
  if (size_t eq = a.find('='); a.starts_with("--") && eq != std::string::npos)
    return a.substr(eq + 1);
  if (!a.starts_with("--") && a.size() > 2) return a.substr(2);
  if (i + 1 >= args.size())
    return util::Error{"option " + std::string(name) + " requires an argument", {}};
  return args[++i];
}

bool is(const std::string& a, std::string_view short_form, std::string_view long_form) {
  if (!short_form.empty() && a.starts_with(short_form)) return true;
  return a == long_form ||
         (a.starts_with(long_form) && a.size() > long_form.size() && a[long_form.size()] == '=');
}

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Writes `text` to a new temporary file in `dir`; its name, or an error.
util::Result<std::string> write_temp(const std::string& dir, const std::string& base,
                                     const std::string& text, int mode) {
  std::string name = (dir == "/" ? "" : dir) + "/" + base + ".tmpXXXXXX";
  int fd = mkstemp(name.data());
  if (fd < 0)
    return util::Error{"cannot create a file in " + dir + ": " + util::errno_text(errno), {}};
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string e = util::errno_text(errno);
      ::close(fd);
      ::unlink(name.c_str());
      return util::Error{"cannot write " + name + ": " + e, {}};
    }
    done += static_cast<size_t>(n);
  }
  fchmod(fd, static_cast<mode_t>(mode));
  if (::close(fd) != 0) {
    ::unlink(name.c_str());
    return util::Error{"cannot write " + name + ": " + util::errno_text(errno), {}};
  }
  return name;
}

void print_diagnostics(const config::Diagnostics& d, bool verbose, std::FILE* out, std::FILE* err) {
  for (const std::string& w : d.warnings)
    std::fprintf(err, "%s: warning: %s\n", kProgram, w.c_str());
  if (!verbose) return;
  for (const std::string& n : d.notes) std::fprintf(out, "%s\n", n.c_str());
}

int fail(std::FILE* err, const std::string& msg) {
  std::fprintf(err, "%s: %s\n", kProgram, msg.c_str());
  return 1;
}

// Without -o, a hand-written configuration the engine reads first makes the run pointless.
bool shadowed(const UpdateConfArgs& args, const UpdateConfEnv& env, std::FILE* out) {
  if (args.output_given) return false;
  std::vector<std::string> files = env.hand_written;
  if (files.empty()) {
    std::string list = default_config_list();
    for (size_t b = 0, e; b <= list.size(); b = e + 1) {
      e = list.find(':', b);
      if (e == std::string::npos) e = list.size();
      if (std::string f = list.substr(b, e - b); !f.empty() && f != args.output) files.push_back(f);
    }
  }
  for (const std::string& f : files) {
    if (access(f.c_str(), F_OK) != 0) continue;
    if (args.verbose)
      std::fprintf(out, "%s exists and is read instead: nothing to do\n", f.c_str());
    return true;
  }
  return false;
}

}  // namespace

std::string update_conf_usage() {
  return std::string(kProgram) +
         " - generate facteur's configuration from conf.d fragments\n"
         "  -v|--verbose        say what is skipped and why\n"
         "  -h|--help           show this message\n"
         "  --keepcomments      keep comment lines\n"
         "  --removecomments    remove comment lines (the default)\n"
         "  -o|--output FILE    write FILE instead of " +
         default_autoconfig_path() +
         "\n"
         "  -d|--confdir DIR    read DIR/conf.d and DIR/update-facteur.conf.conf instead of " +
         default_confdir() +
         "\n"
         "  --check             check the generated configuration and remove it again\n";
}

util::Result<UpdateConfArgs> parse_update_conf_args(const std::vector<std::string>& args) {
  UpdateConfArgs a;
  a.confdir = default_confdir();
  a.output = default_autoconfig_path();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    if (s == "-v" || s == "--verbose") {
      a.verbose = true;
    } else if (s == "-h" || s == "--help") {
      a.help = true;
    } else if (s == "--keepcomments" || s == "--removecomments") {
      a.keep_comments = s == "--keepcomments";
    } else if (s == "--check") {
      a.check = true;
    } else if (is(s, "-o", "--output")) {
      auto v = option_value(args, i, "--output");
      if (!v) return v.error();
      a.output = *v;
      a.output_given = true;
    } else if (is(s, "-d", "--confdir")) {
      auto v = option_value(args, i, "--confdir");
      if (!v) return v.error();
      a.confdir = *v;
    } else if (s == "--") {
      if (i + 1 < args.size())
        return util::Error{"no non-option arguments allowed (" + args[i + 1] + ")", {}};
    } else if (s.starts_with("-")) {
      return util::Error{"unknown option " + s, {}};
    } else {
      return util::Error{"no non-option arguments allowed (" + s + ")", {}};
    }
  }
  if (a.output.empty()) return util::Error{"the output file name is empty", {}};
  return a;
}

std::string check_config_file(const std::string& path) {
  auto cfg = config::read_file(path);
  if (!cfg) return config::format_error(cfg.error());
  auto acls = acl::load(*cfg);
  if (!acls) return acls.error().message;
  return {};
}

std::string host_fqdn() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return {};
  addrinfo hints{};
  hints.ai_flags = AI_CANONNAME;
  addrinfo* res = nullptr;
  if (getaddrinfo(name, nullptr, &hints, &res) != 0 || !res) return name;
  std::string fqdn = res->ai_canonname ? res->ai_canonname : name;
  freeaddrinfo(res);
  return fqdn;
}

int run_update_conf(const UpdateConfArgs& args, const UpdateConfEnv& env, std::FILE* out,
                    std::FILE* err) {
  if (args.help) {
    std::fputs(update_conf_usage().c_str(), out);
    return 0;
  }
  if (shadowed(args, env, out)) return 0;
  std::string dir = dir_of(args.output);
  if (!is_dir(dir)) {
    if (!args.check) return fail(err, "no folder " + dir + " for " + args.output);
    const char* tmp = std::getenv("TMPDIR");
    dir = tmp && *tmp ? tmp : "/tmp";
  }
  config::AssembleOptions opts;
  opts.confdir = args.confdir;
  opts.keep_comments = args.keep_comments;
  opts.mailname_file = env.mailname_file;
  opts.version = kFacteurVersion;
  opts.fqdn = env.fqdn ? env.fqdn : host_fqdn;
  auto a = config::assemble(opts);
  if (!a) return fail(err, config::format_error(a.error()));
  print_diagnostics(a->diag, args.verbose, out, err);
  std::string base = args.output.substr(args.output.rfind('/') + 1);
  auto tmp = write_temp(dir, base.empty() ? "facteur.conf" : base, a->text, a->file_mode);
  if (!tmp) return fail(err, tmp.error().message);
  if (args.check || !args.output_given) {
    if (std::string e = check_config_file(*tmp); !e.empty()) {
      std::fprintf(err, "%s\n", e.c_str());
      return fail(
          err, "invalid new configuration file " + *tmp + ", not installing it to " + args.output);
    }
    if (args.verbose) std::fprintf(out, "the generated configuration is valid\n");
  }
  if (args.check) {
    ::unlink(tmp->c_str());
    return 0;
  }
  if (std::rename(tmp->c_str(), args.output.c_str()) != 0) {
    std::string e = util::errno_text(errno);
    ::unlink(tmp->c_str());
    return fail(err, "cannot rename " + *tmp + " to " + args.output + ": " + e);
  }
  if (args.verbose) std::fprintf(out, "wrote %s\n", args.output.c_str());
  return 0;
}

}  // namespace engine
