// engine/smtp/spool_message.cpp — from a Transaction to the spool (see spool_message.h).
#include "engine/smtp/spool_message.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "util/strings.h"

namespace engine::smtp {
namespace {

std::string rfc822_date(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S %z", &tm);
  return buf;
}

void add_envelope_vars(SpoolMessage& m, const Transaction& t, const SpoolContext& sc) {
  if (!sc.helo_name.empty()) m.set_var("helo_name", sc.helo_name, true);
  if (!sc.client_address.empty()) {
    m.set_var("host_address", spool_format_host_address(sc.client_address, sc.client_port));
  }
  if (sc.local) m.set_flag("local");
  m.set_var("received_protocol", sc.received_protocol);
  std::string_view body = transaction_body(t);
  m.set_var("body_linecount", std::to_string(util::count_byte(body, '\n')));
  if (sc.local && !sc.local_user.empty()) m.set_var("ident", sc.local_user);
  m.set_var("max_received_linelength", std::to_string(t.max_line_length));
  if (!t.origin.auth_id.empty()) m.set_var("auth_id", t.origin.auth_id, true);
  if (!t.auth_sender.empty()) m.set_var("auth_sender", t.auth_sender, true);
  if (!sc.tls_cipher.empty()) m.set_var("tls_cipher", sc.tls_cipher);
  if (!sc.tls_peerdn.empty()) m.set_var("tls_peerdn", sc.tls_peerdn, true);
  if (sc.tls_verified) m.set_flag("tls_certificate_verified");
  if (!t.envid.empty()) m.set_var("dsn_envid", t.envid, true);
  if (!t.ret.empty()) m.set_var("dsn_ret", t.ret == "HDRS" ? "1" : "2");
  if (t.smtputf8) m.set_flag("smtputf8");
}

}  // namespace

bool header_is(std::string_view line, std::string_view name) {
  return line.size() > name.size() && line[name.size()] == ':' &&
         util::iequals(line.substr(0, name.size()), name);
}

bool has_header(const std::vector<std::string>& hs, std::string_view name) {
  for (const auto& h : hs)
    if (header_is(h, name)) return true;
  return false;
}

std::vector<std::string> split_headers(std::string_view headers) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < headers.size()) {
    size_t eol = headers.find('\n', pos);
    size_t next = eol == std::string_view::npos ? headers.size() : eol + 1;
    std::string_view line = headers.substr(pos, next - pos);
    bool cont = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (cont && !out.empty()) {
      out.back().append(line);
    } else {
      out.emplace_back(line);
    }
    if (out.back().back() != '\n') out.back() += '\n';
    pos = next;
  }
  return out;
}

char spool_header_type(std::string_view h) {
  static constexpr struct {
    std::string_view name;
    char type;
  } kTypes[] = {{"from", 'F'},     {"to", 'T'},     {"cc", 'C'},         {"bcc", 'B'},
                {"reply-to", 'R'}, {"sender", 'S'}, {"message-id", 'I'}, {"received", 'P'}};
  size_t colon = h.find(':');
  if (colon == std::string_view::npos) return ' ';
  std::string_view name = util::trim(h.substr(0, colon));
  for (const auto& t : kTypes)
    if (util::iequals(name, t.name)) return t.type;
  return ' ';
}

unsigned dsn_notify_flags(std::string_view notify) {
  unsigned flags = 0;
  size_t pos = 0;
  while (pos <= notify.size()) {
    size_t comma = notify.find(',', pos);
    if (comma == std::string_view::npos) comma = notify.size();
    std::string_view item = util::trim(notify.substr(pos, comma - pos));
    if (util::iequals(item, "NEVER")) flags |= kDsnNever;
    if (util::iequals(item, "SUCCESS")) flags |= kDsnSuccess;
    if (util::iequals(item, "FAILURE")) flags |= kDsnFailure;
    if (util::iequals(item, "DELAY")) flags |= kDsnDelay;
    pos = comma + 1;
  }
  return flags;
}

std::string_view transaction_body(const Transaction& t) {
  std::string_view d(t.data);
  size_t b = std::min(t.header_end, d.size());
  if (b < d.size() && d[b] == '\n') ++b;  // the blank line between headers and body
  return d.substr(b);
}

