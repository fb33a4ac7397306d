// fuzz/address_fuzz.cpp — libFuzzer target for the MAIL/RCPT path parser, with and without
// the null path and domain literals, and the helpers applied to what it returns.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/smtp/address.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (int mode = 0; mode < 4; ++mode) {
    engine::smtp::PathOptions o;
    o.allow_empty = mode & 1;
    o.allow_domain_literals = mode & 2;
    auto r = engine::smtp::parse_path(text, o);
    if (!r) continue;
    std::string lp = engine::smtp::unquote_local_part(r->local_part);
    std::string d = r->domain;
    (void)engine::smtp::local_part_is_atom(r->local_part);
    (void)engine::smtp::percent_hack(lp, d, [](const std::string& x) { return !x.empty(); });
  }
  return 0;
}
