// engine/smtp/auth_advertise.cpp — the AUTH mechanisms to offer (see auth_advertise.h).
#include "engine/smtp/auth_advertise.h"

#include <algorithm>

#include "lang/expand.h"
#include "util/strings.h"

namespace engine::smtp {
namespace {

const config::Setting* option_of(const config::Instance& a, std::string_view name) {
  for (const auto& s : a.options)
    if (s.name == name) return &s;
  return nullptr;
}

bool has_server_side(const config::Instance& a) {
  if (a.driver == "plaintext") return option_of(a, "server_condition");
  if (a.driver == "cram_md5") return option_of(a, "server_secret");
  if (a.driver == "dovecot") return option_of(a, "server_socket");
  if (a.driver == "spa") return option_of(a, "server_password");
  for (const auto& s : a.options) {
    if (s.name.rfind("server_", 0) != 0) continue;
    if (s.name == "server_advertise_condition" || s.name == "server_debug_print" ||
        s.name == "server_set_id" || s.name == "server_mail_auth_condition") {
      continue;
    }
    return true;
  }
  return false;
}

std::string public_name(const config::Instance& a) {
  const config::Setting* p = option_of(a, "public_name");
  return util::to_upper(p ? p->value : a.name);
}

// server_advertise_condition: "", "0", "no", "false" (and failures) withhold the mechanism.
bool advertise_condition(const config::Instance& a, lang::EvalContext& ctx) {
  const config::Setting* c = option_of(a, "server_advertise_condition");
  if (!c) return true;
  lang::Program prog;
  const lang::Program* p = c->program.get();
  if (!p) {
    if (!lang::Program::compile(c->value, prog).is_ok()) return false;
    p = &prog;
  }
  std::string out;
  if (!p->eval(ctx, out).is_ok()) return false;
  std::string_view v = util::trim(out);
  return !(v.empty() || v == "0" || util::iequals(v, "no") || util::iequals(v, "false"));
}

}  // namespace

std::vector<std::string> advertised_auth_mechanisms(const config::Config& cfg,
                                                    lang::EvalContext& ctx) {
  std::vector<std::string> out;
  for (const auto& a : cfg.authenticators) {
    if (!has_server_side(a) || !advertise_condition(a, ctx)) continue;
    std::string name = public_name(a);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

const config::Instance* find_server_authenticator(const config::Config& cfg,
                                                  std::string_view mechanism) {
  for (const auto& a : cfg.authenticators) {
    if (has_server_side(a) && util::iequals(public_name(a), mechanism)) return &a;
  }
  return nullptr;
}

}  // namespace engine::smtp
