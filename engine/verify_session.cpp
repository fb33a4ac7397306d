// engine/verify_session.cpp — AddressVerifier: verification for SMTP sessions (VRFY, EXPN,
// `verify = recipient/sender`), see verify.h.
#include "engine/verify.h"

namespace engine {
namespace {

using routers::RouterResult;

RouteMode mode_for(smtp::VerifyKind k) {
  switch (k) {
    case smtp::VerifyKind::Sender:
      return RouteMode::VerifySender;
    case smtp::VerifyKind::Expn:
      return RouteMode::Expn;
    default:
      return RouteMode::VerifyRecipient;
  }
}

smtp::VerifyStatus status_of(RouterResult r) {
  if (r == RouterResult::Accept) return smtp::VerifyStatus::Ok;
  return r == RouterResult::Fail ? smtp::VerifyStatus::Fail : smtp::VerifyStatus::Defer;
}

}  // namespace

smtp::VerifyResult AddressVerifier::verify(const smtp::VerifyRequest& req, lang::EvalContext& ctx) {
  smtp::VerifyResult r;
  r.address = req.address;
  if (!chain_) chain_.emplace(RouterChain::build(cfg_));
  if (!chain_->ok()) {
    r.message = chain_->error().message;
    return r;
  }
  RouteEnv env;
  env.chain = &chain_->value();
  env.ctx = &ctx;
  env.mode = mode_for(req.kind);
  // The sender is unset while a sender is verified (spec 15, "senders").
  if (req.kind != smtp::VerifyKind::Sender && ctx.vars) ctx.vars->get("sender_address", env.sender);
  VerifySettings vs;
  vs.mode = env.mode;
  vs.success_on_redirect = req.success_on_redirect;
  // Routing may match regexes and run lookups: the ACL's $0.. and $value stay as they were.
  lang::ValueGuard value_guard(ctx);
  std::vector<std::string> captures = ctx.captures;
  VerifyOutcome v = verify_address(req.address, env, vs);
  ctx.captures = std::move(captures);
  r.status = status_of(v.status);
  r.address = v.address.empty() ? req.address : v.address;
  r.message = v.message;
  r.user_message = v.user_message;
  r.addresses = std::move(v.expn);
  r.address_data = v.address_data;
  r.address_data_set = v.address_data_set;
  return r;
}

}  // namespace engine
