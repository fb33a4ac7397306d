// lang/items/srs_encode.cpp — ${srs_encode{<secret>}{<return path>}{<original domain>}}
// (spec chapter 58, "SRS"): the SRS0 form of a return path,
//   SRS0=<hash>=<timestamp>=<domain>=<local part>@<original domain>
// <hash> is the first 4 hex digits of HMAC-MD5(secret, lower-cased return path as given);
// <timestamp> is (days since the epoch mod 1024) in base32 (a-z2-7), most significant digit
// first; a local part that was quoted is unquoted and the whole new local part re-quoted.
// An empty return path gives an empty result.
// The address is taken apart by a small RFC 5322 reader (white space, comments, <route-addr>),
// with Exim's messages for what it rejects ("empty address", "domain missing or malformed",
// "missing or malformed local part").
#include <openssl/hmac.h>

#include <cstdio>
#include <ctime>

#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/strings.h"

namespace lang {
namespace {

// Removes (comments), keeping quoted strings intact.
std::string strip_comments(std::string_view s) {
  std::string r;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (quoted || depth > 0)) {
      if (depth == 0) r.append(s.substr(i, 2));
      ++i;
    } else if (quoted) {
      r += c;
      quoted = c != '"';
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (depth == 0) {
      r += c;
      quoted = c == '"';
    }
  }
  return r;
}

// Splits `addr` into local part and domain (domain empty when there is no '@').
Status split_address(std::string_view addr, std::string& local, std::string& domain) {
  std::string s = strip_comments(addr);
  std::string_view v = util::trim(s);
  if (v.empty()) return Status::error("empty address");
  if (size_t lt = v.rfind('<'); lt != std::string_view::npos) {
    size_t gt = v.find('>', lt);
    v = util::trim(v.substr(lt + 1, gt == std::string_view::npos ? gt : gt - lt - 1));
  }
  bool quoted = false;
  size_t at = std::string_view::npos;
  for (size_t i = 0; i < v.size() && at == std::string_view::npos; ++i) {
    if (v[i] == '"') quoted = !quoted;
    if (v[i] == '@' && !quoted) at = i;
  }
  local = std::string(util::trim(v.substr(0, at)));
  if (local.empty()) return Status::error("missing or malformed local part");
  if (at == std::string_view::npos) return Status::ok();
  domain = std::string(util::trim(v.substr(at + 1)));
  if (domain.empty()) return Status::error("domain missing or malformed");
  if (size_t at2 = domain.find('@'); at2 != std::string::npos) {
    return Status::error("malformed address: " + domain.substr(at2) + " may not follow " + local +
                         "@" + domain.substr(0, at2));
  }
  return Status::ok();
}

std::string srs_hash(std::string_view secret, std::string_view return_path) {
  std::string lc = util::to_lower(return_path);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_md5(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(lc.data()), lc.size(), md, &len);
  char hex[8];
  std::snprintf(hex, sizeof hex, "%02x%02x", md[0], md[1]);
  return hex;
}

std::string srs_timestamp() {
  static const char kBase32[] = "abcdefghijklmnopqrstuvwxyz234567";
  unsigned long days = (static_cast<unsigned long>(std::time(nullptr)) / 86400) & 0x3ff;
  std::string r;
  for (; days != 0; days >>= 5) r.insert(r.begin(), kBase32[days & 0x1f]);
  return r;
}

class SrsEncodeNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string secret, path, orig_domain;
    LANG_TRY(args[0].eval(ctx, secret));
    LANG_TRY(args[1].eval(ctx, path));
    LANG_TRY(args[2].eval(ctx, orig_domain));
    if (path.empty()) return Status::ok();
    std::string local, domain;
    LANG_TRY(split_address(path, local, domain));
    bool quoted = local.find('"') != std::string::npos;
    std::erase(local, '"');
    std::string lp =
        "SRS0=" + srs_hash(secret, path) + "=" + srs_timestamp() + "=" + domain + "=" + local;
    out += quoted ? "\"" + lp + "\"" : lp;
    out += '@';
    out += orig_domain;
    return Status::ok();
  }
  std::vector<Template> args;
};

Status parse_srs_encode(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<SrsEncodeNode>();
  LANG_TRY(p.read_args(name, 3, 3, n->args));
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"srs_encode", parse_srs_encode}});

}  // namespace
}  // namespace lang
