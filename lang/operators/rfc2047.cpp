// lang/operators/rfc2047.cpp — ${rfc2047:..} and ${rfc2047d:..} (spec 11.6; RFC 2047).
//
// rfc2047: a string of bytes 33..126 and spaces, without any of ?=()<>@,;:\".[]_ , is
// returned unchanged. Otherwise it becomes Q-encoded words in headers_charset: space as '_',
// other special or non-printing bytes as =XX. A new word is started (after "?= ") once a word
// holds more than 67 characters, never between the two halves of an encoded pair of bytes
// (Exim's rough guard against splitting a UTF-8 character).
// rfc2047d: encoded words (at most 75 characters, Q or B encoding, no white space inside)
// are decoded and converted from their charset to headers_charset with iconv; white space
// between two adjacent encoded words is dropped; a NUL becomes '?'. Anything that is not a
// well-formed encoded word is copied unchanged. Error: a charset iconv does not know,
// "iconv_open(\"UTF-8\", \"x\") failed: Invalid argument (maybe unsupported conversion)".
//
// headers_charset is UTF-8 here (the configuration of the conformance suite; Exim's build
// default would be ISO-8859-1).
#include <iconv.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "lang/registry.h"
#include "util/base64.h"
#include "util/strings.h"

namespace lang {
namespace {

constexpr std::string_view kHeadersCharset = "UTF-8";

bool needs_encoding(unsigned char c) {
  return c < 33 || c > 126 || std::strchr("?=()<>@,;:\\\".[]_", c) != nullptr;
}

Status op_rfc2047(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  const std::string head = "=?" + std::string(kHeadersCharset) + "?Q?";
  std::string r = head;
  size_t word_start = r.size();
  bool coded = false, mid_pair = false;
  for (char ch : a) {
    auto c = static_cast<unsigned char>(ch);
    if (r.size() - word_start > 67 && !mid_pair) {
      r += "?= ";
      word_start = r.size();
      r += head;
    }
    if (c == ' ') {
      r += '_';
      mid_pair = false;
    } else if (needs_encoding(c)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "=%02X", c);
      r += buf;
      coded = true;
      mid_pair = !mid_pair;
    } else {
      r += ch;
      mid_pair = false;
    }
  }
  if (!coded) {
    out += a;
    return Status::ok();
  }
  out += r;
  out += "?=";
  return Status::ok();
}

// ---- decoding ----

struct EncodedWord {
  std::string_view charset;
  char encoding;          // 'Q' or 'B'
  std::string_view text;  // the encoded text
  size_t end;             // offset just past "?="
};

// Parses an encoded word starting at `p` (which points at "=?").
bool parse_word(std::string_view all, size_t p, EncodedWord& w) {
  std::string_view s = all.substr(0, p + 75);  // no need to look further than a word can reach
  size_t q1 = s.find('?', p + 2);
  if (q1 == std::string_view::npos || q1 + 2 >= s.size() || s[q1 + 2] != '?') return false;
  char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(s[q1 + 1])));
  if (enc != 'Q' && enc != 'B') return false;
  size_t tstart = q1 + 3;
  size_t e = s.find("?=", tstart);
  if (e == std::string_view::npos || e + 2 - p > 75) return false;
  w = {s.substr(p + 2, q1 - p - 2), enc, s.substr(tstart, e - tstart), e + 2};
  for (char c : w.text) {
    if (std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool decode_q(std::string_view t, std::string& out) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '_') {
      out += ' ';
      continue;
    }
    if (t[i] != '=') {
      out += t[i];
      continue;
    }
    if (i + 2 >= t.size()) return false;
    int h = util::hex_digit_value(t[i + 1]), l = util::hex_digit_value(t[i + 2]);
    if (h < 0 || l < 0) return false;
    out += static_cast<char>(h * 16 + l);
    i += 2;
  }
  return true;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Strict base64: groups of four, '=' padding only at the very end.
bool decode_b(std::string_view t, std::string& out) {
  if (t.size() % 4 != 0) return false;
  for (size_t i = 0; i < t.size(); i += 4) {
    bool last = i + 4 == t.size();
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = t[i + static_cast<size_t>(k)];
      if (c == '=' && last && k >= 2) {
        ++pad;
        v[k] = 0;
        continue;
      }
      if (pad > 0 || (v[k] = base64_value(c)) < 0) return false;
    }
    uint32_t n = static_cast<uint32_t>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    out += static_cast<char>(n >> 16);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return true;
}

// Converts `in` from `charset` to headers_charset. A byte iconv cannot convert is copied as it
// is and conversion goes on after it.
Status convert_charset(std::string_view charset, const std::string& in, std::string& out) {
  if (charset.empty() || util::iequals(charset, kHeadersCharset)) {
    out += in;
    return Status::ok();
  }
  std::string cs(charset), target(kHeadersCharset);
  iconv_t cd = iconv_open(target.c_str(), cs.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Status::error("iconv_open(\"" + target + "\", \"" + cs + "\") failed: " +
                         util::errno_text(errno) + " (maybe unsupported conversion)");
  }
  std::string src = in;
  char* ip = src.data();
  size_t ileft = src.size();
  char buf[1024];
  while (ileft > 0) {
    char* op = buf;
    size_t oleft = sizeof buf;
    size_t rc = iconv(cd, &ip, &ileft, &op, &oleft);
    out.append(buf, static_cast<size_t>(op - buf));
    if (rc == static_cast<size_t>(-1) && errno != E2BIG) {  // EILSEQ or EINVAL
      out += *ip++;
      --ileft;
    }
  }
  char* op = buf;
  size_t oleft = sizeof buf;
  iconv(cd, nullptr, nullptr, &op, &oleft);  // the shift sequence of a stateful charset
  out.append(buf, static_cast<size_t>(op - buf));
  iconv_close(cd);
  return Status::ok();
}

// Decodes one encoded word and appends it; false when its text is not valid Q or B.
Status append_word(const EncodedWord& w, std::string& out, bool& ok) {
  std::string raw;
  ok = w.encoding == 'Q' ? decode_q(w.text, raw) : decode_b(w.text, raw);
  if (!ok) return Status::ok();
  std::string conv;
  LANG_TRY(convert_charset(w.charset, raw, conv));
  for (char& c : conv) {
    if (c == '\0') c = '?';
  }
  out += conv;
  return Status::ok();
}

bool all_space(std::string_view s) {
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Status op_rfc2047d(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  std::string r;
  size_t i = 0;
  bool after_word = false;
  while (i < a.size()) {
    size_t p = a.find("=?", i);
    if (p == std::string_view::npos) break;
    EncodedWord w;
    bool ok = parse_word(a, p, w);
    std::string decoded;
    if (ok) LANG_TRY(append_word(w, decoded, ok));
    if (!ok) {
      r += a.substr(i, p + 2 - i);
      i = p + 2;
      after_word = false;
      continue;
    }
    std::string_view between = a.substr(i, p - i);
    if (!(after_word && all_space(between))) r += between;
    r += decoded;
    i = w.end;
    after_word = true;
  }
  if (i < a.size()) r += a.substr(i);
  out += r;
  return Status::ok();
}

const OperatorRegistrar reg({
    {"rfc2047", op_rfc2047},
    {"rfc2047d", op_rfc2047d},
});

}  // namespace
}  // namespace lang
