// transports/command_line.h — command lines of the pipe and lmtp transports (spec 29.3, "How
// the command is run"): split into arguments first (white space; "double quotes" with
// backslash escapes; 'single quotes' verbatim), then each argument expanded on its own, so
// that expansion can never change the number of arguments. An argument that is exactly
// $pipe_addresses becomes one argument per address of the delivery; with force_command an
// argument that is exactly $address_pipe becomes the arguments of the redirected command.
//
// Failure: compile() reports an unterminated quote or an argument that does not compile;
// expand() reports an expansion failure as Exim words it ("Expansion of \"ARG\" from command
// \"CMD\" in TRANSPORT transport failed: ...").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/expand.h"
#include "transports/delivery_vars.h"
#include "transports/transport.h"
#include "util/result.h"

namespace transports {

// Splits `text` into raw arguments.
util::Result<std::vector<std::string>> split_command(std::string_view text);

class CommandTemplate {
 public:
  static util::Result<CommandTemplate> compile(std::string_view text);
  bool empty() const { return args_.empty(); }
  const std::string& text() const { return text_; }
  // The argument vector for delivery `d`. `address_pipe` holds the redirected command's
  // arguments (already split and expanded) for $address_pipe.
  bool expand(Expander& ex, const Delivery& d, const std::vector<std::string>& address_pipe,
              std::vector<std::string>& argv, std::string& error) const;

 private:
  enum class Kind : unsigned char { Text, PipeAddresses, AddressPipe };
  struct Arg {
    Kind kind = Kind::Text;
    std::shared_ptr<lang::Program> program;
  };
  std::string text_;
  std::vector<Arg> args_;
};

}  // namespace transports
