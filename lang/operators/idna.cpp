// lang/operators/idna.cpp — ${utf8_domain_to_alabel:..}, ${utf8_domain_from_alabel:..},
// ${utf8_localpart_to_alabel:..} and ${utf8_localpart_from_alabel:..} (spec 11.6 and
// chapter 60, "Internationalisation").
//
// Domains: an all-ASCII string is returned unchanged. Otherwise each label is lower-cased and
// each label with non-ASCII characters becomes "xn--" + Punycode (RFC 3492). This is an
// approximation of the UTS #46 processing Exim gets from libidn2: case folding uses the C
// library's tables and there is no NFC normalisation. A non-ASCII character that is not a
// letter, digit or mark is disallowed. Decoding turns each "xn--" label (prefix in lower case,
// as Exim matches it) back into UTF-8 and leaves other labels alone.
// Local parts: Punycode of the whole string, with no case mapping; decoding needs "xn--".
// Errors follow Exim: "error converting utf8 (<string>) to alabel: <reason>" and
// "error converting alabel (<string>) to utf8: <reason>", the string in printing form.
#include <locale.h>  // newlocale, towlower_l (POSIX 2008)
#include <clocale>
#include <cwctype>

#include "lang/operators/escape.h"
#include "lang/registry.h"
#include "util/punycode.h"
#include "util/utf8.h"

namespace lang {
namespace {

constexpr std::string_view kAcePrefix = "xn--";

Status to_alabel_error(std::string_view in, std::string_view why) {
  return Status::error("error converting utf8 (" + escape_printing(in) +
                       ") to alabel: " + std::string(why));
}
Status from_alabel_error(std::string_view in, std::string_view why) {
  return Status::error("error converting alabel (" + escape_printing(in) +
                       ") to utf8: " + std::string(why));
}

locale_t utf8_locale() {
  static locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  return loc;
}

char32_t fold_case(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
  locale_t loc = utf8_locale();
  return loc ? static_cast<char32_t>(towlower_l(static_cast<wint_t>(c), loc)) : c;
}

bool is_label_dot(char32_t c) {
  return c == '.' || c == 0x3002 || c == 0xff0e || c == 0xff61;
}

// Checks one lower-cased label; returns the reason it is refused, or "".
std::string_view label_problem(const std::u32string& label, bool has_non_ascii) {
  locale_t loc = utf8_locale();
  for (char32_t c : label) {
    if (c < 0x80) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok && has_non_ascii) return "A-label roundtrip failed";
      continue;
    }
    bool ok = loc ? iswalnum_l(static_cast<wint_t>(c), loc) != 0 : true;
    if (!ok && (c < 0x300 || c > 0x36f)) return "string contains a disallowed character";
  }
  if (!label.empty() && (label.front() == '-' || label.back() == '-')) {
    return "string start/ends with forbidden hyphen";
  }
  return {};
}

Status domain_label_to_ascii(std::u32string& label, std::string& out) {
  bool non_ascii = false;
  for (char32_t& c : label) {
    c = fold_case(c);
    non_ascii = non_ascii || c >= 0x80;
  }
  if (std::string_view why = label_problem(label, non_ascii); !why.empty()) {
    return Status::error(std::string(why));
  }
  if (!non_ascii) {
    out += util::utf8_encode(label);
    return Status::ok();
  }
  std::string enc;
  if (!util::punycode_encode(label, enc)) return Status::error("punycode conversion failed");
  out += kAcePrefix;
  out += enc;
  return Status::ok();
}

Status op_domain_to_alabel(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  if (util::is_ascii(a)) {
    out += a;
    return Status::ok();
  }
  std::u32string cps;
  if (util::utf8_decode(a, cps) != util::Utf8Status::Ok) {
    return to_alabel_error(a, "string encoding error");
  }
  std::string r;
  std::u32string label;
  for (size_t i = 0; i <= cps.size(); ++i) {
    if (i < cps.size() && !is_label_dot(cps[i])) {
      label += cps[i];
      continue;
    }
    Status st = domain_label_to_ascii(label, r);
    if (!st.is_ok()) return to_alabel_error(a, st.message());
    if (i < cps.size()) r += '.';
    label.clear();
  }
  out += r;
  return Status::ok();
}

Status op_domain_from_alabel(EvalContext&, std::string_view in, const OpSuffix&, std::string& out) {
  std::string_view a = in;
  // libidn2, which Exim uses, drops a final dot and a leading empty label.
  if (!a.empty() && a.back() == '.') a.remove_suffix(1);
  std::string r;
  size_t start = 0;
  while (true) {
    size_t dot = a.find('.', start);
    std::string_view label = a.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.substr(0, kAcePrefix.size()) == kAcePrefix) {
      std::u32string cps;
      if (!util::punycode_decode(label.substr(kAcePrefix.size()), cps)) {
        return from_alabel_error(in, "Invalid input");
      }
      r += util::utf8_encode(cps);
    } else {
      r += label;
    }
    if (dot == std::string_view::npos) break;
    r += '.';
    start = dot + 1;
  }
  out += std::string_view(r).substr(!r.empty() && r.front() == '.' ? 1 : 0);
  return Status::ok();
}

Status op_localpart_to_alabel(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  if (util::is_ascii(a)) {
    out += a;
    return Status::ok();
  }
  std::u32string cps;
  std::string enc;
  if (util::utf8_decode(a, cps) != util::Utf8Status::Ok) {
    return to_alabel_error(a, "l_u2a: bad UTF-8 input");
  }
  if (!util::punycode_encode(cps, enc)) return to_alabel_error(a, "punycode conversion failed");
  out += kAcePrefix;
  out += enc;
  return Status::ok();
}

Status op_localpart_from_alabel(EvalContext&, std::string_view a, const OpSuffix&,
                                std::string& out) {
  if (a.substr(0, kAcePrefix.size()) != kAcePrefix) {
    return from_alabel_error(a, "bad alabel prefix");
  }
  std::u32string cps;
  if (!util::punycode_decode(a.substr(kAcePrefix.size()), cps)) {
    return from_alabel_error(a, "Invalid input");
  }
  out += util::utf8_encode(cps);
  return Status::ok();
}

const OperatorRegistrar reg({
    {"utf8_domain_to_alabel", op_domain_to_alabel},
    {"utf8_domain_from_alabel", op_domain_from_alabel},
    {"utf8_localpart_to_alabel", op_localpart_to_alabel},
    {"utf8_localpart_from_alabel", op_localpart_from_alabel},
});

}  // namespace
}  // namespace lang
