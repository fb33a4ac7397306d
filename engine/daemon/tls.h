// engine/daemon/tls.h — the server side of TLS with OpenSSL 3 (spec chapter 42, "Encrypted
// SMTP connections using TLS/SSL"): one SSL_CTX built from tls_certificate, tls_privatekey,
// tls_require_ciphers, tls_verify_certificates and the verify host lists, and helpers that
// describe a finished handshake the way Exim's variables do ($tls_in_cipher, $tls_in_peerdn).
//
// Failure: create() returns an error naming the option and OpenSSL's reason (a missing
// certificate file, a key that does not match). Never throws.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "engine/config/config.h"
#include "util/result.h"

namespace engine::daemon {

class TlsServer {
 public:
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  // Null (and no error) when no tls_certificate is configured: TLS is then unavailable.
  static util::Result<std::unique_ptr<TlsServer>> create(const config::Config& cfg);
  // A new server-side SSL for a connected socket (non-blocking use).
  SSL* new_ssl(int fd) const;

 private:
  explicit TlsServer(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

// "TLS1.3:TLS_AES_256_GCM_SHA384:256", as Exim's $tls_in_cipher.
std::string tls_cipher_text(SSL* ssl);
// The client certificate's subject (one line, RFC 2253 order), or "".
std::string tls_peer_dn(SSL* ssl);
// The error queue as one line (for logs).
std::string tls_error_text();

}  // namespace engine::daemon
