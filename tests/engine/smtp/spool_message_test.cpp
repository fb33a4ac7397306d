// Tests for engine/smtp/spool_message: a transaction as spool -H data.
#include <doctest/doctest.h>

#include "engine/smtp/spool_message.h"

using namespace engine::smtp;

TEST_SUITE("engine.smtp.spool_message") {
  TEST_CASE("headers are split and typed as Exim types them") {
    auto hs = split_headers("Subject: a\n\tb\nTo: x@y\nFrom: z@w\n");
    REQUIRE(hs.size() == 3);
    CHECK(hs[0] == "Subject: a\n\tb\n");
    CHECK(spool_header_type(hs[0]) == ' ');
    CHECK(spool_header_type(hs[1]) == 'T');
    CHECK(spool_header_type(hs[2]) == 'F');
    CHECK(spool_header_type("Message-ID: <x@y>\n") == 'I');
    CHECK(spool_header_type("received: from x\n") == 'P');
    CHECK(spool_header_type("Reply-To: a@b\n") == 'R');
  }

  // add_header's :at_start:, :after_received:, :at_start_rfc:, :at_end: (spec 44.24).
  TEST_CASE("added headers go where their prefix says") {
    Transaction t;
    t.recipients.push_back({"u@example.org", "", ""});
    t.data = "Resent-From: r@x\nSubject: s\n\nbody\n";
    t.header_end = 28;
    t.received = "Received: from x\n";
    for (const char* h : {":at_start:X-A: 1", ":after_received:X-B: 2", "X-C: 3",
                          ":at_start_rfc:X-D: 4", ":at_start:X-E: 5", ":at_end:X-F: 6"})
      t.added_headers.push_back(h);
    auto m = build_spool_message(t, "1xVlKL-0007P5-BC");
    std::vector<std::string> order;
    for (const auto& h : m.headers) order.push_back(h.text.substr(0, h.text.find(':')));
    CHECK(order == std::vector<std::string>{"X-A", "X-E", "Received", "X-B", "Resent-From", "X-D",
                                            "Subject", "X-C", "X-F"});
  }

  TEST_CASE("a transaction becomes a spool message") {
    Transaction t;
    t.sender = "a@c.example";
    t.recipients.push_back({"u@example.org", "", ""});
    t.data = "Subject: hi\nX-Drop: me\n\nbody\nline\n";
    t.header_end = 23;
    t.received = "Received: from [192.0.2.1]\n\tby mx; date\n";
    t.added_headers.push_back("X-Added: yes");
    t.removed_headers.push_back("x-drop");
    t.acl_vars["acl_m_flag"] = "1";
    t.origin.client_address = "192.0.2.1";
    t.origin.client_port = 4321;
    t.origin.helo_name = "c.example";
    t.origin.received_protocol = "esmtps";
    t.origin.tls_cipher = "TLS1.3:TLS_AES_256_GCM_SHA384:256";
    t.origin.tls_peerdn = "CN=client";
    t.origin.tls_verified = true;
    auto m = build_spool_message(t, "1xVlKL-0007P5-BC");
    CHECK(m.value("tls_cipher") == "TLS1.3:TLS_AES_256_GCM_SHA384:256");
    CHECK(m.value("tls_peerdn") == "CN=client");
    CHECK(m.flag("tls_certificate_verified"));
    CHECK(m.sender == "a@c.example");
    REQUIRE(m.recipients.size() == 1);
    CHECK(m.recipients[0].address == "u@example.org");
    REQUIRE(m.headers.size() == 3);
    CHECK(m.headers[0].type == 'P');
    CHECK(m.headers[1].text == "Subject: hi\n");
    CHECK(m.headers[2].text == "X-Added: yes\n");
    CHECK(m.value("helo_name") == "c.example");
    CHECK(m.value("host_address") == engine::spool_format_host_address("192.0.2.1", 4321));
    CHECK(m.value("body_linecount") == "2");
    REQUIRE(m.acl_vars.size() == 1);
    CHECK(m.acl_vars[0].kind == 'm');
    CHECK(m.acl_vars[0].name == "_flag");
    CHECK(transaction_body(t) == "body\nline\n");
  }
}
