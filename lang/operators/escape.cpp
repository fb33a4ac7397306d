// lang/operators/escape.cpp — ${escape:..}, ${escape8bit:..} and ${hexquote:..}
// (spec 11.6, "Expansion operators").
//
// escape: non-printing bytes (C locale; tab counts as printing, print_topbitchars is false so
// bytes >= 0x80 do not) become \n \r \b \v \f or a three-digit octal escape; a backslash is
// not doubled. escape8bit: bytes >= 0x7f and the backslash become octal escapes.
// hexquote: bytes outside 0x21..0x7e become \xNN (lower-case hex). None of them fails.
#include "lang/operators/escape.h"

#include <cstdio>

#include "lang/registry.h"

namespace lang {
namespace {

void append_octal(unsigned char c, std::string& out) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\%03o", c);
  out += buf;
}

}  // namespace

std::string escape_printing(std::string_view a) {
  std::string out;
  for (char ch : a) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 0x20 && c < 0x7f) || c == '\t') {
      out += ch;
      continue;
    }
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        append_octal(c, out);
        break;
    }
  }
  return out;
}

namespace {

Status op_escape(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  out += escape_printing(a);
  return Status::ok();
}

Status op_escape8bit(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  for (char ch : a) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x7f || c == '\\') {
      append_octal(c, out);
    } else {
      out += ch;
    }
  }
  return Status::ok();
}

Status op_hexquote(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  for (char ch : a) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x21 && c <= 0x7e) {
      out += ch;
      continue;
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
  }
  return Status::ok();
}

const OperatorRegistrar reg({
    {"escape", op_escape},
    {"escape8bit", op_escape8bit},
    {"hexquote", op_hexquote},
});

}  // namespace

void append_double_quoted(std::string_view a, std::string& out) {
  out += '"';
  for (char c : a) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
  }
  out += '"';
}

}  // namespace lang
