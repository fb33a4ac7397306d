// util/tls_client.cpp — OpenSSL client contexts and session descriptions.
#include "util/tls_client.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <tuple>

namespace util {
namespace {

std::string ssl_error() {
  std::string out = tls_error_text();
  return out.empty() ? "unknown error" : out;
}

Result<bool> load_verify(SSL_CTX* ctx, const std::string& where) {
  if (where.empty()) return true;
  if (where == "system") {
    if (SSL_CTX_set_default_verify_paths(ctx) != 1)
      return Error{"cannot load the system CA certificates: " + ssl_error(), {}};
    return true;
  }
  struct stat st {};
  if (stat(where.c_str(), &st) != 0)
    return Error{"tls_verify_certificates: " + where + " not found", {}};
  bool dir = S_ISDIR(st.st_mode);
  if (SSL_CTX_load_verify_locations(ctx, dir ? nullptr : where.c_str(),
                                    dir ? where.c_str() : nullptr) != 1)
    return Error{"tls_verify_certificates: cannot load " + where + ": " + ssl_error(), {}};
  return true;
}

Result<bool> load_crl(SSL_CTX* ctx, const std::string& crl) {
  if (crl.empty()) return true;
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  X509_LOOKUP* lookup = X509_STORE_add_lookup(store, X509_LOOKUP_file());
  if (!lookup || X509_load_crl_file(lookup, crl.c_str(), X509_FILETYPE_PEM) <= 0)
    return Error{"tls_crl: cannot load " + crl + ": " + ssl_error(), {}};
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  return true;
}

}  // namespace

std::string tls_error_text() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out;
}

TlsClientContext::~TlsClientContext() {
  SSL_CTX_free(ctx_);
}

Result<std::shared_ptr<TlsClientContext>> TlsClientContext::create(const TlsClientOptions& o) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) return Error{"SSL_CTX_new failed: " + ssl_error(), {}};
  std::shared_ptr<TlsClientContext> c(new TlsClientContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  if (auto r = load_verify(ctx, o.verify_certificates); !r) return r.error();
  if (auto r = load_crl(ctx, o.crl); !r) return r.error();
  if (!o.ciphers.empty() && SSL_CTX_set_cipher_list(ctx, o.ciphers.c_str()) != 1)
    return Error{"tls_require_ciphers: " + o.ciphers + ": " + ssl_error(), {}};
  if (!o.certificate.empty()) {
    const std::string& key = o.privatekey.empty() ? o.certificate : o.privatekey;
    if (SSL_CTX_use_certificate_chain_file(ctx, o.certificate.c_str()) != 1)
      return Error{"tls_certificate: cannot load " + o.certificate + ": " + ssl_error(), {}};
    if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1)
      return Error{"tls_privatekey: cannot load " + key + ": " + ssl_error(), {}};
  }
  return c;
}

void tls_expect_host(SSL* ssl, const std::string& host) {
  X509_VERIFY_PARAM* p = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(p, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  X509_VERIFY_PARAM_set1_host(p, host.c_str(), host.size());
}

TlsSessionInfo tls_session_info(SSL* ssl) {
  TlsSessionInfo i;
  const SSL_CIPHER* c = SSL_get_current_cipher(ssl);
  i.version = SSL_get_version(ssl);
  int bits = c ? SSL_CIPHER_get_bits(c, nullptr) : 0;
  i.bits = bits;
  std::string version = i.version;
  if (version.rfind("TLSv", 0) == 0) version = "TLS" + version.substr(4);
  i.cipher = version + ":" + (c ? SSL_CIPHER_get_name(c) : "") + ":" + std::to_string(bits);
  if (X509* cert = SSL_get1_peer_certificate(ssl)) {
    char buf[1024];
    X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
    i.peerdn = buf;
    X509_free(cert);
    long v = SSL_get_verify_result(ssl);
    i.verified = v == X509_V_OK;
    if (!i.verified) i.verify_error = X509_verify_cert_error_string(v);
  } else {
    i.verify_error = "no certificate";
  }
  return i;
}

}  // namespace util
