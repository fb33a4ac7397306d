#include "engine/cli.h"

#include <cstring>

#include "engine/config_paths.h"

namespace engine {

std::string default_config_path() {
  return default_config_list();
}

util::Result<CommandLine> parse_command_line(int argc, char** argv) {
  CommandLine cl;
  cl.config_path = default_config_path();
  if (argc > 0) apply_program_name(cl, argv[0]);
  int i = 1;
  auto need = [&](const char* opt) -> util::Result<std::string> {
    if (i + 1 >= argc)
      return util::Error{std::string("option ") + opt + " requires an argument", {}};
    return std::string(argv[++i]);
  };
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.size() < 2 || a[0] != '-') break;
    if (a == "-be") {
      if (cl.mode != Mode::ExpandMsg) cl.mode = Mode::Expand;  // -bem FILE -be keeps FILE
    } else if (a == "-bem") {
      auto v = need("-bem");
      if (!v) return v.error();
      cl.mode = Mode::ExpandMsg;
      cl.bem_file = *v;
    } else if (a == "-bV")
      cl.mode = Mode::Version;
    else if (a == "-bP")
      cl.mode = Mode::PrintOpts;
    else if (a == "-bd" || a == "-bdf") {
      cl.mode = Mode::Daemon;
      cl.foreground = a == "-bdf";
    } else if (a == "-oX") {
      auto v = need("-oX");
      if (!v) return v.error();
      cl.ox = *v;
    } else if (a == "-oP") {
      auto v = need("-oP");
      if (!v) return v.error();
      cl.pid_file = *v;
    } else if (a == "-bs")
      cl.mode = Mode::SmtpStdin;
    else if (a == "-bh" || a == "-bhc") {
      auto v = need(a.c_str());
      if (!v) return v.error();
      cl.mode = Mode::HostCheck;
      cl.host_ip = *v;
      cl.host_check_callouts = a == "-bhc";
    } else if (a == "-bt")
      cl.mode = Mode::AddrTest;
    else if (a == "-bv" || a == "-bvs") {
      cl.mode = Mode::AddrVerify;
      cl.verify_as_sender = a == "-bvs";
    } else if (a.rfind("-bp", 0) == 0) {
      cl.mode = Mode::ListQueue;
      cl.bp_letters = a.substr(3);
    } else if (a.rfind("-C", 0) == 0) {
      if (a.size() > 2)
        cl.config_path = a.substr(2);
      else {
        auto v = need("-C");
        if (!v) return v.error();
        cl.config_path = *v;
      }
      cl.config_given = true;
    } else if (a.rfind("-D", 0) == 0) {
      std::string d = a.substr(2);
      size_t eq = d.find('=');
      cl.macros.push_back({d.substr(0, eq), eq == std::string::npos ? "" : d.substr(eq + 1)});
    } else if (a.rfind("-d", 0) == 0) {
      cl.debug_on = true;
      cl.debug = a.substr(2);
    } else if (a.rfind("-f", 0) == 0) {
      if (a.size() > 2)
        cl.sender = a.substr(2);
      else {
        auto v = need("-f");
        if (!v) return v.error();
        cl.sender = *v;
      }
      cl.sender_given = true;
    } else if (a == "-t")
      cl.extract_recipients = true;
    else if (a == "-i" || a == "-oi")
      cl.dot_ends = false;
    else if (a == "-n")
      cl.no_name = true;
    else {
      auto known = parse_delivery_option(cl, argc, argv, i);
      if (!known) return known.error();
      if (!*known) return util::Error{"unknown, unsupported, or incomplete option " + a, {}};
    }
  }
  for (; i < argc; ++i) cl.args.emplace_back(argv[i]);
  return cl;
}

}  // namespace engine
