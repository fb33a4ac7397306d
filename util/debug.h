// util/debug.h — debug tracing selected with -d (spec chapter 5, "-d<debug options>").
//
// Selectors are Exim's names (acl, auth, deliver, dns, expand, lookup, route, tls, ...).
// `-d` alone turns on the default set, `-d+all` everything, `-d-all+acl` only acl.
// Output goes to stderr, each line prefixed by the process id as Exim does, indented by the
// current nesting level. Tracing costs one branch when off.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace util::debug {

enum Selector : uint32_t {
  kAcl = 1u << 0,
  kAuth = 1u << 1,
  kDeliver = 1u << 2,
  kDns = 1u << 3,
  kDnsbl = 1u << 4,
  kExec = 1u << 5,
  kExpand = 1u << 6,
  kFilter = 1u << 7,
  kHintsLookup = 1u << 8,
  kHostLookup = 1u << 9,
  kIdent = 1u << 10,
  kInterface = 1u << 11,
  kLists = 1u << 12,
  kLoad = 1u << 13,
  kLocalScan = 1u << 14,
  kLookup = 1u << 15,
  kMemory = 1u << 16,
  kPid = 1u << 17,
  kProcessInfo = 1u << 18,
  kQueueRun = 1u << 19,
  kReceive = 1u << 20,
  kResolver = 1u << 21,
  kRetry = 1u << 22,
  kRewrite = 1u << 23,
  kRoute = 1u << 24,
  kTimestamp = 1u << 25,
  kTls = 1u << 26,
  kTransport = 1u << 27,
  kUid = 1u << 28,
  kVerify = 1u << 29,
  kConfig = 1u << 30,
  kNoUtf8 = 1u << 31,
};

constexpr uint32_t kAll = 0xffffffffu & ~(kMemory | kNoUtf8 | kPid | kTimestamp);
constexpr uint32_t kDefault =
    kAll & ~(kExpand | kFilter | kInterface | kLoad | kMemory | kPid | kTimestamp | kResolver);

// Parses "", "+all", "-all+acl+expand", "+expand-lookup"... into a mask. "" means default.
util::Result<uint32_t> parse_selectors(std::string_view spec);

void set_selectors(uint32_t mask);
uint32_t selectors();
inline bool on(uint32_t sel) {
  return (selectors() & sel) != 0;
}

// Writes one line (a newline is added) to stderr, indented by `indent` levels.
void print(int indent, std::string_view text);

}  // namespace util::debug
