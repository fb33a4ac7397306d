#include "engine/spool_vars.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

TEST_SUITE("spool_vars") {
  TEST_CASE("envelope, headers and body of a spooled message") {
    char tmpl[] = "/tmp/facteur-sv-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    std::string data = std::string(tmpl) + "/X-D";
    std::ofstream(data) << "1xYiks-0002wi-1F-D\nline one\nline two\n";
    engine::SpoolMessage m;
    m.id = "1xYiks-0002wi-1F";
    m.sender = "alice@example.org";
    m.received_time = 1000;
    m.set_var("received_protocol", "esmtpa");
    m.set_var("host_address", "[192.0.2.7]:4321");
    m.set_var("helo_name", "client.example");
    m.set_var("auth_id", "alice");
    m.set_var("tls_cipher", "TLS1.3:TLS_AES_256_GCM_SHA384:256");
    m.recipients.resize(2);
    m.headers = {
        {' ', "Subject: hello\n"}, {'*', "Bcc: x\n"}, {' ', "X-Two: a\n"}, {' ', "X-Two:  b\n"}};
    m.acl_vars.push_back({'m', "_tag", "blue", false});
    engine::SpoolVariables v(nullptr, &m, data, 18, 1060);
    auto get = [&](std::string_view n) {
      std::string out;
      return v.get(n, out) ? out : std::string("<unset>");
    };
    CHECK(get("message_exim_id") == m.id);
    CHECK(get("sender_address_domain") == "example.org");
    CHECK(get("sender_host_address") == "192.0.2.7");
    CHECK(get("sender_host_port") == "4321");
    CHECK(get("sender_helo_name") == "client.example");
    CHECK(get("authenticated_id") == "alice");
    CHECK(get("received_protocol") == "esmtpa");
    CHECK(get("tls_in_cipher") == "TLS1.3:TLS_AES_256_GCM_SHA384:256");
    CHECK(get("tls_in_certificate_verified") == "0");
    CHECK(get("message_age") == "60");
    CHECK(get("recipients_count") == "2");
    CHECK(get("message_body") == "line one line two ");
    CHECK(get("acl_m_tag") == "blue");
    CHECK(get("nosuch") == "<unset>");
    std::string h;
    CHECK(v.header("h", "subject", h));
    CHECK(h == "hello");
    CHECK_FALSE(v.header("h", "bcc", h));
    CHECK(v.header("h", "x-two", h));
    CHECK(h == "a\nb");
    std::filesystem::remove_all(tmpl);
  }
}
