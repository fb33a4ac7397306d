// lang/conditions/crypteq.cpp — crypteq{<password>}{<encrypted>} (spec 11.7, "Expansion
// conditions"): true when the password hashes to the stored value.
//
// The stored value may start with a scheme in braces, matched case-independently:
//   {md5}, {sha1}   digest as base64 (24 / 28 chars) or hex in either case (32 / 40 chars);
//                   any other length is simply false
//   {crypt}         the C library's crypt() (DES, bigcrypt, $1$, $5$, $6$, yescrypt ...)
//   {crypt16}       Exim's crypt16: crypt() of the first 8 characters, then of the next 8
//                   with the salt taken from the first result
// Without a scheme, crypt() is used. Any other "{..." is the error
//   unknown encryption mechanism in "<encrypted>"
// All comparisons are constant-time (util::equal_ct).
#include <crypt.h>

#include <memory>

#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/base64.h"
#include "util/digest.h"
#include "util/strings.h"

namespace lang {
namespace {

// crypt_r(), or "" when the C library refuses the setting.
std::string crypt_string(const std::string& key, const std::string& setting) {
  auto data = std::make_unique<crypt_data>();
  const char* r = crypt_r(key.c_str(), setting.c_str(), data.get());
  if (r == nullptr || r[0] == '*') return {};  // libxcrypt's failure tokens start with '*'
  return r;
}

std::string crypt16(const std::string& key, const std::string& salt) {
  std::string first = crypt_string(key.substr(0, 8), salt);
  if (key.size() <= 8 || first.size() < 4) return first;
  std::string second = crypt_string(key.substr(8, 8), first.substr(2, 2));
  if (second.size() < 2) return {};
  return first + second.substr(2);
}

// {md5} and {sha1}: compare against base64 or hex according to the stored length.
bool digest_matches(util::DigestAlgo algo, std::string_view pw, std::string_view stored,
                    size_t b64_len, size_t hex_len) {
  std::string d = util::digest(algo, pw);
  if (d.empty()) return false;
  if (stored.size() == b64_len) return util::equal_ct(util::base64_encode(d), stored);
  if (stored.size() == hex_len) return util::equal_ct(util::hex_encode(d), util::to_lower(stored));
  return false;
}

bool crypt_matches(const std::string& got, std::string_view stored) {
  return !got.empty() && util::equal_ct(got, stored);
}

Status crypteq(std::string_view pw_view, std::string_view enc, bool& r) {
  // crypt() wants C strings (an embedded NUL ends the password there, as in Exim).
  auto pw = [&] { return std::string(pw_view); };
  std::string_view s = enc;
  auto scheme = [&](std::string_view name) {
    if (!util::starts_with_ci(s, name)) return false;
    s.remove_prefix(name.size());
    return true;
  };
  if (scheme("{md5}"))
    r = digest_matches(util::DigestAlgo::Md5, pw_view, s, 24, 32);
  else if (scheme("{sha1}"))
    r = digest_matches(util::DigestAlgo::Sha1, pw_view, s, 28, 40);
  else if (scheme("{crypt}"))
    r = crypt_matches(crypt_string(pw(), std::string(s)), s);
  else if (scheme("{crypt16}"))
    r = crypt_matches(crypt16(pw(), std::string(s)), s);
  else if (!s.empty() && s[0] == '{') {
    return Status::error("unknown encryption mechanism in \"" + std::string(enc) + "\"");
  } else {
    r = crypt_matches(crypt_string(pw(), std::string(enc)), s);
  }
  return Status::ok();
}

class CrypteqCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    std::string pw_buf, enc_buf;
    std::string_view pw, enc;
    LANG_TRY(args[0].eval_view(ctx, pw_buf, pw));
    LANG_TRY(args[1].eval_view(ctx, enc_buf, enc));
    return crypteq(pw, enc, r);
  }
  std::vector<Template> args;
};

Status parse_crypteq(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<CrypteqCond>();
  LANG_TRY(parse_cond_args(p, name, 2, c->args));
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({{"crypteq", parse_crypteq}});

}  // namespace
}  // namespace lang
