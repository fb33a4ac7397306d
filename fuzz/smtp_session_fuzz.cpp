// fuzz/smtp_session_fuzz.cpp — libFuzzer target for a whole SMTP session: arbitrary bytes
// are fed (in pieces whose sizes come from the input) to a session with a small fixed
// configuration; the first byte picks network (CRLF) or stdin (LF) line handling.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/smtp/session.h"
#include "fuzz/session_setup.h"

namespace {

constexpr const char* kConfig = R"(
primary_hostname = mx.example.org
domainlist local_domains = example.org
message_size_limit = 64k
recipients_max = 20
acl_smtp_rcpt = rcpt
begin acl
rcpt:
  accept domains = +local_domains
  deny   message = relay not permitted
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fuzz::SessionSetup setup(kConfig);
  if (size < 1 || size > 256 * 1024) return 0;
  engine::smtp::SessionSettings st;
  st.client_address = "192.0.2.1";
  st.lf_line_endings = data[0] & 1;
  st.tls_can_start = data[0] & 2;
  engine::smtp::SessionServices services;
  engine::smtp::Session s(*setup.cfg, *setup.acls, services, st);
  s.start();
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t piece = 1 + (data[0] >> 2);
  while (!in.empty() && !s.finished()) {
    size_t n = std::min(piece, in.size());
    s.feed(in.substr(0, n));
    in.remove_prefix(n);
    (void)s.take_output();
    if (s.tls_pending()) s.tls_started({"TLS1.3:X:256", "", false});
  }
  s.end_of_input();
  (void)s.take_output();
  return 0;
}
