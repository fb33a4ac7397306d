// lang/items/prvs.cpp — BATV signing: ${prvs{address}{secret}{keynum}} and
// ${prvscheck{address}{secret}{string}} (spec 11.5, "Expansion items", and 44.53).
//
// A signed address is prvs=KDDDHHHHHH=address: K the key number (one digit, default 0), DDD the
// day (days since the epoch, modulo 1000) on which the signature expires, seven days after
// signing, and HHHHHH the first three bytes, in hex, of HMAC-SHA1(secret, K DDD address).
// prvscheck yields "" for anything not shaped like that. Otherwise it sets $prvscheck_address
// and $prvscheck_keynum, expands the secret, sets $prvscheck_result ("1" when the signature is
// right and not expired, else "") and yields the third argument, or the address when that is
// empty. $prvscheck_address and $prvscheck_keynum are unset again afterwards.
// Errors: "prvs first argument must be a qualified email address",
// "prvs third argument must be a single digit".
#include <cctype>
#include <ctime>

#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/base64.h"
#include "util/digest.h"
#include "util/strings.h"

namespace lang {
namespace {

constexpr long kValidDays = 7;

long today() {
  return static_cast<long>(std::time(nullptr) / 86400);
}

std::string daystamp(long day) {
  std::string s = std::to_string(day % 1000);
  return std::string(3 - s.size(), '0') + s;
}

// The six hex digits of the signature.
std::string prvs_hash(std::string_view address, std::string_view secret, char keynum,
                      std::string_view day) {
  std::string data(1, keynum);
  data.append(day).append(address);
  return util::hex_encode(util::hmac(util::DigestAlgo::Sha1, secret, data).substr(0, 3));
}

// As the regular expression ^.+@.+$ (no newline, an '@' with text on both sides).
bool qualified(std::string_view a) {
  if (a.find('\n') != std::string_view::npos) return false;
  size_t at = a.rfind('@');
  return at != std::string_view::npos && at > 0 && at + 1 < a.size();
}

class PrvsItem : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string address, secret, key = "0";
    LANG_TRY(args[0].eval_to(ctx, address));
    LANG_TRY(args[1].eval_to(ctx, secret));
    if (args.size() > 2) LANG_TRY(args[2].eval_to(ctx, key));
    if (!qualified(address)) {
      return Status::error("prvs first argument must be a qualified email address");
    }
    if (key.size() != 1 || !std::isdigit(static_cast<unsigned char>(key[0]))) {
      return Status::error("prvs third argument must be a single digit");
    }
    std::string day = daystamp(today() + kValidDays);
    out += "prvs=" + key + day + prvs_hash(address, secret, key[0], day) + "=" + address;
    return Status::ok();
  }
  std::vector<Template> args;
};

// The parts of prvs=KDDDHHHHHH=local@domain (prefix and hex digits in either case).
struct Signed {
  char keynum;
  std::string day, hash, address;
};

bool parse_signed(std::string_view s, Signed& out) {
  if (s.size() < 16 || !util::starts_with_ci(s, "prvs=") || s[15] != '=') return false;
  for (size_t k = 5; k < 9; ++k) {
    if (!std::isdigit(static_cast<unsigned char>(s[k]))) return false;
  }
  for (size_t k = 9; k < 15; ++k) {
    if (util::hex_digit_value(s[k]) < 0) return false;
  }
  out.keynum = s[5];
  out.day = std::string(s.substr(6, 3));
  out.hash = util::to_lower(s.substr(9, 6));
  out.address = std::string(s.substr(16));
  return qualified(out.address);
}

// True while the expiry day is today or up to kValidDays ahead (the day number wraps at 1000).
bool not_expired(const std::string& day) {
  long expiry = std::stol(day);
  long ahead = ((expiry - today() % 1000) % 1000 + 1000) % 1000;
  return ahead <= kValidDays;
}

class PrvscheckItem : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string text, yield;
    LANG_TRY(args[0].eval_to(ctx, text));
    Signed sig;
    if (!parse_signed(text, sig)) return Status::ok();
    ctx.item_vars["prvscheck_address"] = sig.address;
    ctx.item_vars["prvscheck_keynum"] = std::string(1, sig.keynum);
    Status st = check(ctx, sig, yield);
    ctx.item_vars.erase("prvscheck_address");
    ctx.item_vars.erase("prvscheck_keynum");
    LANG_TRY(st);
    out += yield.empty() ? sig.address : yield;
    return Status::ok();
  }
  std::vector<Template> args;

 private:
  Status check(EvalContext& ctx, const Signed& sig, std::string& yield) const {
    std::string secret;
    LANG_TRY(args[1].eval_to(ctx, secret));
    bool good = util::equal_ct(prvs_hash(sig.address, secret, sig.keynum, sig.day), sig.hash) &&
                not_expired(sig.day);
    ctx.item_vars["prvscheck_result"] = good ? "1" : "";
    if (args.size() > 2) LANG_TRY(args[2].eval_to(ctx, yield));
    return Status::ok();
  }
};

Status parse_prvs(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<PrvsItem>();
  LANG_TRY(p.read_args(name, 2, 3, n->args));
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

// Exim reads the address, then one or two more arguments: hence its "(min is 1)" and
// "(max is 2)" in the messages.
Status parse_prvscheck(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<PrvscheckItem>();
  LANG_TRY(p.read_args(name, 1, 64, n->args));
  if (n->args.size() < 2) return p.error("Not enough arguments for 'prvscheck' (min is 1)");
  if (n->args.size() > 3) return p.error("Too many arguments for 'prvscheck' (max is 2)");
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"prvs", parse_prvs}, {"prvscheck", parse_prvscheck}});

}  // namespace
}  // namespace lang
