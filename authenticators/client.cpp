// authenticators/client.cpp — choosing and running client authenticators (see client.h).
#include "authenticators/client.h"

#include "authenticators/common.h"
#include "lang/expand.h"
#include "util/strings.h"

namespace authenticators {
namespace {

bool offered(const std::vector<std::string>& mechs, const std::string& name) {
  for (const auto& m : mechs)
    if (util::iequals(m, name)) return true;
  return false;
}

// client_condition; "" when the authenticator may be used, else why not.
std::string unusable(const Authenticator& a, const ClientAuthRequest& req, lang::EvalContext& ctx) {
  if (!a.options().is_set("client_condition")) {
    if (a.sends_clear_password() && !req.tls_active) {
      return a.name() + " authenticator not used: it would send a password in clear";
    }
    return "";
  }
  std::string v;
  lang::Status st = expand_option(a, "client_condition", ctx, v);
  if (st.is_ok() && !lang::is_false_string(v)) return "";
  return a.name() + " authenticator skipped by client_condition";
}

}  // namespace

ClientAuthOutcome client_authenticate_host(const std::vector<std::unique_ptr<Authenticator>>& auths,
                                           const ClientAuthRequest& req, ClientChannel& ch,
                                           lang::EvalContext& ctx) {
  ClientAuthOutcome out;
  std::string why = "no common mechanism";
  for (const auto& a : auths) {
    if (!a->is_client() || !offered(req.server_mechanisms, a->public_name())) continue;
    if (std::string skip = unusable(*a, req, ctx); !skip.empty()) {
      why = skip;
      continue;
    }
    ClientResult r = a->client_authenticate(ch, ctx);
    if (r.outcome == ClientOutcome::Ok) {
      out.kind = ClientAuthOutcome::Authenticated;
      out.authenticator = a->name();
      if (a->options().is_set("client_set_id") &&
          !expand_option(*a, "client_set_id", ctx, out.client_id).is_ok()) {
        out.client_id.clear();
      }
      return out;
    }
    why = r.message;
    if (r.outcome == ClientOutcome::Defer || r.outcome == ClientOutcome::Error) {
      out.kind = ClientAuthOutcome::Defer;
      out.message = why;
      return out;
    }
  }
  out.kind = req.require ? ClientAuthOutcome::Defer : ClientAuthOutcome::NotAuthenticated;
  out.message = req.require ? "authentication required but " + why : why;
  return out;
}

}  // namespace authenticators
