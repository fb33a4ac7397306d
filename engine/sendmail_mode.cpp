// engine/sendmail_mode.cpp — reading a local submission (see sendmail_mode.h).
#include "engine/sendmail_mode.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>

#include "engine/config/main_options.h"
#include "engine/message_vars.h"
#include "engine/smtp/spool_message.h"
#include "engine/variables.h"
#include "lang/util/address.h"
#include "util/strings.h"

namespace engine {
namespace {

// True when `id` (a user or group) is in the colon-separated list of names or numbers.
template <class Lookup>
bool in_id_list(const std::string& list, unsigned id, Lookup lookup) {
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t e = list.find(':', pos);
    if (e == std::string::npos) e = list.size();
    std::string item(util::trim(std::string_view(list).substr(pos, e - pos)));
    pos = e + 1;
    if (item.empty()) continue;
    if (item.find_first_not_of("0123456789") == std::string::npos) {
      if (std::stoul(item) == id) return true;
    } else if (lookup(item) == static_cast<long>(id)) {
      return true;
    }
  }
  return false;
}

long uid_of(const std::string& name) {
  const passwd* pw = getpwnam(name.c_str());
  return pw ? static_cast<long>(pw->pw_uid) : -1;
}

long gid_of(const std::string& name) {
  const group* gr = getgrnam(name.c_str());
  return gr ? static_cast<long>(gr->gr_gid) : -1;
}

bool caller_trusted(const config::Config& cfg, uid_t uid, gid_t gid) {
  if (uid == 0) return true;
  std::string exim_user = config::main_string(cfg, "exim_user");
  if (!exim_user.empty() && in_id_list(exim_user, uid, uid_of)) return true;
  return in_id_list(config::main_string(cfg, "trusted_users"), uid, uid_of) ||
         in_id_list(config::main_string(cfg, "trusted_groups"), gid, gid_of);
}

// "Joe & Co" with login "joe": "Joe Joe & Co" -> the gecos convention (spec 48.18).
std::string gecos_name(const passwd* pw) {
  if (!pw || !pw->pw_gecos) return {};
  std::string g = pw->pw_gecos;
  g = g.substr(0, g.find(','));
  std::string login = pw->pw_name;
  if (!login.empty())
    login[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(login[0])));
  std::string out;
  for (char c : g) out += c == '&' ? login : std::string(1, c);
  return out;
}

// Adds the addresses of a header-style list to `out`; false with `error` on a bad one.
bool add_addresses(std::string_view list, const std::string& qualify, std::vector<std::string>& out,
                   std::string& error) {
  lang::AddressParseState st;
  st.allow_group = true;
  for (std::string_view piece : lang::address_split(list)) {
    if (util::trim(piece).empty()) continue;
    lang::ParsedAddress a;
    std::string why;
    bool was_group = st.in_group;
    if (!lang::address_parse(piece, st, a, why)) {
      if (why.empty() || (!was_group && st.in_group)) continue;  // an empty group
      error = "bad address \"" + std::string(util::trim(piece)) + "\": " + why;
      return false;
    }
    if (a.address.empty()) continue;
    out.push_back(a.domain ? a.address : a.address + "@" + qualify);
  }
  return true;
}

std::vector<std::string> header_values(std::string_view headers, bool resent,
                                       std::string_view name) {
  std::vector<std::string> out;
  std::string want = (resent ? "Resent-" : "") + std::string(name);
  for (const auto& h : smtp::split_headers(headers)) {
    size_t colon = h.find(':');
    if (colon == std::string::npos) continue;
    if (util::iequals(util::trim(std::string_view(h).substr(0, colon)), want)) {
      out.push_back(h.substr(colon + 1));
    }
  }
  return out;
}

util::Result<std::vector<std::string>> recipients_from_headers(
    std::string_view text, const std::string& qualify, const std::vector<std::string>& except) {
  std::string headers;
  std::string_view body;
  message_split(text, headers, body);
  bool resent = false;
  for (const auto& h : smtp::split_headers(headers)) resent |= util::starts_with_ci(h, "Resent-");
  std::vector<std::string> out;
  std::string error;
  for (std::string_view name : {"To", "Cc", "Bcc"}) {
    for (const auto& v : header_values(headers, resent, name)) {
      if (!add_addresses(v, qualify, out, error)) return util::Error{error, {}};
    }
  }
  std::erase_if(out, [&](const std::string& a) {
    return std::any_of(except.begin(), except.end(),
                       [&](const std::string& x) { return util::iequals(a, x); });
  });
  if (out.empty()) return util::Error{"no recipients found in headers", {}};
  return out;
}

}  // namespace

