// lang/items/srs.cpp — native SRS (spec 58.5): the item ${srs_encode{secret}{return path}
// {original domain}} and the condition inbound_srs{local part}{secret}. Only SRS0 exists.
//
// Encoding: SRS0=HHHH=TT=<domain>=<local part>@<original domain>, where HHHH is the first two
// bytes, in hex, of HMAC-MD5(secret, return path in lower case), TT the day number modulo
// 1024 in base 32 (a-z2-7), and <domain>/<local part> come from the return path (an address
// that may be written as "<a@b>", with comments). The new local part is quoted when the old one
// needed quotes. An empty return path gives an empty result. Address errors are Exim's texts
// ("no local part", "domain missing or malformed", "malformed address: @c may not follow a@b").
//
// Decoding: the local part must look like SRS0=HASH=TT=domain=local ("SRS0" in any case).
// Then $srs_recipient is local@domain (quoted as needed, in lower case). With an empty secret
// the shape is enough; otherwise the hash must match and the timestamp be at most 10 days old.
#include <cctype>
#include <ctime>

#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/base64.h"
#include "util/digest.h"
#include "util/strings.h"

namespace lang {
namespace {

constexpr std::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";
constexpr long kMaxAgeDays = 10;

long today() {
  return static_cast<long>(std::time(nullptr) / 86400);
}

std::string srs_hash(std::string_view secret, std::string_view text) {
  std::string mac = util::hmac(util::DigestAlgo::Md5, secret, util::to_lower(text));
  return util::hex_encode(mac.substr(0, 2));
}

// RFC 5322 atext, plus '.' as in a dot-atom.
bool atom_char(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos;
}

bool needs_quotes(std::string_view s) {
  for (char c : s) {
    if (!atom_char(c)) return true;
  }
  return false;
}

// Removes (comments) outside quotes, keeps the part inside <...> when present, trims.
std::string strip_address(std::string_view raw) {
  std::string s;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (!quoted && c == '(') ++depth;
    if (depth == 0) s += c;
    if (!quoted && c == ')' && depth > 0) --depth;
    if (depth == 0 && c == '"') quoted = !quoted;
  }
  size_t lt = s.rfind('<'), gt = s.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
    s = s.substr(lt + 1, gt - lt - 1);
  }
  return std::string(util::trim(s));
}

// Splits an address into local part (unquoted) and domain; "" domain when there is no '@'.
Status split_address(std::string_view raw, std::string& local, std::string& domain) {
  std::string a = strip_address(raw);
  size_t at = std::string::npos;
  bool quoted = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == '"') quoted = !quoted;
    if (a[i] == '@' && !quoted) {
      if (at != std::string::npos) {
        return Status::error("malformed address: " + a.substr(i) + " may not follow " +
                             a.substr(0, i));
      }
      at = i;
    }
  }
  local = a.substr(0, at);
  if (local.size() >= 2 && local.front() == '"' && local.back() == '"') {
    local = local.substr(1, local.size() - 2);
  }
  if (local.empty()) return Status::error("no local part");
  if (at == std::string::npos) return Status::ok();
  domain = a.substr(at + 1);
  if (domain.empty()) return Status::error("domain missing or malformed");
  return Status::ok();
}

class SrsEncodeItem : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string secret, path, orig_domain, local, domain;
    LANG_TRY(args[0].eval_to(ctx, secret));
    LANG_TRY(args[1].eval_to(ctx, path));
    LANG_TRY(args[2].eval_to(ctx, orig_domain));
    if (path.empty()) return Status::ok();
    LANG_TRY(split_address(path, local, domain));
    long t = today() % 1024;
    std::string lp = "SRS0=" + srs_hash(secret, path) + "=" + kBase32[static_cast<size_t>(t / 32)] +
                     kBase32[static_cast<size_t>(t % 32)] + "=" + domain + "=" + local;
    if (needs_quotes(local)) lp = "\"" + lp + "\"";
    out += lp + "@" + orig_domain;
    return Status::ok();
  }
  std::vector<Template> args;
};

Status parse_srs_encode(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<SrsEncodeItem>();
  LANG_TRY(p.read_args(name, 3, 3, n->args));
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

// The four fields of SRS0=HASH=TT=domain=local.
struct Srs0 {
  std::string hash, stamp, domain, local;
};

bool parse_srs0(std::string_view s, Srs0& out) {
  if (!util::starts_with_ci(s, "SRS0=") || s.find('\n') != std::string_view::npos) return false;
  s.remove_prefix(5);
  size_t e1 = s.find('=');
  if (e1 == 0 || e1 == std::string_view::npos) return false;
  out.hash = std::string(s.substr(0, e1));
  std::string_view r = s.substr(e1 + 1);
  if (r.size() < 3 || r[2] != '=') return false;
  for (char c : r.substr(0, 2)) {
    if (kBase32.find(static_cast<char>(std::tolower(static_cast<unsigned char>(c)))) ==
        std::string_view::npos) {
      return false;
    }
  }
  out.stamp = std::string(r.substr(0, 2));
  r.remove_prefix(3);
  size_t e2 = r.find('=');
  if (e2 == std::string_view::npos) return false;
  out.domain = std::string(r.substr(0, e2));
  out.local = std::string(r.substr(e2 + 1));
  return true;
}

// The timestamp is case-sensitive here, as in Exim; age in days, modulo 1024.
bool fresh(const std::string& stamp) {
  size_t hi = kBase32.find(stamp[0]), lo = kBase32.find(stamp[1]);
  if (hi == std::string_view::npos || lo == std::string_view::npos) return false;
  long t = static_cast<long>(hi * 32 + lo);
  long age = ((today() - t) % 1024 + 1024) % 1024;
  return age <= kMaxAgeDays;
}

class InboundSrsCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    std::string lp, secret;
    LANG_TRY(args[0].eval(ctx, lp));
    LANG_TRY(args[1].eval(ctx, secret));
    r = false;
    Srs0 f;
    if (!parse_srs0(lp, f)) return Status::ok();
    std::string local = needs_quotes(lp) ? "\"" + f.local + "\"" : f.local;
    std::string recipient = util::to_lower(local + "@" + f.domain);
    if (!secret.empty()) {
      if (!util::equal_ct(srs_hash(secret, recipient), f.hash) || !fresh(f.stamp)) {
        return Status::ok();
      }
    }
    ctx.item_vars["srs_recipient"] = recipient;
    r = true;
    return Status::ok();
  }
  std::vector<Template> args;
};

Status parse_inbound_srs(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<InboundSrsCond>();
  LANG_TRY(parse_cond_args(p, name, 2, c->args));
  out = std::move(c);
  return Status::ok();
}

const ItemRegistrar items({{"srs_encode", parse_srs_encode}});
const ConditionRegistrar conds({{"inbound_srs", parse_inbound_srs}});

}  // namespace
}  // namespace lang
