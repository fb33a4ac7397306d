// engine/smtp/session_vars.h — the expansion variables of one SMTP session: the engine's
// Variables plus the headers of the message being received ($h_subject: ...), which the
// DATA ACL and later stages read.
#pragma once

#include "engine/variables.h"

namespace engine::smtp {

class Session;

class SessionVariables : public engine::Variables {
 public:
  SessionVariables(const config::Config& cfg, const Session& s) : Variables(&cfg), s_(s) {}
  bool header(std::string_view kind, std::string_view name, std::string& out) const override;

 private:
  const Session& s_;
};

}  // namespace engine::smtp
