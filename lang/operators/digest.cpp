// lang/operators/digest.cpp — ${md5:..}, ${sha1:..}, ${sha256:..}, ${sha2[_N]:..},
// ${sha3[_N]:..} (spec 11.6, "Expansion operators").
//
// md5 prints lower-case hex, the SHA family upper-case hex (as Exim does). sha2 accepts
// _256, _384, _512 and sha3 _224, _256, _384, _512; any other suffix is the error
// "unrecognised sha2 variant" / "unrecognised sha3 variant". Like Exim, md5 and sha1 ignore
// a suffix.
#include "util/digest.h"
#include "lang/registry.h"
#include "util/base64.h"

namespace lang {
namespace {

using util::DigestAlgo;

Status put_digest(DigestAlgo algo, std::string_view arg, bool upper, std::string& out) {
  std::string d = util::digest(algo, arg);
  if (d.empty()) return Status::error("digest computation failed (OpenSSL)");
  out += util::hex_encode(d, upper);
  return Status::ok();
}

Status op_md5(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  return put_digest(DigestAlgo::Md5, a, false, out);
}

Status op_sha1(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  return put_digest(DigestAlgo::Sha1, a, true, out);
}

// ${sha256:} and ${sha2:} take no suffix; ${sha2_N:} selects the length.
Status op_sha2(EvalContext&, std::string_view a, const OpSuffix& suf, std::string& out) {
  DigestAlgo algo = DigestAlgo::Sha256;
  if (suf.present) {
    if (suf.text == "256")
      algo = DigestAlgo::Sha256;
    else if (suf.text == "384")
      algo = DigestAlgo::Sha384;
    else if (suf.text == "512")
      algo = DigestAlgo::Sha512;
    else
      return Status::error("unrecognised sha2 variant");
  }
  return put_digest(algo, a, true, out);
}

Status op_sha256(EvalContext& ctx, std::string_view a, const OpSuffix& suf, std::string& out) {
  if (suf.present) return Status::error("unrecognised sha2 variant");
  return op_sha2(ctx, a, suf, out);
}

Status op_sha3(EvalContext&, std::string_view a, const OpSuffix& suf, std::string& out) {
  DigestAlgo algo = DigestAlgo::Sha3_256;
  if (suf.present) {
    if (suf.text == "224")
      algo = DigestAlgo::Sha3_224;
    else if (suf.text == "256")
      algo = DigestAlgo::Sha3_256;
    else if (suf.text == "384")
      algo = DigestAlgo::Sha3_384;
    else if (suf.text == "512")
      algo = DigestAlgo::Sha3_512;
    else
      return Status::error("unrecognised sha3 variant");
  }
  return put_digest(algo, a, true, out);
}

const OperatorRegistrar reg({
    {"md5", op_md5, SuffixKind::Text},
    {"sha1", op_sha1, SuffixKind::Text},
    {"sha2", op_sha2, SuffixKind::Text},
    {"sha256", op_sha256, SuffixKind::Text},
    {"sha3", op_sha3, SuffixKind::Text},
});

}  // namespace
}  // namespace lang
