// engine/message_vars.h — message variables from a message file, for `-bem file` (spec
// chapter 5, -bem): the file holds a message (header lines, a blank line, the body) and its
// headers and body become $h_*, $rh_*, $message_body, $message_headers, $message_size,
// $body_linecount ... for the expansions that follow, as if it were the message being handled.
// Other variables come from the wrapped source.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lang/context.h"
#include "util/result.h"

namespace engine {

class MessageVariables : public lang::VariableSource {
 public:
  explicit MessageVariables(const lang::VariableSource* base) : base_(base) {}
  // Reads the message from `path`. Error: the file cannot be read.
  util::Result<bool> load_file(const std::string& path);
  void load_text(std::string_view text);

  bool get(std::string_view name, std::string& out) const override;
  bool header(std::string_view kind, std::string_view name, std::string& out) const override;

 private:
  const lang::VariableSource* base_;
  std::vector<std::pair<std::string, std::string>> headers_;  // name, raw value after ':'
  std::string raw_headers_, body_;
  size_t size_ = 0;
};

}  // namespace engine
