// lang/operators/utf8.cpp — ${utf8clean:..} and ${from_utf8:..} (spec 11.6).
//
// utf8clean replaces each invalid UTF-8 sequence by '?', as Exim 4.96 does: a lead byte that
// cannot start a sequence (0x80-0xc1, 0xf8-0xff) gives one '?'; a sequence broken by a byte
// that is not a continuation gives one '?' (the breaking byte is kept if it is ASCII, dropped
// otherwise); a complete sequence above U+10FFFF or in the surrogate range gives one '?'; a
// sequence cut short by the end of the string gives one '?'. Overlong 3- and 4-byte forms are
// not checked (Exim does not either).
//
// from_utf8 converts UTF-8 to ISO-8859-1: code points above 255 become '_'. Bytes below 0xc0
// are copied; a lead byte takes its continuation bytes without checking them, and a sequence
// cut short by the end of the string is completed with zero bits (Exim's result for invalid
// input is "undefined"; this is what it prints). Neither operator fails.
#include <cstdint>

#include "lang/registry.h"

namespace lang {
namespace {

// Number of continuation bytes announced by a lead byte, or -1 when it cannot start one.
int utf8clean_needed(unsigned char c) {
  if (c >= 0xc2 && c <= 0xdf) return 1;
  if (c >= 0xe0 && c <= 0xef) return 2;
  if (c >= 0xf0 && c <= 0xf7) return 3;
  return -1;
}

Status op_utf8clean(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  std::string seq;
  int left = 0;
  uint32_t cp = 0;
  for (char ch : a) {
    auto c = static_cast<unsigned char>(ch);
    if (left > 0) {
      if ((c & 0xc0) != 0x80) {  // broken sequence
        out += '?';
        left = 0;
        if (c < 0x80) out += ch;
        continue;
      }
      cp = (cp << 6) | (c & 0x3f);
      seq += ch;
      if (--left == 0) out += (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) ? "?" : seq;
      continue;
    }
    if (c < 0x80) {
      out += ch;
      continue;
    }
    left = utf8clean_needed(c);
    if (left < 0) {
      out += '?';
      left = 0;
      continue;
    }
    cp = c & (0x7f >> (left + 1));
    seq.assign(1, ch);
  }
  if (left > 0) out += '?';
  return Status::ok();
}

Status op_from_utf8(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  size_t i = 0;
  while (i < a.size()) {
    auto c = static_cast<unsigned char>(a[i++]);
    if (c < 0xc0) {
      out += static_cast<char>(c);
      continue;
    }
    int extra = c >= 0xfc ? 5 : c >= 0xf8 ? 4 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
    uint32_t cp = c & (0x3f >> extra);
    for (int k = 0; k < extra; ++k) {
      unsigned char b = i < a.size() ? static_cast<unsigned char>(a[i++]) : 0;
      cp = (cp << 6) | (b & 0x3f);
    }
    out += cp > 255 ? '_' : static_cast<char>(cp);
  }
  return Status::ok();
}

const OperatorRegistrar reg({
    {"utf8clean", op_utf8clean},
    {"from_utf8", op_from_utf8},
});

}  // namespace
}  // namespace lang