std::string sendmail_read_input(std::FILE* in, bool dot_ends) {
  std::string text, line;
  auto end_line = [&]() {
    if (dot_ends && line == ".") return false;
    text += line;
    text += '\n';
    line.clear();
    return true;
  };
  int c = 0;
  bool cr = false;
  while ((c = std::fgetc(in)) != EOF) {
    if (c == '\n' && cr) {  // CR LF: the CR ended the line
      cr = false;
      continue;
    }
    cr = c == '\r';
    if (c == '\n' || c == '\r') {
      if (!end_line()) return text;
      continue;
    }
    line += static_cast<char>(c);
  }
  if (!line.empty() && !(dot_ends && line == ".")) text += line + "\n";
  return text;
}

LocalCaller sendmail_caller(const config::Config& cfg, const std::string& full_name) {
  LocalCaller c;
  uid_t uid = getuid();
  gid_t gid = getgid();
  const passwd* pw = getpwuid(uid);
  c.login = pw ? pw->pw_name : std::to_string(uid);
  c.uid = uid;
  c.gid = gid;
  c.full_name = full_name.empty() ? gecos_name(pw) : full_name;
  c.trusted = caller_trusted(cfg, uid, gid);
  return c;
}

util::Result<LocalMessage> sendmail_message(const config::Config& cfg, const CommandLine& cl,
                                            const LocalCaller& caller, std::string text) {
  LocalMessage m;
  m.caller = caller;
  std::string host = primary_hostname(&cfg);
  std::string qualify = main_option(&cfg, "qualify_domain", host);
  std::string qualify_rcpt = main_option(&cfg, "qualify_recipient", qualify);
  std::string own = caller.login + "@" + qualify;
  m.sender = own;
  if (cl.sender_given) {
    std::string s = cl.sender == "<>" ? "" : cl.sender;
    if (!s.empty() && s.find('@') == std::string::npos) s += "@" + qualify;
    if (caller.trusted || s.empty()) m.sender = s;
  }
  std::vector<std::string> args;
  std::string error;
  for (const auto& a : cl.args) {
    if (!add_addresses(a, qualify_rcpt, args, error)) return util::Error{error, {}};
  }
  std::vector<std::string> rcpts = args;
  if (cl.extract_recipients) {
    auto from_headers = recipients_from_headers(text, qualify_rcpt, args);
    if (!from_headers) return from_headers.error();
    rcpts = std::move(*from_headers);
    m.remove_bcc = true;
  }
  if (rcpts.empty()) return util::Error{"no recipients given", {}};
  for (auto& r : rcpts) {
    SpoolRecipient sr;
    sr.address = std::move(r);
    m.recipients.push_back(std::move(sr));
  }
  m.text = std::move(text);
  return m;
}

std::string sendmail_check_acl(const config::Config& cfg, const acl::AclSet& acls,
                               const LocalMessage& m) {
  std::string name = config::main_string(cfg, "acl_not_smtp");
  if (name.empty()) return {};
  Variables base(&cfg);
  base.set("sender_address", m.sender);
  std::string list;
  for (const auto& r : m.recipients) list += (list.empty() ? "" : ", ") + r.address;
  base.set("recipients", list);
  base.set("recipients_count", std::to_string(m.recipients.size()));
  base.set("received_protocol", m.protocol);
  MessageVariables vars(&base);
  vars.load_text(m.text);
  lang::EvalContext ctx;
  ctx.vars = &vars;
  acl::Evaluator ev(acls, ctx);
  ctx.acl = &ev;
  std::string message;
  lang::AclVerdict v = ev.run(name, {}, message);
  if (v == lang::AclVerdict::Accept || v == lang::AclVerdict::Discard) return {};
  return message.empty() ? std::string("rejected by non-SMTP ACL") : message;
}

}  // namespace engine
