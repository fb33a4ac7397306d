// The message writer: header edits, line-start escaping and CRLF at every chunk boundary,
// prefix/suffix, headers_only/body_only, streaming from a real -D file.
#include "transports/message_writer.h"

#include <doctest/doctest.h>

#include "engine/spool.h"
#include "tests/transports/fixture.h"
#include "transports/header_addresses.h"

using namespace transport_test;
using transports::LineTransformer;
using transports::WriteOptions;

namespace {

std::string transform(const WriteOptions& o, const std::vector<std::string_view>& chunks) {
  std::string out;
  transports::Sink sink = [&](std::string_view s) {
    out.append(s);
    return true;
  };
  LineTransformer t(o, sink);
  for (auto c : chunks) REQUIRE(t.write(c));
  REQUIRE(t.finish());
  return out;
}

}  // namespace

TEST_SUITE("transports.message_writer") {
  TEST_CASE("escaping and line ends do not depend on where the chunks break") {
    struct Case {
      std::string check, escape;
      bool crlf;
      std::string in, want;
    } cases[] = {
        {"From ", ">From ", false, "From a\nFrom\nxFrom b\nFrom c",
         ">From a\nFrom\nxFrom b\n>From c"},
        {".", "..", true, ".a\n..b\nc.\n.\n", "..a\r\n...b\r\nc.\r\n..\r\n"},
        {"", "", true, "a\nb\n\n", "a\r\nb\r\n\r\n"},
        {"\1\1\1\1\n", "\1\1\1\1 \n", false, "\1\1\1\1\nx\n\1\1\1\1\n",
         "\1\1\1\1 \nx\n\1\1\1\1 \n"},
        {"From ", ">From ", false, "Fro", "Fro"},
    };
    for (const Case& c : cases) {
      WriteOptions o;
      o.check = c.check;
      o.escape = c.escape;
      o.crlf = c.crlf;
      CHECK(transform(o, {c.in}) == c.want);
      for (size_t cut = 0; cut <= c.in.size(); ++cut) {
        std::string_view in(c.in);
        CHECK_MESSAGE(transform(o, {in.substr(0, cut), in.substr(cut)}) == c.want, "cut ", cut);
      }
      std::vector<std::string_view> bytes;  // one byte at a time
      for (size_t i = 0; i < c.in.size(); ++i) bytes.push_back(std::string_view(c.in).substr(i, 1));
      CHECK(transform(o, bytes) == c.want);
    }
  }

  TEST_CASE("header edits: added, removed, Return-path, Envelope-to, Delivery-date") {
    transports::HeaderEdits e;
    e.remove = {"to", "X-Spam-*"};
    e.add = {"X-One: 1", "X-Two: 2\n"};
    e.add_return_path = e.add_envelope_to = e.add_delivery_date = true;
    e.return_path = "r@example.org";
    e.envelope_to = {"a@x.example", "b@x.example"};
    e.delivery_date = "Tue, 24 Nov 2026 07:06:53 +0000";
    auto env = test_envelope();
    env.headers.push_back({' ', "X-Spam-Score: 5\n"});
    std::string h = transports::build_headers(env, e);
    CHECK(h.rfind("Return-path: <r@example.org>\nEnvelope-to: a@x.example,\n b@x.example\n"
                  "Delivery-date: Tue, 24 Nov 2026 07:06:53 +0000\nReceived: ",
                  0) == 0);
    CHECK(h.ends_with("From: Alice <alice@example.org>\nSubject: greetings\nX-One: 1\nX-Two: 2\n"));
    CHECK(h.find("To:") == std::string::npos);
    e.rewrite = [](const std::string& line) {
      return line.rfind("From:", 0) == 0 ? std::string("From: rewritten@example.org\n") : line;
    };
    CHECK(transports::build_headers(env, e).find("From: rewritten@example.org\n") !=
          std::string::npos);
  }

  TEST_CASE("the whole message from a spool -D file: prefix, suffix, headers_only, body_only") {
    TempDir dir;
    engine::SpoolLayout layout{dir.path, false};
    REQUIRE(engine::spool_make_dirs(layout));
    engine::SpoolCommitter committer({256, engine::SpoolSync::kNone, 1});
    auto env = test_envelope();
    std::string body;
    for (int i = 0; i < 50000; ++i) body += "From line " + std::to_string(i) + "\n";
    REQUIRE(engine::spool_write_message(committer, layout, env, body));
    auto src = transports::MessageSource::open(layout, env.id);
    REQUIRE(src.ok());
    CHECK(src->body_size() == static_cast<int64_t>(body.size()));
    WriteOptions o;
    o.prefix = "PREFIX\n";
    o.suffix = "SUFFIX\n";
    o.check = "From ";
    o.escape = ">From ";
    std::string out;
    auto n = transports::write_message(*src, {}, o, [&](std::string_view s) {
      out.append(s);
      return true;
    });
    REQUIRE(n.ok());
    CHECK(*n == static_cast<int64_t>(out.size()));
    CHECK(out.rfind("PREFIX\nReceived: ", 0) == 0);
    CHECK(out.find("\n\n>From line 0\n>From line 1\n") != std::string::npos);
    CHECK(out.ends_with(">From line 49999\nSUFFIX\n"));
    WriteOptions ho;
    ho.headers_only = true;
    out.clear();
    REQUIRE(transports::write_message(*src, {}, ho, [&](std::string_view s) {
      out.append(s);
      return true;
    }));
    CHECK(out.ends_with("Subject: greetings\n"));
    WriteOptions bo;
    bo.body_only = true;
    out.clear();
    REQUIRE(transports::write_message(*src, {}, bo, [&](std::string_view s) {
      out.append(s);
      return true;
    }));
    CHECK(out == body);
    // A sink that fails stops the writer.
    auto failed = transports::write_message(*src, {}, o, [](std::string_view) { return false; });
    CHECK_FALSE(failed.ok());
    CHECK_FALSE(transports::MessageSource::open(layout, "1xVkc9-000000-00").ok());
  }

  TEST_CASE("address lists of header values") {
    using V = std::vector<std::string>;
    CHECK(transports::parse_address_list("bob@x.example") == V{"bob@x.example"});
    CHECK(transports::parse_address_list("Bob <bob@x.example>, \"Smith, Al\" <al@y.example>, "
                                         "carol@z.example (Carol, C.)") ==
          V{"bob@x.example", "al@y.example", "carol@z.example"});
    CHECK(transports::parse_address_list("team: a@x.example, b@x.example;, c@y.example") ==
          V{"a@x.example", "b@x.example", "c@y.example"});
    CHECK(transports::parse_address_list("  ,, ").empty());
  }
}
