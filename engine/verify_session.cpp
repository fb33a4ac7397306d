// engine/verify_session.cpp — AddressVerifier: verification for SMTP sessions (VRFY, EXPN,
// `verify = recipient/sender`), see verify.h.
#include "engine/verify.h"


#include <cctype>

#include "engine/callout.h"
#include "engine/spool_config.h"
#include "engine/variables.h"
#include "lang/expand.h"
#include "util/services.h"
#include "util/strings.h"

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

// The transport's port for a callout: a number, a service name, or 25.
int port_number(const std::string& text) {
  int port = util::tcp_port(text);
  return port > 0 ? port : 25;
}

// An smtp transport option expanded for a callout; `dflt` when it does not expand.
std::string transport_value(const std::string& text, lang::EvalContext& ctx, std::string dflt) {
  std::string out;
  if (text.empty() || !lang::expand_string(text, ctx, out).is_ok() || out.empty()) return dflt;
  return out;
}

// A main option that is a time ("2h"), or `dflt`.
long long time_option(const config::Config& cfg, const char* name, long long dflt) {
  long long s = 0;
  std::string text = main_option(&cfg, name);
  return !text.empty() && util::parse_time_interval(text, s) ? s : dflt;
}

}  // namespace

// The "callout" hints database, opened at the first callout (spec 44.48).
CalloutCache& AddressVerifier::callout_cache(lang::EvalContext& ctx) {
  if (!cache_) {
    auto spool = main_option_expanded(cfg_, ctx, "spool_directory", "/var/spool/facteur");
    CalloutExpiry e;
    e.positive = time_option(cfg_, "callout_positive_expire", e.positive);
    e.negative = time_option(cfg_, "callout_negative_expire", e.negative);
    e.domain_positive = time_option(cfg_, "callout_domain_positive_expire", e.domain_positive);
    e.domain_negative = time_option(cfg_, "callout_domain_negative_expire", e.domain_negative);
    cache_ = std::make_unique<CalloutCache>(spool ? *spool : std::string(), e);
  }
  return *cache_;
}

// The callout after a successful verification (spec 44.46): only for an address routed to
// an smtp transport with hosts.
smtp::VerifyResult AddressVerifier::callout(const smtp::VerifyRequest& req, lang::EvalContext& ctx,
                                            const AddressPtr& routed, smtp::VerifyResult r) {
  CalloutOptions o;
  std::string error = parse_callout_options(*req.callout, o);
  if (!error.empty()) {
    r.status = smtp::VerifyStatus::Defer;
    r.message = error;
    return r;
  }
  const TransportInfo* t = chain_->value().transport(routed->transport);
  if (!t || t->driver != "smtp") return r;
  CalloutTarget target;
  target.hosts = routed->hosts;
  // The transport's hosts when the router gave none, or always with hosts_override.
  if ((target.hosts.empty() || t->overrides_hosts) && !t->hosts.empty() && callout_client())
    target.hosts = callout_client()->hosts_from_list(transport_value(t->hosts, ctx, ""));
  if (target.hosts.empty()) return r;
  target.port = port_number(transport_value(t->port, ctx, "smtp"));
  target.helo = transport_value(t->helo_data, ctx, primary_hostname(&cfg_));
  target.interface = transport_value(t->interface, ctx, "");
  if (o.random) {
    std::string lp =
        main_option(&cfg_, "callout_random_local_part", "$primary_hostname-$tod_epoch-testing");
    target.random_local_part = transport_value(lp, ctx, "");
  }
  bool sender = req.kind == smtp::VerifyKind::Sender;
  std::string mail_from;
  if (!sender && o.use_sender && ctx.vars) ctx.vars->get("sender_address", mail_from);
  if (!sender && o.use_postmaster) {
    std::string qd = main_option(&cfg_, "qualify_domain", primary_hostname(&cfg_));
    mail_from = "postmaster@" + qd;
  }
  CalloutOutcome c =
      run_callout(routed->address, sender, mail_from, target, o, &callout_cache(ctx));
  if (c.status == routers::RouterResult::Accept) return r;
  r.status = status_of(c.status);
  r.message = c.message;
  r.user_message = c.user_message;
  return r;
}

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
  if (req.callout && callouts_ && v.status == RouterResult::Accept && v.routed)
    return callout(req, ctx, v.routed, std::move(r));
  return r;
}

}  // namespace engine
