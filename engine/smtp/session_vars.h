// engine/smtp/session_vars.h — the expansion variables of one SMTP session: the engine's
// Variables plus the headers of the message being received ($h_subject: ...), which the
// DATA ACL and later stages read.
#pragma once

#include "engine/variables.h"

namespace engine::smtp {

class Session;

class SessionVariables : public engine::Variables {
 public:
  SessionVariables(const config::Config& cfg, const Session& s)
      : Variables(&cfg), cfg_(cfg), s_(s) {}
  bool header(std::string_view kind, std::string_view name, std::string& out) const override;
  // Once the data is in (the DATA ACL and after): $message_body, $message_body_end (the first
  // and last message_body_visible characters, newlines as spaces), $message_headers and
  // $message_headers_raw (Received: and the message's own header lines), $message_body_size.
  bool get(std::string_view name, std::string& out) const override;

 private:
  const config::Config& cfg_;
  const Session& s_;
};

}  // namespace engine::smtp
