#include "engine/print_options.h"

#include <doctest/doctest.h>

#include <cstdio>

namespace {

// Runs -bP with `args` over `text` and returns {exit status, output}.
std::pair<int, std::string> bp(std::string_view text, std::vector<std::string> args,
                               engine::PrintSettings how = {true, false}) {
  auto cfg = engine::config::read_string(text, "t.conf");
  REQUIRE(cfg);
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* out = open_memstream(&buf, &len);
  int rc = engine::print_config_options(*cfg, args, how, out);
  std::fclose(out);
  std::string s(buf, len);
  std::free(buf);
  return {rc, s};
}

const char* kConf =
    "FOO = bar\n"
    "domainlist local_domains = a.b : c.d\n"
    "hide hostlist relay = 127.0.0.1\n"
    "queue_only\n"
    "auto_thaw = 90m\n"
    "smtp_accept_max = 0x1F\n"
    "check_spool_space = 2048K\n"
    "hide primary_hostname = secret.example\n"
    "begin routers\n"
    "r1:\n"
    "  driver = accept\n"
    "  no_verify\n"
    "  transport = t1\n"
    "begin transports\n"
    "t1:\n"
    "  driver = appendfile\n"
    "  file = /tmp/x\n";

}  // namespace

TEST_SUITE("engine.print_options") {
  TEST_CASE("main options in Exim's format") {
    struct {
      const char* arg;
      const char* want;
    } cases[] = {
        {"queue_only", "queue_only\n"},
        {"split_spool_directory", "no_split_spool_directory\n"},
        {"auto_thaw", "auto_thaw = 1h30m\n"},
        {"smtp_accept_max", "smtp_accept_max = 31\n"},
        {"check_spool_space", "check_spool_space = 2M\n"},
        {"bounce_return_size_limit", "bounce_return_size_limit = 100K\n"},
        {"retry_data_expire", "retry_data_expire = 1w\n"},
        {"acl_smtp_rcpt", "acl_smtp_rcpt = \n"},
        {"trusted_users", "trusted_users =\n"},
        {"smtp_load_reserve", "smtp_load_reserve =\n"},
        {"primary_hostname", "primary_hostname = secret.example\n"},
        {"config_file", "t.conf\n"},
        {"+local_domains", "domainlist local_domains = a.b : c.d\n"},
        {"router_list", "r1\n"},
        // Not Exim's default: facteur does not claim to be Exim.
        {"smtp_banner",
         "smtp_banner = $smtp_active_hostname ESMTP facteur $version_number $tod_full\n"},
    };
    for (auto& c : cases) {
      CHECK_MESSAGE(bp(kConf, {c.arg}).second == c.want, c.arg);
    }
    auto all = bp(kConf, {});
    CHECK(all.first == 0);
    CHECK(all.second.find("accept_8bitmime\nacl_not_smtp = \n") == 0);
  }
  TEST_CASE("hidden values, -n, macros, drivers") {
    CHECK(bp(kConf, {"primary_hostname"}, {false, false}).second ==
          "primary_hostname = <value not displayable>\n");
    CHECK(bp(kConf, {"+relay"}, {false, false}).second ==
          "hostlist relay = <value not displayable>\n");
    CHECK(bp(kConf, {"auto_thaw", "+relay"}, {true, true}).second == "1h30m\n127.0.0.1\n");
    CHECK(bp(kConf, {"macro", "FOO"}).second == "FOO=bar\n");
    CHECK(bp(kConf, {"macro", "NOPE"}) == std::pair<int, std::string>{1, "macro NOPE not found\n"});
    CHECK(bp(kConf, {"macros"}).second.find("_HAVE_TLS=y\n") != std::string::npos);
    // Every option of a router, with defaults; "verify" shows as its two halves.
    std::string r1 = bp(kConf, {"router", "r1"}).second;
    for (const char* line : {"address_test\n", "driver = accept\n", "transport = t1\n",
                             "no_verify_recipient\n", "no_verify_sender\n", "log_as_local\n",
                             "self = freeze\n", "dnssec_request_domains = *\n"})
      CHECK_MESSAGE(r1.find(line) != std::string::npos, line);
    CHECK(r1.find("\nno_verify\n") == std::string::npos);
    CHECK(r1.rfind("address_data = \n", 0) == 0);
    // A transport: the generic options, then its own.
    std::string t1 = bp(kConf, {"transports"}).second;
    CHECK(t1.rfind("\nt1 transport:\nno_body_only\n", 0) == 0);
    CHECK(t1.find("driver = appendfile\n") != std::string::npos);
    CHECK(t1.find("\nfile = /tmp/x\n") != std::string::npos);
    CHECK(bp(kConf, {"router", "nosuch"}).first == 1);
  }
  TEST_CASE("unknown names") {
    CHECK(bp(kConf, {"nosuch"}) ==
          std::pair<int, std::string>{1, "nosuch is not a known option\n"});
    CHECK(bp(kConf, {"domainlist"}).second == "domainlist is not a known option\n");
    CHECK(bp(kConf, {"+nope"}).second ==
          "no address, domain, host, or local part list called \"nope\" exists\n");
    CHECK(bp(kConf, {"nosuch", "queue_only"}).first == 0);  // the last item decides
  }
}
