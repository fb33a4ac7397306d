#include "engine/daemon/tls.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <sys/stat.h>

#include <algorithm>

#include "engine/variables.h"
#include "lang/expand.h"

namespace engine::daemon {
namespace {

// Expands a main option (tls_certificate may use $tls_in_sni etc.; here without a session).
std::string expanded(const config::Config& cfg, std::string_view name) {
  std::string raw = main_option(&cfg, name, "");
  if (raw.empty()) return raw;
  Variables vars(&cfg);
  lang::EvalContext ctx;
  ctx.vars = &vars;
  std::string out;
  if (!lang::expand_string(raw, ctx, out).is_ok()) return raw;
  return out;
}

// tls_verify_certificates, for the hosts of tls_verify_hosts and tls_try_verify_hosts: the
// system's trust anchors plus a file or directory. A file's certificates are also sent to
// clients as the acceptable issuers (spec 14, tls_verify_certificates).
util::Result<bool> load_client_cas(SSL_CTX* ctx, const config::Config& cfg) {
  if (main_option(&cfg, "tls_verify_hosts").empty() &&
      main_option(&cfg, "tls_try_verify_hosts").empty()) {
    return false;
  }
  std::string cas = expanded(cfg, "tls_verify_certificates");
  if (cas.empty()) {
    return util::Error{
        "tls_verify_hosts or tls_try_verify_hosts is set but tls_verify_certificates is not", {}};
  }
  SSL_CTX_set_default_verify_paths(ctx);
  if (cas == "system") return true;
  struct stat st {};
  bool dir = stat(cas.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  if (SSL_CTX_load_verify_locations(ctx, dir ? nullptr : cas.c_str(),
                                    dir ? cas.c_str() : nullptr) != 1) {
    return util::Error{"TLS error on tls_verify_certificates " + cas + ": " + tls_error_text(), {}};
  }
  if (!dir) {
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(cas.c_str())) {
      SSL_CTX_set_client_CA_list(ctx, names);
    }
  }
  return true;
}

}  // namespace

std::string tls_error_text() {
  std::string s;
  unsigned long e;
  char buf[256];
  while ((e = ERR_get_error()) != 0) {
    ERR_error_string_n(e, buf, sizeof buf);
    if (!s.empty()) s += "; ";
    s += buf;
  }
  return s.empty() ? "unknown TLS error" : s;
}

TlsServer::~TlsServer() {
  SSL_CTX_free(ctx_);
}

util::Result<std::unique_ptr<TlsServer>> TlsServer::create(const config::Config& cfg) {
  std::string cert = expanded(cfg, "tls_certificate");
  if (cert.empty()) return std::unique_ptr<TlsServer>();
  std::string key = expanded(cfg, "tls_privatekey");
  if (key.empty()) key = cert;
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) return util::Error{"TLS: " + tls_error_text(), {}};
  std::unique_ptr<TlsServer> server(new TlsServer(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                            SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1) {
    return util::Error{"TLS error on tls_certificate " + cert + ": " + tls_error_text(), {}};
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    return util::Error{"TLS error on tls_privatekey " + key + ": " + tls_error_text(), {}};
  }
  std::string ciphers = expanded(cfg, "tls_require_ciphers");
  if (!ciphers.empty() && SSL_CTX_set_cipher_list(ctx, ciphers.c_str()) != 1) {
    return util::Error{"TLS error on tls_require_ciphers \"" + ciphers + "\": " + tls_error_text(),
                       {}};
  }
  if (auto st = load_client_cas(ctx, cfg); !st) return st.error();
  return server;
}

SSL* TlsServer::new_ssl(int fd, smtp::TlsVerify verify) const {
  SSL* ssl = SSL_new(ctx_);
  if (!ssl) return nullptr;
  SSL_set_fd(ssl, fd);
  if (verify == smtp::TlsVerify::Require) {
    SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  } else if (verify == smtp::TlsVerify::Try) {
    // Any certificate (or none) lets the handshake finish; tls_info() tells whether it
    // verified.
    SSL_set_verify(ssl, SSL_VERIFY_PEER, [](int, X509_STORE_CTX*) { return 1; });
  }
  return ssl;
}

std::string tls_cipher_text(SSL* ssl) {
  const SSL_CIPHER* c = SSL_get_current_cipher(ssl);
  if (!c) return "";
  std::string v = SSL_get_version(ssl);
  for (char& ch : v)
    if (ch == 'v') ch = '\0';
  v.erase(std::remove(v.begin(), v.end(), '\0'), v.end());  // "TLSv1.3" -> "TLS1.3"
  return v + ":" + SSL_CIPHER_get_name(c) + ":" + std::to_string(SSL_CIPHER_get_bits(c, nullptr));
}

std::string tls_peer_dn(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return "";
  char buf[512];
  X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
  X509_free(cert);
  return buf;
}

smtp::TlsInfo tls_info(SSL* ssl) {
  smtp::TlsInfo t;
  t.cipher = tls_cipher_text(ssl);
  t.version = t.cipher.substr(0, t.cipher.find(':'));
  if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) {
    const char* std_name = SSL_CIPHER_standard_name(c);
    t.cipher_std = std_name ? std_name : "";
    t.bits = SSL_CIPHER_get_bits(c, nullptr);
  }
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (!cert) return t;
  t.peerdn = tls_peer_dn(ssl);
  t.verified = SSL_get_verify_result(ssl) == X509_V_OK;
  return t;
}

}  // namespace engine::daemon
