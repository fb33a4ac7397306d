// lang/items/imapfolder.cpp — ${imapfolder{<name>}{<separator>}{<specials>}} (spec 11.5 and
// chapter 60): turns an IMAP folder name in UTF-8 into a Maildir++ folder name.
//
// The separator (default '/', exactly one byte) becomes '.'. Characters listed in <specials>
// and characters outside printable ASCII are written in IMAP's modified UTF-7 (RFC 3501
// section 5.1.3: "&" + modified base64 of UTF-16 + "-"); '&' itself becomes "&-". A '.' or
// '/' that is neither the separator nor special is an error.
// Errors: "IMAP folder separator must be one character, found \"..\"",
// "imapfolder: illegal character '.'", and for invalid UTF-8
// "imapfolder: iconv() failed to convert from UTF-8: <strerror>".
#include <cerrno>

#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/strings.h"
#include "util/utf8.h"

namespace lang {
namespace {

// Appends "&<modified base64 of the UTF-16BE bytes>-" and clears `run`.
void flush_utf7(std::string& run, std::string& out) {
  if (run.empty()) return;
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  out += '&';
  size_t i = 0;
  for (; i + 3 <= run.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(run[i]) << 16 |
                                       static_cast<unsigned char>(run[i + 1]) << 8 |
                                       static_cast<unsigned char>(run[i + 2]));
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(n >> k) & 0x3f];
  }
  size_t rest = run.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(run[i]) << 16);
    if (rest == 2) n |= static_cast<uint32_t>(static_cast<unsigned char>(run[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 0x3f];
    out += kAlphabet[(n >> 12) & 0x3f];
    if (rest == 2) out += kAlphabet[(n >> 6) & 0x3f];
  }
  out += '-';
  run.clear();
}

void append_utf16be(char32_t cp, std::string& run) {
  auto unit = [&](uint32_t u) {
    run += static_cast<char>(u >> 8);
    run += static_cast<char>(u & 0xff);
  };
  if (cp < 0x10000) {
    unit(cp);
    return;
  }
  cp -= 0x10000;
  unit(0xd800 + (cp >> 10));
  unit(0xdc00 + (cp & 0x3ff));
}

Status imap_encode(std::string_view name, char sep, std::string_view specials, std::string& out) {
  std::u32string cps;
  util::Utf8Status us = util::utf8_decode(name, cps);
  if (us != util::Utf8Status::Ok) {
    int err = us == util::Utf8Status::Truncated ? EINVAL : EILSEQ;
    return Status::error("imapfolder: iconv() failed to convert from UTF-8: " +
                         util::errno_text(err));
  }
  std::string run;
  for (char32_t c : cps) {
    bool ascii = c < 0x80;
    if (ascii && c == static_cast<unsigned char>(sep)) {
      flush_utf7(run, out);
      out += '.';
    } else if (ascii && specials.find(static_cast<char>(c)) != std::string_view::npos) {
      append_utf16be(c, run);
    } else if (c == '.' || c == '/') {
      return Status::error(std::string("imapfolder: illegal character '") + static_cast<char>(c) +
                           "'");
    } else if (c >= 0x20 && c <= 0x7e) {
      flush_utf7(run, out);
      out += c == '&' ? "&-" : std::string(1, static_cast<char>(c));
    } else {
      append_utf16be(c, run);
    }
  }
  flush_utf7(run, out);
  return Status::ok();
}

class ImapfolderNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string name, sep = "/", specials;
    LANG_TRY(args[0].eval(ctx, name));
    if (args.size() > 1) LANG_TRY(args[1].eval_to(ctx, sep));
    if (args.size() > 2) LANG_TRY(args[2].eval(ctx, specials));
    if (sep.size() != 1) {
      return Status::error("IMAP folder separator must be one character, found \"" + sep + "\"");
    }
    std::string r;
    LANG_TRY(imap_encode(name, sep[0], specials, r));
    out += r;
    return Status::ok();
  }
  std::vector<Template> args;
};

Status parse_imapfolder(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<ImapfolderNode>();
  LANG_TRY(p.read_args(name, 1, 3, n->args));
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"imapfolder", parse_imapfolder}});

}  // namespace
}  // namespace lang
