// fuzz/auth_fuzz.cpp — libFuzzer target for SMTP AUTH: client data through base64 decoding
// and NUL splitting, and whole AUTH dialogues (PLAIN, LOGIN, CRAM-MD5, cancellation,
// unadvertised mechanisms) in a session with the real authenticators. The first byte picks
// the decoder alone (even) or a session (odd); T-AUTH-1/2/3.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "authenticators/common.h"
#include "engine/smtp/auth_services.h"
#include "engine/smtp/session.h"
#include "fuzz/session_setup.h"

namespace {

constexpr const char* kConfig = R"(
primary_hostname = mx.example.org
acl_smtp_rcpt = rcpt
begin acl
rcpt:
  accept authenticated = *
  deny   message = relay not permitted
begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${if and{{eq{$auth2}{alice}}{crypteq{$auth3}{\{md5\}5f4dcc3b5aa765d61d8327deb882cf99}}}}
  server_set_id = $auth2
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = ${if eq{$auth1:$auth2}{alice:password}}
  server_set_id = $auth1
cram:
  driver = cram_md5
  public_name = CRAM-MD5
  server_secret = ${if eq{$auth1}{alice}{password}fail}
  server_set_id = $auth1
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fuzz::SessionSetup setup(kConfig);
  if (size < 1 || size > 64 * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0) {
    std::string clear;
    if (authenticators::decode_client_data(in, clear)) {
      std::vector<std::string> items;
      authenticators::split_at_nuls(clear, data[0] & 2, items);
    }
    return 0;
  }
  engine::smtp::SessionSettings st;
  st.client_address = "192.0.2.1";
  st.host_checking = true;  // no pacing delay
  engine::smtp::AuthenticatingServices services(*setup.cfg);
  engine::smtp::Session s(*setup.cfg, *setup.acls, services, st);
  s.start();
  s.feed((data[0] & 2) ? "EHLO fuzz.example\r\n" : "HELO fuzz.example\r\n");
  s.feed(in);
  (void)s.take_output();
  s.end_of_input();
  (void)s.take_output();
  return 0;
}
