// engine/spool_vars.h — the expansion variables of a message on the spool, as routers and
// transports see them during its delivery (spec chapter 11, "Expansion variables"):
// $message_id, $message_exim_id, $sender_address, $received_protocol, $sender_host_address,
// $sender_helo_name, $sender_ident, $authenticated_id, $authenticated_sender,
// $message_size, $message_age, $received_time, $recipients_count, $body_linecount,
// $message_headers, $message_body (the first 500 characters of the -D file, read when first
// asked for), $acl_m* kept on the spool, and the headers ($h_subject: ...).
//
// Anything else comes from the base source (configuration and process variables). Reading
// the body can fail silently (the variable is then empty). Not thread-safe: one per delivery.
#pragma once

#include <string>

#include "engine/spool.h"
#include "lang/context.h"

namespace engine {

class SpoolVariables : public lang::VariableSource {
 public:
  // `msg` must outlive this object; `body_size` is the size of the -D file's body.
  SpoolVariables(const lang::VariableSource* base, const SpoolMessage* msg, std::string data_path,
                 int64_t body_size, int64_t now);
  bool get(std::string_view name, std::string& out) const override;
  bool header(std::string_view kind, std::string_view name, std::string& out) const override;

 private:
  bool envelope(std::string_view name, std::string& out) const;
  const std::string& body() const;

  const lang::VariableSource* base_;
  const SpoolMessage* msg_;
  std::string data_path_;
  int64_t body_size_, now_;
  mutable bool body_read_ = false;
  mutable std::string body_;
};

}  // namespace engine
