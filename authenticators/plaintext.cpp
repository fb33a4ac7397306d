// authenticators/plaintext.cpp — driver = plaintext: the PLAIN and LOGIN mechanisms (spec
// chapter 34, RFC 4616 for PLAIN).
//
// Server: the data sent with AUTH is split at NULs into $auth1, $auth2 ... ("=" is one empty
// item); each entry of server_prompts not yet answered by that many items is sent as a 334
// challenge, and each answer adds its NUL-separated items. Then server_condition decides
// (common.h check_condition). The last item received is the password: it is hidden in
// anything logged.
//
// Client: client_send is a colon-separated list, split before expansion; the first string
// goes with the AUTH command (none when it is empty), the others answer the server's
// challenges, the latest challenge being in $auth1..$auth3 while each is expanded; a single
// '^' becomes a NUL, "^^" a '^'. A forced expansion failure cancels (the next authenticator
// is tried), any other failure is a configuration error. This driver sends a password the
// server can read: client.cpp only uses it over TLS unless client_condition says otherwise.
#include "authenticators/authenticator.h"
#include "authenticators/common.h"
#include "lang/expand.h"
#include "lang/lists.h"
#include "util/base64.h"

namespace authenticators {
namespace {

using T = engine::config::OptType;

constexpr DriverOption kOptions[] = {
    {"client_ignore_invalid_base64", T::Bool, false, "false"},
    {"client_send", T::String, true, ""},
    {"server_prompts", T::List, true, ""},
};

class PlaintextServer : public ServerDialogue {
 public:
  PlaintextServer(const Authenticator& a, lang::EvalContext& ctx) : a_(a), ctx_(ctx) {}

  ServerReply step(std::string_view data, bool initial) override {
    if (initial) {
      if (ServerReply r = start(); r.outcome != ServerOutcome::Ok) return r;
      if (data == "=") {
        items_.emplace_back();
      } else if (!data.empty() && !add_items(data, false)) {
        return {ServerOutcome::Bad64, "", "", ""};
      }
    } else if (!add_items(data, true)) {
      return {ServerOutcome::Bad64, "", "", ""};
    }
    set_auth_vars(ctx_, items_);
    while (next_prompt_ < prompts_.size()) {
      const std::string& prompt = prompts_[next_prompt_++];
      if (next_prompt_ <= items_.size()) continue;  // already answered
      return {ServerOutcome::Challenge, util::base64_encode(prompt), "", ""};
    }
    ServerReply r = check_condition(a_, "server_condition", ctx_, ServerOutcome::Fail);
    std::string_view secret = items_.empty() ? std::string_view() : items_.back();
    r.log = hide_secret(r.log, secret);
    return r;
  }

 private:
  // Expands server_prompts (a failure is a temporary error, spec 34.2).
  ServerReply start() {
    std::string list;
    lang::Status st = expand_option(a_, "server_prompts", ctx_, list);
    if (!st.is_ok()) {
      return {ServerOutcome::Defer, "", "failed to expand server_prompts: " + st.message(), ""};
    }
    lang::ListReader r(list);
    std::string p;
    while (r.next(p)) prompts_.push_back(p);
    return {ServerOutcome::Ok, "", "", ""};
  }

  bool add_items(std::string_view b64, bool at_least_one) {
    std::string clear;
    if (!decode_client_data(b64, clear)) return false;
    split_at_nuls(clear, at_least_one, items_);
    return true;
  }

  const Authenticator& a_;
  lang::EvalContext& ctx_;
  std::vector<std::string> prompts_;
  std::vector<std::string> items_;
  size_t next_prompt_ = 0;
};

// '^' is a NUL, "^^" a circumflex (spec 34.7).
std::string circumflex_to_nul(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '^') {
      out += s[i];
    } else if (i + 1 < s.size() && s[i + 1] == '^') {
      out += '^';
      ++i;
    } else {
      out += '\0';
    }
  }
  return out;
}

class Plaintext : public Authenticator {
 public:
  using Authenticator::Authenticator;
  bool is_server() const override { return options().is_set("server_condition"); }
  bool is_client() const override { return options().is_set("client_send"); }
  bool sends_clear_password() const override { return true; }
  std::unique_ptr<ServerDialogue> server_start(lang::EvalContext& ctx) const override {
    return is_server() ? std::make_unique<PlaintextServer>(*this, ctx) : nullptr;
  }
  ClientResult client_authenticate(ClientChannel& ch, lang::EvalContext& ctx) const override;

 private:
  // Expands one client_send string; false with `r` set when it failed.
  bool expand_send(const std::string& text, lang::EvalContext& ctx, std::string& out,
                   ClientResult& r) const {
    lang::Program prog;
    out.clear();
    lang::Status st = lang::Program::compile(text, prog);
    if (st.is_ok()) st = prog.eval(ctx, out);
    if (st.is_ok()) {
      out = circumflex_to_nul(out);
      return true;
    }
    r.outcome = st.is_fail() ? ClientOutcome::Cancelled : ClientOutcome::Error;
    r.message = "expansion of client_send in " + name() + " authenticator failed";
    if (st.is_error()) r.message += ": " + st.message();
    return false;
  }
};

ClientResult Plaintext::client_authenticate(ClientChannel& ch, lang::EvalContext& ctx) const {
  std::vector<std::string> strings;
  std::string list = options().get_string("client_send");
  lang::ListReader lr(list);
  for (std::string s; lr.next(s);) strings.push_back(s);
  if (strings.empty()) strings.emplace_back();
  std::vector<std::string> challenges;
  std::string line = "AUTH " + public_name(), data, challenge;
  ClientReply reply;
  ClientResult r;
  for (size_t i = 0; i < strings.size(); ++i) {
    set_auth_vars(ctx, challenges);
    bool ok = expand_send(strings[i], ctx, data, r);
    clear_auth_vars(ctx);
    if (!ok) {
      if (i > 0) (void)ch.command("*");
      return r;
    }
    if (i == 0) {
      if (!data.empty()) line += " " + util::base64_encode(data);
    } else {
      line = util::base64_encode(data);
    }
    ClientStep step = client_exchange(ch, line, challenge, reply);
    if (step == ClientStep::BadChallenge && options().get_bool("client_ignore_invalid_base64")) {
      step = ClientStep::Challenge;
      challenge.clear();
    }
    if (step != ClientStep::Challenge) return client_result(step, reply, public_name());
    if (challenges.size() < 3) challenges.push_back(challenge);
  }
  (void)ch.command("*");  // the server wants more than client_send has
  return {ClientOutcome::Fail, "too few items in client_send in " + name() + " authenticator"};
}

std::unique_ptr<Authenticator> make(const engine::config::Instance& inst) {
  return std::make_unique<Plaintext>(inst);
}

const AuthenticatorRegistrar reg({"plaintext", kOptions, make});

}  // namespace
}  // namespace authenticators
