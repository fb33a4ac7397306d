// authenticators/common.cpp — helpers shared by the drivers (see common.h).
#include "authenticators/common.h"

#include "lang/expand.h"
#include "util/base64.h"
#include "util/strings.h"

namespace authenticators {
namespace {

constexpr int kAuthVars = 4;  // $auth1..$auth4

bool is_true_word(std::string_view v) {
  return v == "1" || util::iequals(v, "yes") || util::iequals(v, "true");
}

}  // namespace

lang::Status expand_option(const Authenticator& a, std::string_view name, lang::EvalContext& ctx,
                           std::string& out) {
  return a.options().expand(name, ctx, out);
}

void set_auth_vars(lang::EvalContext& ctx, const std::vector<std::string>& items) {
  for (int i = 0; i < kAuthVars; ++i) {
    std::string name = "auth" + std::to_string(i + 1);
    if (static_cast<size_t>(i) < items.size()) {
      ctx.item_vars[name] = items[static_cast<size_t>(i)];
    } else {
      ctx.item_vars.erase(name);
    }
  }
  ctx.captures.assign(1, "");
  ctx.captures.insert(ctx.captures.end(), items.begin(), items.end());
}

void clear_auth_vars(lang::EvalContext& ctx) {
  for (int i = 1; i <= kAuthVars; ++i) ctx.item_vars.erase("auth" + std::to_string(i));
  ctx.captures.clear();
}

bool decode_client_data(std::string_view b64, std::string& out) {
  out.clear();
  return util::base64_decode(b64, out);
}

void split_at_nuls(std::string_view data, bool at_least_one, std::vector<std::string>& items) {
  size_t pos = 0;
  bool first = true;
  while (pos < data.size() || (first && at_least_one)) {
    size_t nul = data.find('\0', pos);
    if (nul == std::string_view::npos) nul = data.size();
    items.emplace_back(data.substr(pos, nul - pos));
    pos = nul + 1;
    first = false;
  }
}

ServerReply check_condition(const Authenticator& a, std::string_view name, lang::EvalContext& ctx,
                            ServerOutcome unset) {
  ServerReply r;
  if (!a.options().is_set(name)) {
    r.outcome = unset;
    return r;
  }
  std::string v;
  lang::Status st = expand_option(a, name, ctx, v);
  if (st.is_fail()) {
    r.outcome = ServerOutcome::Fail;
    r.log = std::string(name) + " forced failure";
  } else if (st.is_error()) {
    r.outcome = ServerOutcome::Defer;
    r.log = "failed to expand " + std::string(name) + ": " + st.message();
  } else if (lang::is_false_string(v)) {
    r.outcome = ServerOutcome::Fail;
  } else if (is_true_word(v)) {
    r.outcome = ServerOutcome::Ok;
  } else {
    r.outcome = ServerOutcome::Defer;
    r.log = v;
    r.client = ": " + v;
  }
  return r;
}

std::string hide_secret(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 8)) {
    text.replace(pos, secret.size(), "<hidden>");
  }
  return text;
}

ClientStep client_exchange(ClientChannel& ch, std::string_view line, std::string& challenge,
                           ClientReply& reply) {
  reply = ch.command(line);
  if (reply.code == 235) return ClientStep::Ok;
  if (reply.code == 334) {
    return decode_client_data(util::trim(reply.text), challenge) ? ClientStep::Challenge
                                                                 : ClientStep::BadChallenge;
  }
  if (reply.code >= 500 && reply.code < 600) return ClientStep::Fail;
  return ClientStep::Defer;
}

ClientResult client_result(ClientStep step, const ClientReply& reply, std::string_view mech) {
  std::string said = reply.code ? std::to_string(reply.code) + " " + reply.text : reply.text;
  switch (step) {
    case ClientStep::Ok:
      return {ClientOutcome::Ok, ""};
    case ClientStep::Fail:
      return {ClientOutcome::Fail, std::string(mech) + " authentication refused: " + said};
    case ClientStep::BadChallenge:
      return {ClientOutcome::Fail, "invalid base64 in " + std::string(mech) + " challenge"};
    case ClientStep::Defer:
    case ClientStep::Challenge:
      break;
  }
  return {ClientOutcome::Defer, std::string(mech) + " authentication: " + said};
}

}  // namespace authenticators
