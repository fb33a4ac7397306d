// engine/smtp/auth_services.cpp — the configured authenticators behind a session (see
// auth_services.h).
#include "engine/smtp/auth_services.h"

#include <algorithm>

#include "authenticators/authenticator.h"
#include "authenticators/common.h"
#include "lang/expand.h"
#include "util/debug.h"
#include "util/strings.h"

namespace engine::smtp {
namespace {

namespace au = authenticators;

// server_advertise_condition: "", "0", "no", "false" and failures withhold the mechanism.
bool advertise_condition(const au::Authenticator& a, lang::EvalContext& ctx, std::string& error) {
  if (!a.options().is_set("server_advertise_condition")) return true;
  std::string out;
  lang::Status st = au::expand_option(a, "server_advertise_condition", ctx, out);
  if (st.is_error()) error = st.message();
  return st.is_ok() && !lang::is_false_string(out);
}

AuthStep::Kind kind_of(au::ServerOutcome o) {
  switch (o) {
    case au::ServerOutcome::Challenge:
      return AuthStep::Challenge;
    case au::ServerOutcome::Ok:
      return AuthStep::Success;
    case au::ServerOutcome::Fail:
      return AuthStep::Fail;
    case au::ServerOutcome::Defer:
      return AuthStep::Defer;
    case au::ServerOutcome::TempFail:
      return AuthStep::TempFail;
    case au::ServerOutcome::Bad64:
      return AuthStep::Bad64;
    case au::ServerOutcome::Unexpected:
      return AuthStep::Unexpected;
  }
  return AuthStep::Fail;
}

class Exchange : public AuthExchange {
 public:
  Exchange(const au::Authenticator& a, lang::EvalContext& ctx)
      : a_(a), ctx_(ctx), dialogue_(a.server_start(ctx)) {
    au::clear_auth_vars(ctx_);
  }
  ~Exchange() override { au::clear_auth_vars(ctx_); }

  AuthStep step(std::string_view response, bool initial) override {
    au::ServerReply r = dialogue_->step(response, initial);
    AuthStep s{kind_of(r.outcome),
               r.outcome == au::ServerOutcome::Challenge ? r.challenge : r.client, r.log, ""};
    if (s.kind != AuthStep::Challenge) finish(s);
    return s;
  }
  std::string authenticator() const override { return a_.name(); }

 private:
  // server_debug_print and server_set_id once the outcome is known; then $auth<n> go.
  void finish(AuthStep& s) {
    std::string text;
    if (util::debug::on(util::debug::kAuth) && a_.options().is_set("server_debug_print")) {
      lang::Status st = au::expand_option(a_, "server_debug_print", ctx_, text);
      util::debug::print(0, st.is_ok() ? text : "server_debug_print: " + st.message());
    }
    if (a_.options().is_set("server_set_id")) {
      lang::Status st = au::expand_option(a_, "server_set_id", ctx_, s.id);
      if (!st.is_ok()) s.id.clear();
      if (!st.is_ok() && s.kind == AuthStep::Success) {
        s.kind = AuthStep::Defer;
        s.log = "server_set_id expansion failed: " + st.message();
      }
    }
    au::clear_auth_vars(ctx_);
  }

  const au::Authenticator& a_;
  lang::EvalContext& ctx_;
  std::unique_ptr<au::ServerDialogue> dialogue_;
};

}  // namespace

AuthenticatingServices::AuthenticatingServices(const config::Config& cfg) : cfg_(cfg) {}
AuthenticatingServices::~AuthenticatingServices() = default;

const std::vector<std::unique_ptr<au::Authenticator>>& AuthenticatingServices::authenticators() {
  if (!built_) {
    auths_ = au::make_authenticators(cfg_);
    built_ = true;
  }
  return auths_;
}

std::vector<std::string> AuthenticatingServices::auth_mechanisms(lang::EvalContext& ctx) {
  std::vector<std::string> out;
  advertised_.clear();
  for (const auto& a : authenticators()) {
    if (!a->is_server() || a->after_tls()) continue;
    std::string error;
    if (!advertise_condition(*a, ctx, error)) {
      if (!error.empty()) {
        log("failed to expand server_advertise_condition for " + a->name() +
            " authenticator: " + error);
      }
      continue;
    }
    advertised_.push_back(a.get());
    std::string name = a->public_name();
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

std::unique_ptr<AuthExchange> AuthenticatingServices::auth_start(std::string_view mechanism,
                                                                 lang::EvalContext& ctx) {
  // The first advertised instance of that name; any server instance when the session allows
  // AUTH unadvertised (control = allow_auth_unadvertised), which the session checks.
  for (const au::Authenticator* a : advertised_) {
    if (util::iequals(a->public_name(), mechanism)) return std::make_unique<Exchange>(*a, ctx);
  }
  for (const auto& a : authenticators()) {
    if (a->is_server() && !a->after_tls() && util::iequals(a->public_name(), mechanism)) {
      return std::make_unique<Exchange>(*a, ctx);
    }
  }
  return nullptr;
}

std::unique_ptr<AuthExchange> AuthenticatingServices::tls_auth_start(lang::EvalContext& ctx) {
  for (const auto& a : authenticators()) {
    if (a->is_server() && a->after_tls()) return std::make_unique<Exchange>(*a, ctx);
  }
  return nullptr;
}

}  // namespace engine::smtp
