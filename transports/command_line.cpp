// transports/command_line.cpp — splitting and expanding transport command lines.
#include "transports/command_line.h"

#include <cctype>

#include "lang/escapes.h"

namespace transports {

util::Result<std::vector<std::string>> split_command(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (true) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size()) return out;
    std::string arg;
    char q = text[i];
    if (q == '"' || q == '\'') {
      ++i;
      while (i < text.size() && text[i] != q) {
        if (q == '"' && text[i] == '\\' && i + 1 < text.size()) {
          i = lang::decode_escape(text, i + 1, arg);
          continue;
        }
        arg += text[i++];
      }
      if (i >= text.size())
        return util::Error{"missing quote in command line: " + std::string(text), {}};
      ++i;
    } else {
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
        arg += text[i++];
    }
    out.push_back(std::move(arg));
  }
}

util::Result<CommandTemplate> CommandTemplate::compile(std::string_view text) {
  auto parts = split_command(text);
  if (!parts) return parts.error();
  CommandTemplate t;
  t.text_ = std::string(text);
  for (const std::string& p : *parts) {
    Arg a;
    if (p == "$pipe_addresses" || p == "${pipe_addresses}") {
      a.kind = Kind::PipeAddresses;
    } else if (p == "$address_pipe" || p == "${address_pipe}") {
      a.kind = Kind::AddressPipe;
    } else {
      a.program = std::make_shared<lang::Program>();
      lang::Status st = lang::Program::compile(p, *a.program);
      if (!st.is_ok())
        return util::Error{
            "failed to expand \"" + p + "\" in command \"" + t.text_ + "\": " + st.message(), {}};
    }
    t.args_.push_back(std::move(a));
  }
  return t;
}

bool CommandTemplate::expand(Expander& ex, const Delivery& d,
                             const std::vector<std::string>& address_pipe,
                             std::vector<std::string>& argv, std::string& error) const {
  argv.clear();
  for (const Arg& a : args_) {
    if (a.kind == Kind::PipeAddresses) {
      for (const DeliveryAddress& addr : d.addresses) argv.push_back(addr.address);
      continue;
    }
    if (a.kind == Kind::AddressPipe) {
      argv.insert(argv.end(), address_pipe.begin(), address_pipe.end());
      continue;
    }
    std::string v, err;
    if (ex.expand(*a.program, v, err) != ExpandOutcome::Ok) {
      error = "Expansion of \"" + a.program->text() + "\" from command \"" + text_ + "\" in " +
              ex.transport_name() + " transport failed: " + (err.empty() ? "forced failure" : err);
      return false;
    }
    argv.push_back(std::move(v));
  }
  return true;
}

}  // namespace transports
