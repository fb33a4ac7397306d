// engine/smtp/client_name.h — the SMTP client's verified host name for one session (spec
// 10.14, and host_lookup in chapter 14): looked up (PTR or hosts file, then forward
// confirmation: lang/dns.h) the first time something needs it — a host list item, verify =
// reverse_host_lookup or verify = helo, a host matching host_lookup — and remembered.
//
// It keeps the session variables in step: $sender_host_name (and the aliases),
// $host_lookup_failed / $host_lookup_deferred ("1" or "0"), and $sender_fullhost and
// $sender_rcvhost as Exim's host_build_sender_fullhost() writes them from the address, the
// name and $sender_helo_name.
//
// Failure: a failed lookup is remembered (later questions get NotFound without a query); a
// deferred one is not, so the next question tries again, as in Exim.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/variables.h"
#include "lang/match/hostlist.h"

namespace engine::smtp {

// "$sender_fullhost" and "$sender_rcvhost" for an address, HELO name and verified name (either
// may be empty). A HELO that is the address in brackets, or the name itself (ignoring case),
// is not shown.
struct HostIds {
  std::string fullhost;
  std::string rcvhost;
};
HostIds host_ids(const std::string& address, const std::string& helo, const std::string& name);

class ClientName : public lang::HostNameSource {
 public:
  ClientName(lang::EvalContext& ctx, Variables& vars, std::string address)
      : ctx_(ctx), vars_(vars), address_(std::move(address)) {}

  lang::HostFind host_names(std::string& name, std::vector<std::string>& aliases) override;
  // Looks the name up unless that was done (and did not defer).
  lang::HostFind lookup();
  const std::string& name() const { return name_; }
  const std::vector<std::string>& aliases() const { return aliases_; }
  // Why the last lookup found nothing (Exim's host_lookup_msg) or deferred.
  const std::string& message() const { return message_; }
  // Sets $sender_fullhost and $sender_rcvhost from what is known now.
  void update_vars();
  // Called once when a lookup finds no name (the session logs Exim's "no host name found
  // for IP address ..." line, selector host_lookup_failed).
  void on_not_found(std::function<void(const std::string& address)> f) {
    on_not_found_ = std::move(f);
  }

 private:
  lang::EvalContext& ctx_;
  Variables& vars_;
  std::string address_;
  lang::HostFind state_ = lang::HostFind::Defer;  // Defer: not looked up (or deferred)
  bool tried_ = false;
  std::string name_;
  std::vector<std::string> aliases_;
  std::string message_;
  std::function<void(const std::string&)> on_not_found_;
};

}  // namespace engine::smtp
