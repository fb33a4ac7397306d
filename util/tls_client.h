// util/tls_client.h — the client side of TLS with OpenSSL 3: a context built from a CA list
// ("system", a file or a directory), an optional client certificate and key, a cipher list and
// a CRL; and a description of a finished handshake in the form Exim's $tls_out_* variables
// take ("TLS1.3:TLS_AES_256_GCM_SHA384:256", the peer's subject, whether it verified).
//
// Verification never stops the handshake: the caller decides afterwards from
// TlsSessionInfo::verified whether the session may be used (tls_verify_hosts) or is only
// noted (tls_try_verify_hosts). expect_host() adds the name check to the verification.
//
// Failure: create() returns an error naming the file and OpenSSL's reason. Never throws.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <tuple>

#include "util/result.h"

namespace util {

struct TlsClientOptions {
  std::string verify_certificates = "system";  // "system", a file, a directory, or ""
  std::string certificate, privatekey;
  std::string ciphers;
  std::string crl;
  bool operator<(const TlsClientOptions& o) const {
    return std::tie(verify_certificates, certificate, privatekey, ciphers, crl) <
           std::tie(o.verify_certificates, o.certificate, o.privatekey, o.ciphers, o.crl);
  }
};

class TlsClientContext {
 public:
  ~TlsClientContext();
  TlsClientContext(const TlsClientContext&) = delete;
  TlsClientContext& operator=(const TlsClientContext&) = delete;
  static Result<std::shared_ptr<TlsClientContext>> create(const TlsClientOptions& opts);
  SSL_CTX* get() const { return ctx_; }

 private:
  explicit TlsClientContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

struct TlsSessionInfo {
  std::string cipher;   // "TLS1.3:TLS_AES_256_GCM_SHA384:256"
  std::string version;  // "TLSv1.3"
  std::string peerdn;   // the server certificate's subject, one line
  int bits = 0;
  bool verified = false;
  std::string verify_error;  // why not, when not verified
};

// OpenSSL's error queue as one line ("" when empty), emptying it.
std::string tls_error_text();

// Call before the handshake: the certificate must also match `host` (a DNS name).
void tls_expect_host(SSL* ssl, const std::string& host);
TlsSessionInfo tls_session_info(SSL* ssl);

}  // namespace util