// True when header `h` is named in one of the remove_header lists (colon-separated names).
static bool removed(const Transaction& t, std::string_view h) {
  size_t colon = h.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view name = util::trim(h.substr(0, colon));
  for (const auto& list : t.removed_headers) {
    size_t pos = 0;
    while (pos <= list.size()) {
      size_t e = list.find(':', pos);
      if (e == std::string::npos) e = list.size();
      std::string_view item = util::trim(std::string_view(list).substr(pos, e - pos));
      if (!item.empty() && util::iequals(item, name)) return true;
      pos = e + 1;
    }
  }
  return false;
}

std::string_view added_header_text(std::string_view h, AddedAt* at) {
  static constexpr std::pair<std::string_view, AddedAt> kPrefixes[] = {
      {":at_start:", AddedAt::Start},
      {":at_start_rfc:", AddedAt::StartRfc},
      {":after_received:", AddedAt::AfterReceived},
      {":at_end:", AddedAt::End}};
  if (at) *at = AddedAt::End;
  for (const auto& [prefix, where] : kPrefixes) {
    if (h.substr(0, prefix.size()) != prefix) continue;
    if (at) *at = where;
    return h.substr(prefix.size());
  }
  return h;
}

SpoolMessage build_spool_message(const Transaction& t, const std::string& id) {
  const SpoolContext& sc = t.origin;
  SpoolMessage m;
  m.id = id;
  m.login = sc.local_user.empty() ? "root" : sc.local_user;
  m.uid = static_cast<int64_t>(getuid());
  m.gid = static_cast<int64_t>(getgid());
  m.sender = t.sender;
  m.received_time = static_cast<int64_t>(std::time(nullptr));
  add_envelope_vars(m, t, sc);
  for (const auto& [name, value] : t.acl_vars) {
    if (name.size() < 6) continue;
    m.acl_vars.push_back({name[4], name.substr(5), value, true});
  }
  for (const auto& r : t.recipients) {
    SpoolRecipient sr;
    sr.address = r.address;
    if (!r.orcpt.empty() || !r.notify.empty()) {
      sr.has_dsn = true;
      sr.orcpt = r.orcpt;
      sr.dsn_flags = dsn_notify_flags(r.notify);
    }
    m.recipients.push_back(std::move(sr));
  }
  if (!t.received.empty()) m.headers.push_back({'P', t.received});
  auto own =
      split_headers(std::string_view(t.data).substr(0, std::min(t.header_end, t.data.size())));
  for (auto& h : own) {
    if (!removed(t, h)) m.headers.push_back({spool_header_type(h), std::move(h)});
  }
  if (sc.local && !has_header(own, "Message-Id")) {
    m.headers.push_back({'I', "Message-Id: <E" + id + "@" + sc.primary_hostname + ">\n"});
  }
  if (sc.local && !has_header(own, "Date")) {
    m.headers.push_back(
        {' ', "Date: " + rfc822_date(static_cast<std::time_t>(m.received_time)) + "\n"});
  }
  // Positions for :at_start: (before Received:), :after_received: and :at_start_rfc: (after
  // Received: and the Resent- lines that follow it); several keep their ACL order.
  // cursor[0] :at_start:, [1] :after_received:, [2] :at_start_rfc:; an insertion at one
  // moves it and the later ones.
  size_t cursor[3] = {0, t.received.empty() ? 0U : 1U, 0};
  cursor[2] = cursor[1];
  while (cursor[2] < m.headers.size() && util::starts_with_ci(m.headers[cursor[2]].text, "Resent-"))
    ++cursor[2];
  for (const auto& added : t.added_headers) {
    AddedAt at;
    std::string h(added_header_text(added, &at));
    if (h.empty()) continue;
    if (h.back() != '\n') h += '\n';
    SpoolHeader sh{spool_header_type(h), std::move(h)};
    int which = at == AddedAt::Start           ? 0
                : at == AddedAt::AfterReceived ? 1
                : at == AddedAt::StartRfc      ? 2
                                               : -1;
    if (which < 0) {
      m.headers.push_back(std::move(sh));
      continue;
    }
    size_t pos = cursor[which];
    m.headers.insert(m.headers.begin() + static_cast<std::ptrdiff_t>(pos), std::move(sh));
    for (int k = which; k < 3; ++k)
      if (cursor[k] >= pos) ++cursor[k];
  }
  return m;
}

SpoolStatus store_transaction(SpoolCommitter& committer, const SpoolLayout& layout,
                              const Transaction& t, const std::string& id) {
  SpoolMessage m = build_spool_message(t, id);
  return spool_write_message(committer, layout, m, transaction_body(t));
}

}  // namespace engine::smtp
