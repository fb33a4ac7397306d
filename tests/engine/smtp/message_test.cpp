#include "engine/smtp/message.h"

#include <doctest/doctest.h>

#include <string>

using engine::smtp::DataLimits;
using engine::smtp::DataReader;
using engine::smtp::Transaction;

namespace {

// Feeds `pieces` one after the other as separate reads; true when the data ended.
bool feed(DataReader& r, Transaction& t, std::initializer_list<std::string_view> pieces) {
  for (std::string_view p : pieces) {
    size_t pos = 0;
    if (r.consume(p, pos, t) == DataReader::Result::End) return true;
    CHECK(pos == p.size());  // everything is consumed; nothing left in the caller's buffer
  }
  return false;
}

}  // namespace

TEST_SUITE("engine.smtp.message") {
  TEST_CASE("lines split across reads, CR and LF in different reads") {
    DataReader r;
    Transaction t;
    r.reset(false, {});
    CHECK(feed(r, t, {"Subject: a\r", "\nX: b\r\n\r\nbo", "dy\r\n..dot\r\n.", "\r", "\n"}));
    CHECK(t.data == "Subject: a\nX: b\n\nbody\n.dot\n");
    CHECK(t.header_end == 16);
    CHECK_FALSE(r.bare_line_ending());
  }

  TEST_CASE("a bare LF is data, flags the message and never ends it (T-SMUG)") {
    DataReader r;
    Transaction t;
    r.reset(false, {});
    CHECK_FALSE(feed(r, t, {"a\r\nb\n.\nc\r\n"}));
    CHECK(r.bare_line_ending());
    CHECK(feed(r, t, {".\r\n"}));
  }

  TEST_CASE("a line past message_size_limit is counted, not kept") {
    DataReader r;
    Transaction t;
    r.reset(false, {1000, 0, 0});
    std::string chunk(64 * 1024, 'x');
    for (int i = 0; i < 64; ++i) CHECK_FALSE(feed(r, t, {chunk}));  // 4 MiB without CRLF
    CHECK(r.too_big());
    CHECK(feed(r, t, {"\r\n.\r\n"}));
    CHECK(t.size == 64u * 64 * 1024 + 1);
    CHECK(t.data.size() < 1100);
  }

  TEST_CASE("header_maxsize and header_line_maxsize") {
    DataReader r;
    Transaction t;
    r.reset(false, {0, 100, 0});
    CHECK(feed(r, t, {"Subject: " + std::string(200, 'a') + "\r\n\r\nbody\r\n.\r\n"}));
    CHECK(r.header_too_big());
    CHECK_FALSE(r.header_line_too_long());

    Transaction t2;
    r.reset(false, {0, 0, 50});
    CHECK(feed(r, t2, {"Subject: short\r\n continued " + std::string(60, 'b') + "\r\n\r\n.\r\n"}));
    CHECK(r.header_line_too_long());
    CHECK_FALSE(r.header_too_big());

    Transaction t3;
    r.reset(false, {0, 100, 50});
    CHECK(feed(r, t3, {"A: 1\r\nB: 2\r\n\r\n" + std::string(500, 'c') + "\r\n.\r\n"}));
    CHECK_FALSE(r.header_too_big());  // the body does not count
    CHECK_FALSE(r.header_line_too_long());
  }

  TEST_CASE("LF mode (stdin) takes LF line ends and drops a CR before them") {
    DataReader r;
    Transaction t;
    r.reset(true, {});
    CHECK(feed(r, t, {"A: 1\nB: 2\r\n\nx\n.\n"}));
    CHECK(t.data == "A: 1\nB: 2\n\nx\n");
  }

  TEST_CASE("BDAT chunks are opaque: no dot handling, CRLF stored as LF") {
    DataReader r;
    Transaction t;
    r.reset(false, {});
    r.add_chunk("A: 1\r\n\r\n.\r\nx", t);
    r.add_chunk("y\r", t);
    r.add_chunk("\nlast", t);
    r.end_chunks(t);
    CHECK(t.data == "A: 1\n\n.\nxy\nlast\n");
  }
}
