// authenticators/cram_md5.cpp — driver = cram_md5: the CRAM-MD5 mechanism (RFC 2195; spec
// chapter 35).
//
// Server: the challenge is "<random.time@primary_hostname>" (64 random bits, so that no two
// sessions ever get the same challenge and an old response cannot be replayed; Exim uses
// the process id, which a one-process daemon would repeat). The response is "user digest":
// the user ends at the first white space and the digest must be 32 hex digits. $auth1 is the
// user while server_secret is expanded: a forced failure means "no such user" (535), another
// failure is temporary (435). The digest HMAC-MD5(secret, challenge) is compared in constant
// time; then server_condition, if set, authorizes. The secret must be the clear password:
// that is the price of never sending it (spec 35.1).
//
// Client: client_name (default $primary_hostname) and client_secret are expanded before
// AUTH is sent (forced failure: cancelled, the next authenticator is tried).
#include <openssl/rand.h>

#include <cctype>
#include <chrono>

#include "authenticators/authenticator.h"
#include "authenticators/common.h"
#include "util/base64.h"
#include "util/digest.h"
#include "util/strings.h"

namespace authenticators {
namespace {

using T = engine::config::OptType;

constexpr DriverOption kOptions[] = {
    {"client_name", T::String, true, ""},
    {"client_secret", T::String, true, ""},
    {"server_secret", T::String, true, ""},
};

std::string cram_digest_hex(std::string_view secret, std::string_view challenge) {
  return util::hex_encode(util::hmac(util::DigestAlgo::Md5, secret, challenge));
}

std::string variable(lang::EvalContext& ctx, std::string_view name) {
  std::string v;
  if (ctx.vars) ctx.vars->get(name, v);
  return v;
}

std::string new_challenge(lang::EvalContext& ctx) {
  unsigned char r[8] = {};
  if (RAND_bytes(r, sizeof r) != 1) {
    auto t = std::chrono::steady_clock::now().time_since_epoch().count();
    for (size_t i = 0; i < sizeof r; ++i) r[i] = static_cast<unsigned char>(t >> (8 * i));
  }
  unsigned long long n = 0;
  for (unsigned char c : r) n = (n << 8) | c;
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  return "<" + std::to_string(n) + "." + std::to_string(static_cast<long long>(now)) + "@" +
         variable(ctx, "primary_hostname") + ">";
}

class CramServer : public ServerDialogue {
 public:
  CramServer(const Authenticator& a, lang::EvalContext& ctx) : a_(a), ctx_(ctx) {}

  ServerReply step(std::string_view data, bool initial) override {
    if (initial) {
      if (!data.empty()) return {ServerOutcome::Unexpected, "", "", ""};
      challenge_ = new_challenge(ctx_);
      return {ServerOutcome::Challenge, util::base64_encode(challenge_), "", ""};
    }
    std::string clear;
    if (!decode_client_data(data, clear)) return {ServerOutcome::Bad64, "", "", ""};
    size_t sp = 0;
    while (sp < clear.size() && !std::isspace(static_cast<unsigned char>(clear[sp]))) ++sp;
    if (sp == clear.size()) return {ServerOutcome::Fail, "", "malformed response", ""};
    std::string user = clear.substr(0, sp);
    std::string digest = util::to_lower(std::string_view(clear).substr(sp + 1));
    set_auth_vars(ctx_, {user});
    if (digest.size() != 32) return {ServerOutcome::Fail, "", "malformed digest", ""};
    std::string secret;
    lang::Status st = expand_option(a_, "server_secret", ctx_, secret);
    if (st.is_fail()) return {ServerOutcome::Fail, "", "no secret for this user", ""};
    if (st.is_error()) {
      return {ServerOutcome::Defer, "", "failed to expand server_secret: " + st.message(), ""};
    }
    if (!util::equal_ct(cram_digest_hex(secret, challenge_), digest)) {
      return {ServerOutcome::Fail, "", "", ""};
    }
    return check_condition(a_, "server_condition", ctx_, ServerOutcome::Ok);
  }

 private:
  const Authenticator& a_;
  lang::EvalContext& ctx_;
  std::string challenge_;
};

class CramMd5 : public Authenticator {
 public:
  using Authenticator::Authenticator;
  bool is_server() const override { return options().is_set("server_secret"); }
  bool is_client() const override { return options().is_set("client_secret"); }
  std::unique_ptr<ServerDialogue> server_start(lang::EvalContext& ctx) const override {
    return is_server() ? std::make_unique<CramServer>(*this, ctx) : nullptr;
  }
  ClientResult client_authenticate(ClientChannel& ch, lang::EvalContext& ctx) const override;
};

ClientResult CramMd5::client_authenticate(ClientChannel& ch, lang::EvalContext& ctx) const {
  std::string user, secret;
  lang::Status st = options().is_set("client_name") ? expand_option(*this, "client_name", ctx, user)
                                                    : lang::Status::ok();
  if (!options().is_set("client_name")) user = variable(ctx, "primary_hostname");
  if (st.is_ok()) st = expand_option(*this, "client_secret", ctx, secret);
  if (!st.is_ok()) {
    return {st.is_fail() ? ClientOutcome::Cancelled : ClientOutcome::Error,
            "expansion of client_name or client_secret in " + name() + " authenticator failed" +
                (st.is_error() ? ": " + st.message() : "")};
  }
  std::string challenge;
  ClientReply reply;
  ClientStep step = client_exchange(ch, "AUTH " + public_name(), challenge, reply);
  if (step == ClientStep::BadChallenge) (void)ch.command("*");
  if (step != ClientStep::Challenge) return client_result(step, reply, public_name());
  std::string response = user + " " + cram_digest_hex(secret, challenge);
  step = client_exchange(ch, util::base64_encode(response), challenge, reply);
  if (step == ClientStep::Challenge || step == ClientStep::BadChallenge) {
    (void)ch.command("*");
    return {ClientOutcome::Fail, "unexpected second CRAM-MD5 challenge"};
  }
  return client_result(step, reply, public_name());
}

std::unique_ptr<Authenticator> make(const engine::config::Instance& inst) {
  return std::make_unique<CramMd5>(inst);
}

const AuthenticatorRegistrar reg({"cram_md5", kOptions, make});

}  // namespace
}  // namespace authenticators
