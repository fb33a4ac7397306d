#include "util/debug.h"

#include <unistd.h>

#include <cstdio>

namespace util::debug {
namespace {

uint32_t g_selectors = 0;

struct Name {
  std::string_view name;
  uint32_t bits;
};
constexpr Name kNames[] = {
    {"acl", kAcl},
    {"all", kAll},
    {"auth", kAuth},
    {"config", kConfig},
    {"default", kDefault},
    {"deliver", kDeliver},
    {"dns", kDns},
    {"dnsbl", kDnsbl},
    {"exec", kExec},
    {"expand", kExpand},
    {"filter", kFilter},
    {"hints_lookup", kHintsLookup},
    {"host_lookup", kHostLookup},
    {"ident", kIdent},
    {"interface", kInterface},
    {"lists", kLists},
    {"load", kLoad},
    {"local_scan", kLocalScan},
    {"lookup", kLookup},
    {"memory", kMemory},
    {"noutf8", kNoUtf8},
    {"pid", kPid},
    {"process_info", kProcessInfo},
    {"queue_run", kQueueRun},
    {"receive", kReceive},
    {"resolver", kResolver},
    {"retry", kRetry},
    {"rewrite", kRewrite},
    {"route", kRoute},
    {"timestamp", kTimestamp},
    {"tls", kTls},
    {"transport", kTransport},
    {"uid", kUid},
    {"verify", kVerify},
};

}  // namespace

util::Result<uint32_t> parse_selectors(std::string_view spec) {
  uint32_t mask = kDefault;
  size_t i = 0;
  while (i < spec.size()) {
    char op = spec[i];
    if (op != '+' && op != '-') {
      return util::Error{"bad debug selector \"" + std::string(spec) + "\": expected + or -", {}};
    }
    size_t e = spec.find_first_of("+-", i + 1);
    if (e == std::string_view::npos) e = spec.size();
    std::string_view name = spec.substr(i + 1, e - i - 1);
    uint32_t bits = 0;
    for (const auto& n : kNames) {
      if (n.name == name) bits = n.bits;
    }
    if (bits == 0) {
      return util::Error{"unknown debug selector \"" + std::string(name) + "\"", {}};
    }
    if (op == '+')
      mask |= bits;
    else
      mask &= ~bits;
    i = e;
  }
  return mask;
}

void set_selectors(uint32_t mask) {
  g_selectors = mask;
}
uint32_t selectors() {
  return g_selectors;
}

void print(int indent, std::string_view text) {
  std::string line = std::to_string(getpid());
  line += ' ';
  for (int k = 0; k < indent && k < 40; ++k) line += "  ";
  line.append(text);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace util::debug
