#include <doctest/doctest.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"

using testlang::ex;

namespace {

void put32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void add32(std::string& s, uint32_t v) {
  s.append(4, '\0');
  put32(s, s.size() - 4, v);
}

// A cdb writer following cr.yp.to/cdb/cdb.txt, for fixtures.
std::string make_cdb(const std::vector<std::pair<std::string, std::string>>& recs) {
  auto hash = [](const std::string& k) {
    uint32_t h = 5381;
    for (char c : k) h = ((h << 5) + h) ^ static_cast<unsigned char>(c);
    return h;
  };
  std::string out(2048, '\0');
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> buckets(256);
  for (auto& [k, v] : recs) {
    buckets[hash(k) & 255].emplace_back(hash(k), static_cast<uint32_t>(out.size()));
    add32(out, static_cast<uint32_t>(k.size()));
    add32(out, static_cast<uint32_t>(v.size()));
    out += k;
    out += v;
  }
  for (size_t b = 0; b < 256; ++b) {
    uint32_t n = static_cast<uint32_t>(buckets[b].size() * 2);
    put32(out, b * 8, static_cast<uint32_t>(out.size()));
    put32(out, b * 8 + 4, n);
    std::vector<std::pair<uint32_t, uint32_t>> slots(n);
    for (auto& [h, pos] : buckets[b]) {
      uint32_t j = (h >> 8) % n;
      while (slots[j].second != 0) j = (j + 1) % n;
      slots[j] = {h, pos};
    }
    for (auto& [h, pos] : slots) {
      add32(out, h);
      add32(out, pos);
    }
  }
  return out;
}

}  // namespace

TEST_SUITE("lang.lookups.cdb") {
  TEST_CASE("records") {
    testfiles::TempDir d;
    std::string f = d.write("a.cdb", make_cdb({{"key", "value"},
                                               {"dup", "first"},
                                               {"dup", "second"},
                                               {"empty", ""},
                                               {"Upper", "U"},
                                               {"*", "default"},
                                               {"*.x.example", "wild"}}));
    struct {
      std::string in, want;
    } cases[] = {
        {"${lookup{key}cdb{" + f + "}}", "value"},
        {"${lookup{dup}cdb{" + f + "}}", "first"},
        {"${lookup{empty}cdb{" + f + "}{y}{n}}", "y"},
        {"${lookup{upper}cdb{" + f + "}{y}{n}}", "n"},
        {"${lookup{Upper}cdb{" + f + "}}", "U"},
        {"${lookup{other}cdb*{" + f + "}}", "default"},
        {"${lookup{a.b.x.example}partial-cdb{" + f + "}}", "wild"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("bad files") {
    testfiles::TempDir d;
    std::string small = d.write("small", "tiny");
    CHECK(ex("${lookup{x}cdb{" + small + "}}") ==
          "Failed: failed to open " + small + " too short for cdb lookup: Success");
    CHECK(ex("${lookup{x}cdb{" + d.path() + "/none}}") ==
          "Failed: failed to open " + d.path() + "/none for cdb lookup: No such file or directory");
    // Tables pointing past the end of the file: a defer, never an out-of-bounds read.
    std::string evil(2048, '\0');
    for (size_t b = 0; b < 256; ++b) {
      put32(evil, b * 8, 2048);
      put32(evil, b * 8 + 4, 0xffffffffu);
    }
    std::string f = d.write("evil", evil);
    CHECK(ex("${lookup{x}cdb{" + f + "}}").find("is damaged") != std::string::npos);
  }
}
