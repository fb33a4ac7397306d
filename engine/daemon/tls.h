// engine/daemon/tls.h — the server side of TLS with OpenSSL 3 (spec chapter 42, "Encrypted
// SMTP connections using TLS/SSL"): one SSL_CTX built from tls_certificate, tls_privatekey,
// tls_require_ciphers and tls_verify_certificates, a new SSL per connection with the client
// certificate policy of that client (tls_verify_hosts: a valid certificate is required and
// the handshake fails without one; tls_try_verify_hosts: one is asked for and checked, the
// session goes on either way), and what a finished handshake tells the session
// ($tls_in_cipher, $tls_in_peerdn, $tls_in_certificate_verified).
//
// Failure: create() returns an error naming the option and OpenSSL's reason (a missing
// certificate file, a key that does not match, verify host lists without
// tls_verify_certificates). Never throws.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "engine/config/config.h"
#include "engine/smtp/session.h"
#include "util/result.h"

namespace engine::daemon {

class TlsServer {
 public:
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  // Null (and no error) when no tls_certificate is configured: TLS is then unavailable.
  static util::Result<std::unique_ptr<TlsServer>> create(const config::Config& cfg);
  // A new server-side SSL for a connected socket (non-blocking use), asking the client for a
  // certificate as `verify` says.
  SSL* new_ssl(int fd, smtp::TlsVerify verify) const;

 private:
  explicit TlsServer(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

// "TLS1.3:TLS_AES_256_GCM_SHA384:256", as Exim's $tls_in_cipher.
std::string tls_cipher_text(SSL* ssl);
// The client certificate's subject as OpenSSL's one-line form ("/CN=client.example"), as
// Exim's $tls_in_peerdn with OpenSSL, or "".
std::string tls_peer_dn(SSL* ssl);
// Everything the session learns from a finished handshake.
smtp::TlsInfo tls_info(SSL* ssl);
// The error queue as one line (for logs).
std::string tls_error_text();

}  // namespace engine::daemon
