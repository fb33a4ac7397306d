// The transport registry: every driver is there, its option table reaches the configuration
// reader, and the transports of Debian's default configuration (conf.d/transport/30_*) build.
#include <doctest/doctest.h>

#include "engine/config/drivers.h"
#include "tests/transports/fixture.h"
#include "transports/generic.h"

using namespace transport_test;

namespace {

// The transports section of Debian's exim4-config, with its default macros resolved.
constexpr const char* kDebianTransports = R"(
begin transports
address_file:
  debug_print = "T: address_file for $local_part@$domain"
  driver = appendfile
  delivery_date_add
  envelope_to_add
  return_path_add
address_pipe:
  debug_print = "T: address_pipe for $local_part@$domain"
  driver = pipe
  return_fail_output
address_reply:
  debug_print = "T: autoreply for $local_part@$domain"
  driver = autoreply
mail_spool:
  debug_print = "T: appendfile for $local_part@$domain"
  driver = appendfile
  file = /var/mail/$local_part_data
  delivery_date_add
  envelope_to_add
  return_path_add
  group = mail
  mode = 0660
  mode_fail_narrower = false
maildir_home:
  debug_print = "T: maildir_home for $local_part@$domain"
  driver = appendfile
  directory = $home/Maildir
  delivery_date_add
  envelope_to_add
  return_path_add
  maildir_format
  directory_mode = 0700
  mode = 0600
  mode_fail_narrower = false
maildrop_pipe:
  debug_print = "T: maildrop_pipe for $local_part@$domain"
  driver = pipe
  path = "/bin:/usr/bin:/usr/local/bin"
  command = "/usr/bin/maildrop"
  message_prefix =
  message_suffix =
  return_path_add
  delivery_date_add
  envelope_to_add
procmail_pipe:
  debug_print = "T: procmail_pipe for $local_part@$domain"
  driver = pipe
  path = "/bin:/usr/bin:/usr/local/bin"
  command = "/usr/bin/procmail"
  return_path_add
  delivery_date_add
  envelope_to_add
remote_smtp:
  debug_print = "T: remote_smtp for $local_part@$domain"
  driver = smtp
  hosts_avoid_tls = 192.0.2.1
  helo_data = ${lookup dnsdb {ptr=$sending_ip_address}{$value}{$primary_hostname}}
  headers_remove = X-Spam-Flag
  message_linelength_limit = 1G
  dkim_domain = example.net
remote_smtp_smarthost:
  debug_print = "T: remote_smtp_smarthost for $local_part@$domain"
  driver = smtp
  multi_domain
  hosts_try_auth = <; ${if exists{/etc/exim4/passwd.client} \
        {\
        ${lookup{$host}nwildlsearch{/etc/exim4/passwd.client}{$host_address}}\
        }\
        {} \
      }
  hosts_require_tls = smarthost.example
  tls_verify_certificates = system
  tls_verify_hosts = *
address_directory:
  debug_print = "T: address_directory for $local_part@$domain"
  driver = appendfile
  delivery_date_add
  envelope_to_add
  return_path_add
  check_string = ""
  escape_string = ""
  maildir_format
)";

}  // namespace

TEST_SUITE("transports.registry") {
  TEST_CASE("every transport driver is registered, with its options") {
    CHECK(transports::transport_driver_names() ==
          std::vector<std::string_view>{"appendfile", "autoreply", "lmtp", "pipe", "smtp"});
    for (std::string_view name : transports::transport_driver_names()) {
      const auto* info = engine::config::find_driver(engine::config::DriverKind::Transport, name);
      REQUIRE_MESSAGE(info != nullptr, name);
      CHECK_FALSE(info->options.empty());
    }
  }

  TEST_CASE("Debian's default transports build") {
    auto c = engine::config::read_string(kDebianTransports, "debian.conf");
    if (!c) FAIL(engine::config::format_error(c.error()));
    auto all = transports::transports_create(*c);
    if (!all) FAIL(all.error().message);
    CHECK(all->size() == 10);
    CHECK(all->at("remote_smtp")->driver() == "smtp");
    CHECK_FALSE(all->at("remote_smtp")->is_local());
    CHECK(all->at("maildir_home")->is_local());
    CHECK(all->at("address_file")->generic().envelope_to_add);
    CHECK_FALSE(all->at("address_reply")->generic().envelope_to_add);
  }

  TEST_CASE("every bad instance is reported, each with its location") {
    auto c = engine::config::read_string(
        "begin transports\n"
        "a:\n  driver = appendfile\n  file = /x\n  directory = /y\n"
        "b:\n  driver = pipe\n  command = /bin/x 'open\n"
        "c:\n  driver = lmtp\n",
        "bad.conf");
    REQUIRE(c.ok());
    auto all = transports::transports_create(*c);
    REQUIRE_FALSE(all.ok());
    CHECK(all.error().message ==
          "bad.conf:2: transport a: only one of \"file\" or \"directory\" can be specified\n"
          "bad.conf:6: transport b: missing quote in command line: /bin/x 'open\n"
          "bad.conf:9: transport c: exactly one of \"command\" or \"socket\" must be set for the "
          "lmtp transport");
  }
}
