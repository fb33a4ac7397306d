// engine/smtp/session_acl.h — the SMTP session seen from the ACL items (acl::SessionHooks).
// See engine/acl_session.h for the contract; session_acl.cpp for what is done here.
#pragma once

#include "engine/acl_session.h"
#include "engine/smtp/session.h"

namespace engine::smtp {

class SessionAclHooks : public acl::SessionHooks {
 public:
  explicit SessionAclHooks(Session& s) : s_(s) {}
  std::string_view where() const override;
  std::string client_address() const override;
  std::string client_name() const override;
  lang::HostNameSource* host_names() override;
  acl::VerifyOutcome verify_reverse(std::string& log) override;
  bool control(std::string_view name, std::string_view options, std::string& error) override;
  void add_header(std::string text) override;
  void remove_header(std::string names) override;
  bool delays_allowed() const override;
  bool delay_async(long long seconds) override;
  acl::VerifyOutcome verify(std::string_view what, std::string_view options, std::string& message,
                            std::string& log) override;
  std::vector<std::string> recipients() const override;
  std::string message_text() const override;
  std::string authenticated_by() const override;
  std::string host_and_ident() const override;
  acl::RateCache* rate_cache() override { return &s_.rate_cache(); }
  std::string spool_directory() const override { return s_.spool_directory(); }
  std::string local_part_as_given() const override { return s_.rcpt_local_part(); }
  // `verify = helo`, also the session's own check for helo_verify_hosts.
  acl::VerifyOutcome verify_helo(std::string& message) const;

 private:
  acl::VerifyOutcome verify_header_syntax(std::string& message) const;
  acl::VerifyOutcome verify_not_blind(std::string_view options, std::string& message) const;
  acl::VerifyOutcome verify_header_sender(const VerifyRequest& base, bool defer_ok,
                                          std::string& message);
  Session& s_;
};

}  // namespace engine::smtp
