// lang/items/hmac.cpp — ${hmac{md5|sha1}{secret}{string}} (spec 11.5, "Expansion items"):
// the RFC 2104 HMAC of the string under the secret, in lower-case hex. The algorithm name is
// matched exactly (Exim knows only "md5" and "sha1" here); any other is the error
// hmac algorithm "NAME" is not recognised.
#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/base64.h"
#include "util/digest.h"

namespace lang {
namespace {

class HmacItem : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string algo, key, data;
    LANG_TRY(args[0].eval_to(ctx, algo));
    LANG_TRY(args[1].eval_to(ctx, key));
    LANG_TRY(args[2].eval_to(ctx, data));
    util::DigestAlgo a;
    if (algo == "md5")
      a = util::DigestAlgo::Md5;
    else if (algo == "sha1")
      a = util::DigestAlgo::Sha1;
    else
      return Status::error("hmac algorithm \"" + algo + "\" is not recognised");
    std::string mac = util::hmac(a, key, data);
    if (mac.empty()) return Status::error("hmac computation failed (OpenSSL)");
    out += util::hex_encode(mac);
    return Status::ok();
  }
  std::vector<Template> args;
};

Status parse_hmac(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<HmacItem>();
  LANG_TRY(p.read_args(name, 3, 3, n->args));
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"hmac", parse_hmac}});

}  // namespace
}  // namespace lang
