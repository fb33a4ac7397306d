// fuzz/dns_message_fuzz.cpp — libFuzzer target for the DNS response reader (untrusted network
// data): parse_message on arbitrary bytes, and build_query on the names it decodes (a name
// the reader produces must encode again).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "util/dns_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view wire(reinterpret_cast<const char*>(data), size);
  util::dns::Message m;
  std::string error;
  if (!util::dns::parse_message(wire, m, error)) return 0;
  std::string q;
  for (const auto& r : m.answers) {
    if (!util::dns::build_query(r.name, r.type, {}, 1, q)) std::abort();
    if (!r.host.empty() && r.type != util::dns::kA && r.type != util::dns::kAAAA &&
        !util::dns::build_query(r.host, r.type, {}, 1, q)) {
      std::abort();
    }
  }
  return 0;
}
