// engine/cli_delivery.cpp — the delivery, queue and sendmail-compatible options of the command
// line (spec chapter 5): -q..., -R, -S, -M..., -brt, -bm, -bS, -od?, -F, -N, -oe?, and the
// options sendmail callers pass that change nothing here (-B, -m, -om, -oem ..., -v).
#include <cctype>
#include <string>
#include <string_view>

#include "engine/cli.h"

namespace engine {
namespace {

bool is_time_text(std::string_view s) {
  return !s.empty() && std::isdigit(static_cast<unsigned char>(s[0])) &&
         s.find_first_not_of("0123456789smhdw") == std::string_view::npos;
}

// "-q" [q] [i] [f [f]] [l] [time]; "-qR..." and "-qS..." are handed back as -R / -S.
util::Result<bool> parse_q(CommandLine& cl, std::string_view a) {
  QueueRunFlags& q = cl.queue;
  size_t p = 2;
  auto take = [&](char c) {
    if (p < a.size() && a[p] == c) {
      ++p;
      return true;
    }
    return false;
  };
  q.two_stage = take('q');
  q.in_order = take('i');
  if (take('f')) {
    q.force = true;
    q.force_frozen = take('f');
  }
  q.local_only = take('l');
  std::string_view rest = a.substr(p);
  if (!rest.empty() && !is_time_text(rest)) {
    return util::Error{"unknown, unsupported, or incomplete option " + std::string(a), {}};
  }
  q.given = true;
  q.interval = std::string(rest);
  cl.queue_interval = rest.empty() ? "0" : std::string(rest);
  return true;
}

// -R / -S: "<flags> <string>" or "<string>" (spec 5, "-R<rsflags> <string>").
util::Result<bool> parse_rs(CommandLine& cl, std::string_view flags_and_string, char which,
                            int argc, char** argv, int& i) {
  std::string_view v = flags_and_string;
  bool is_flags = v == "f" || v == "ff" || v == "r" || v == "rf" || v == "rff";
  std::string text;
  if (v.empty() || is_flags) {
    if (i + 1 >= argc) {
      return util::Error{std::string("-") + which + " must be followed by a string", {}};
    }
    text = argv[++i];
  } else {
    text = std::string(v);
    v = {};
  }
  QueueRunFlags& q = cl.queue;
  q.given = true;
  if (cl.queue_interval.empty()) cl.queue_interval = "0";
  bool regex = !v.empty() && v[0] == 'r';
  if (v.find('f') != std::string_view::npos) q.force = true;
  if (v.find("ff") != std::string_view::npos) q.force_frozen = true;
  if (which == 'R') {
    q.recipient = text;
    q.recipient_regex = regex;
  } else {
    q.sender = text;
    q.sender_regex = regex;
  }
  return true;
}

bool parse_od(CommandLine& cl, std::string_view a) {
  if (a == "-odb")
    cl.deliver_mode = DeliverMode::Background;
  else if (a == "-odf" || a == "-odi")
    cl.deliver_mode = DeliverMode::Foreground;
  else if (a == "-odq")
    cl.deliver_mode = DeliverMode::Queue;
  else if (a == "-odqs")
    cl.deliver_mode = DeliverMode::QueueSmtp;
  else
    return false;
  return true;
}

// Options sendmail callers pass that change nothing for us.
bool ignored_option(std::string_view a) {
  return a == "-m" || a == "-om" || a == "-v" || a == "-oee" || a == "-oem" || a == "-oep" ||
         a == "-oeq" || a == "-oew" || a == "-Am" || a == "-Ac" || a == "-oitrue" ||
         a.rfind("-B", 0) == 0 || a.rfind("-h", 0) == 0 || a == "-x";
}

}  // namespace

util::Result<bool> parse_delivery_option(CommandLine& cl, int argc, char** argv, int& i) {
  std::string_view a = argv[i];
  if (a.rfind("-qR", 0) == 0) return parse_rs(cl, a.substr(3), 'R', argc, argv, i);
  if (a.rfind("-qS", 0) == 0) return parse_rs(cl, a.substr(3), 'S', argc, argv, i);
  if (a.rfind("-q", 0) == 0) return parse_q(cl, a);
  if (a.rfind("-R", 0) == 0) return parse_rs(cl, a.substr(2), 'R', argc, argv, i);
  if (a.rfind("-S", 0) == 0) return parse_rs(cl, a.substr(2), 'S', argc, argv, i);
  static constexpr std::string_view kMsgActions[] = {"-M",  "-Mrm", "-Mf",  "-Mt",
                                                     "-Mg", "-Mvh", "-Mvb", "-Mvl"};
  for (auto m : kMsgActions) {
    if (a == m) {
      cl.mode = Mode::MsgAction;
      cl.msg_action = std::string(m);
      return true;
    }
  }
  if (a == "-brt")
    cl.mode = Mode::RetryTest;
  else if (a == "-bm")
    cl.mode = Mode::None;
  else if (a == "-bS")
    cl.mode = Mode::BatchSmtp;
  else if (a == "-N")
    cl.no_deliver = true;
  else if (a.rfind("-F", 0) == 0) {
    if (a.size() > 2) {
      cl.full_name = std::string(a.substr(2));
    } else {
      if (i + 1 >= argc) return util::Error{"-F must be followed by a name", {}};
      cl.full_name = argv[++i];
    }
  } else if (!parse_od(cl, a) && !ignored_option(a)) {
    return false;
  }
  return true;
}

void apply_program_name(CommandLine& cl, std::string_view argv0) {
  size_t slash = argv0.rfind('/');
  std::string_view name = slash == std::string_view::npos ? argv0 : argv0.substr(slash + 1);
  if (name == "mailq") {
    cl.mode = Mode::ListQueue;
  } else if (name == "runq") {
    cl.queue.given = true;
    cl.queue_interval = "0";
  } else if (name == "rsmtp") {
    cl.mode = Mode::BatchSmtp;
  } else if (name == "rmail") {
    cl.dot_ends = false;
  }
}

}  // namespace engine
