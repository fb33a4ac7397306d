#include "util/digest.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <iterator>
#include <memory>

namespace util {
namespace {

const char* algo_name(DigestAlgo a) {
  switch (a) {
    case DigestAlgo::Md5:
      return "MD5";
    case DigestAlgo::Sha1:
      return "SHA1";
    case DigestAlgo::Sha256:
      return "SHA256";
    case DigestAlgo::Sha384:
      return "SHA384";
    case DigestAlgo::Sha512:
      return "SHA512";
    case DigestAlgo::Sha3_224:
      return "SHA3-224";
    case DigestAlgo::Sha3_256:
      return "SHA3-256";
    case DigestAlgo::Sha3_384:
      return "SHA3-384";
    case DigestAlgo::Sha3_512:
      return "SHA3-512";
  }
  return "SHA256";
}

// Fetching an algorithm from the provider costs more than hashing a short string: each is
// fetched once per process, and each thread keeps one context to reuse.
const EVP_MD* fetched_md(DigestAlgo algo) {
  static EVP_MD* const table[] = {
      EVP_MD_fetch(nullptr, algo_name(DigestAlgo::Md5), nullptr),
      EVP_MD_fetch(nullptr, algo_name(DigestAlgo::Sha1), nullptr),
      EVP_MD_fetch(nullptr, algo_name(DigestAlgo::Sha256), nullptr),
      EVP_MD_fetch(nullptr, algo_name(DigestAlgo::Sha384), nullptr),
      EVP_MD_fetch(nullptr, algo_name(DigestAlgo::Sha512), nullptr),
      EVP_MD_fetch(nullptr, algo_name(DigestAlgo::Sha3_224), nullptr),
      EVP_MD_fetch(nullptr, algo_name(DigestAlgo::Sha3_256), nullptr),
      EVP_MD_fetch(nullptr, algo_name(DigestAlgo::Sha3_384), nullptr),
      EVP_MD_fetch(nullptr, algo_name(DigestAlgo::Sha3_512), nullptr),
  };
  auto i = static_cast<size_t>(algo);
  return i < std::size(table) ? table[i] : nullptr;
}

}  // namespace

std::string digest(DigestAlgo algo, std::string_view data) {
  const EVP_MD* md = fetched_md(algo);
  if (!md) return {};
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                           EVP_MD_CTX_free);
  if (!ctx) return {};
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), buf, &len) != 1) {
    return {};
  }
  return std::string(reinterpret_cast<char*>(buf), len);
}

std::string hmac(DigestAlgo algo, std::string_view key, std::string_view data) {
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr),
                                                        EVP_MAC_free);
  if (!mac) return {};
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_new(mac.get()),
                                                                EVP_MAC_CTX_free);
  if (!ctx) return {};
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(algo_name(algo)),
                                       0),
      OSSL_PARAM_construct_end(),
  };
  // An empty key is legal for HMAC; OpenSSL wants a non-null pointer for it.
  static const unsigned char kEmpty = 0;
  const auto* k = key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(ctx.get(), k, key.size(), params) != 1) return {};
  if (EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) !=
      1) {
    return {};
  }
  unsigned char buf[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (EVP_MAC_final(ctx.get(), buf, &len, sizeof buf) != 1) return {};
  return std::string(reinterpret_cast<char*>(buf), len);
}

bool equal_ct(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace util
