// authenticators/tls.cpp — driver = tls: authentication by a client certificate (spec chapter
// 42, "The tls authenticator").
//
// Not an SMTP mechanism: it is never advertised and no AUTH command reaches it. The session
// runs it once, right after a TLS negotiation in which the client presented a certificate
// that verified (tls_verify_hosts / tls_try_verify_hosts asked for one). server_param1 (also
// spelled server_param), server_param2 and server_param3 are expanded into $auth1..$auth3:
// a forced failure fails the authentication, another failure defers it. Then
// server_condition decides (unset: the verified certificate is enough), and server_set_id
// gives $authenticated_id, as for the other drivers. When it succeeds the session counts as
// authenticated (the authenticated ACL condition, esmtpsa) and EHLO offers no AUTH.
#include "authenticators/authenticator.h"
#include "authenticators/common.h"

namespace authenticators {
namespace {

using T = engine::config::OptType;

constexpr DriverOption kOptions[] = {
    {"server_param", T::String, true, ""},
    {"server_param1", T::String, true, ""},
    {"server_param2", T::String, true, ""},
    {"server_param3", T::String, true, ""},
};

class TlsServer : public ServerDialogue {
 public:
  TlsServer(const Authenticator& a, lang::EvalContext& ctx) : a_(a), ctx_(ctx) {}

  ServerReply step(std::string_view data, bool initial) override {
    if (!initial || !data.empty()) return {ServerOutcome::Unexpected, "", "", ""};
    std::vector<std::string> params;
    for (std::string_view name : {"server_param1", "server_param2", "server_param3"}) {
      std::string_view opt = name;
      if (name == "server_param1" && !a_.options().is_set(name)) opt = "server_param";
      std::string value;
      if (a_.options().is_set(opt)) {
        lang::Status st = expand_option(a_, opt, ctx_, value);
        if (st.is_fail())
          return {ServerOutcome::Fail, "", std::string(opt) + " forced failure", ""};
        if (st.is_error()) {
          return {ServerOutcome::Defer, "",
                  "failed to expand " + std::string(opt) + ": " + st.message(), ""};
        }
      }
      params.push_back(std::move(value));
    }
    while (!params.empty() && params.back().empty()) params.pop_back();
    set_auth_vars(ctx_, params);
    return check_condition(a_, "server_condition", ctx_, ServerOutcome::Ok);
  }

 private:
  const Authenticator& a_;
  lang::EvalContext& ctx_;
};

class TlsAuthenticator : public Authenticator {
 public:
  using Authenticator::Authenticator;
  bool is_server() const override {
    for (std::string_view o :
         {"server_param", "server_param1", "server_param2", "server_param3", "server_condition"}) {
      if (options().is_set(o)) return true;
    }
    return false;
  }
  bool after_tls() const override { return true; }
  std::unique_ptr<ServerDialogue> server_start(lang::EvalContext& ctx) const override {
    return is_server() ? std::make_unique<TlsServer>(*this, ctx) : nullptr;
  }
};

std::unique_ptr<Authenticator> make(const engine::config::Instance& inst) {
  return std::make_unique<TlsAuthenticator>(inst);
}

const AuthenticatorRegistrar reg({"tls", kOptions, make});

}  // namespace
}  // namespace authenticators
