// engine/submit.cpp — local messages onto the spool (see submit.h).
#include "engine/submit.h"

#include <algorithm>
#include <ctime>

#include "engine/config/main_options.h"
#include "engine/log_lines.h"
#include "engine/smtp/spool_message.h"
#include "engine/spool_config.h"
#include "engine/variables.h"
#include "util/strings.h"

namespace engine {
namespace {

// True for a line that can start a header: a name of printable characters and a colon.
bool is_header_start(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c <= ' ' || c >= 127) return i > 0 && util::trim(line.substr(i, colon - i)).empty();
  }
  return true;
}

}  // namespace

void message_split(std::string_view text, std::string& headers, std::string_view& body) {
  size_t pos = 0;
  if (text.substr(0, 5) == "From ") {
    size_t eol = text.find('\n');
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
  }
  size_t start = pos;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = text.substr(pos, next - pos);
    if (line == "\n") {
      headers = text.substr(start, pos - start);
      body = text.substr(next);
      return;
    }
    bool cont = (line[0] == ' ' || line[0] == '\t') && pos > start;
    if (!cont && !is_header_start(line)) break;
    pos = next;
  }
  headers = text.substr(start, pos - start);
  body = text.substr(pos);
}

namespace {

bool header_is(std::string_view h, std::string_view name) {
  return h.size() > name.size() && util::iequals(h.substr(0, name.size()), name) &&
         (h[name.size()] == ':' || h[name.size()] == ' ' || h[name.size()] == '\t');
}

template <class Msg>
auto find_header(Msg& m, std::string_view name) -> decltype(&m.headers[0]) {
  for (auto& h : m.headers)
    if (h.type != '*' && header_is(h.text, name)) return &h;
  return nullptr;
}

std::string header_value(const SpoolHeader& h) {
  size_t colon = h.text.find(':');
  return std::string(util::trim(std::string_view(h.text).substr(colon + 1)));
}

// The Received: header: received_header_text expanded with the message's variables.
util::Result<std::string> received_header(const config::Config& cfg, lang::EvalContext& ctx,
                                          const LocalMessage& m, const std::string& id,
                                          int64_t now) {
  Variables vars(&cfg);
  vars.set("sender_ident", m.caller.login);
  vars.set("received_protocol", m.protocol);
  if (!m.sender.empty()) vars.set("sender_address", m.sender);
  vars.set("message_exim_id", id);
  vars.set("message_id", id);
  if (m.recipients.size() == 1) vars.set("received_for", m.recipients[0].address);
  const lang::VariableSource* saved = ctx.vars;
  ctx.vars = &vars;
  auto text = main_option_value(cfg, ctx, "received_header_text");
  ctx.vars = saved;
  if (!text) return text.error();
  if (text->empty()) return std::string();
  return *text + ";\n\t" + rfc822_date(now) + "\n";
}

void add_fixups(const config::Config& cfg, const LocalMessage& m, const std::string& id,
                int64_t now, SpoolMessage& out) {
  std::string host = primary_hostname(&cfg);
  std::string qualify = main_option(&cfg, "qualify_domain", host);
  if (!find_header(out, "Message-Id") && !find_header(out, "Resent-Message-Id")) {
    out.headers.push_back({'I', "Message-Id: <E" + id + "@" + host + ">\n"});
  }
  std::string own = m.caller.login + "@" + qualify;
  SpoolHeader* from = find_header(out, "From");
  if (!from || (m.caller.trusted && header_value(*from) == m.caller.login)) {
    if (from) from->type = '*';
    std::string addr = m.sender.empty() || !m.caller.trusted ? own : m.sender;
    // The caller's name goes with the caller's own address only (spec 48.18).
    std::string name = addr == own ? m.caller.full_name : std::string();
    out.headers.push_back(
        {'F', "From: " + (name.empty() ? addr : name + " <" + addr + ">") + "\n"});
  } else if (!m.caller.trusted && config::main_bool(cfg, "local_from_check") &&
             header_value(*from).find(own) == std::string::npos) {
    out.headers.push_back({'S', "Sender: " + own + "\n"});
  }
  if (!find_header(out, "Date")) out.headers.push_back({' ', "Date: " + rfc822_date(now) + "\n"});
}

void set_variables(const LocalMessage& m, std::string_view body, SpoolMessage& out) {
  out.set_var("ident", m.caller.login);
  out.set_var("received_protocol", m.protocol);
  out.set_var("body_linecount", std::to_string(std::count(body.begin(), body.end(), '\n')));
  size_t longest = 0, start = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\n') continue;
    longest = std::max(longest, i - start);
    start = i + 1;
  }
  out.set_var("max_received_linelength", std::to_string(std::max(longest, body.size() - start)));
  out.set_flag("allow_unqualified_recipient");
  out.set_flag("allow_unqualified_sender");
  out.set_flag("deliver_firsttime");
  out.set_flag(m.generated ? "localerror" : "local");
}

// Headers removed on arrival: Bcc: after -t; Return-path:, Envelope-to:, Delivery-date: as
// return_path_remove, envelope_to_remove and delivery_date_remove say (all true by default).
bool removed_on_arrival(const config::Config& cfg, const LocalMessage& m, std::string_view h) {
  if (m.remove_bcc && header_is(h, "Bcc")) return true;
  auto opt = [&](std::string_view name) {
    return !cfg.find_main(name) || config::main_bool(cfg, name);
  };
  return (header_is(h, "Return-path") && opt("return_path_remove")) ||
         (header_is(h, "Envelope-to") && opt("envelope_to_remove")) ||
         (header_is(h, "Delivery-date") && opt("delivery_date_remove"));
}

}  // namespace

std::string rfc822_date(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S %z", &tm);
  return buf;
}

int64_t message_size(const SpoolMessage& m, int64_t body_size) {
  return m.header_size() + 1 + body_size;
}

util::Result<SpoolMessage> submit_build(const config::Config& cfg, lang::EvalContext& ctx,
                                        const LocalMessage& m, const std::string& id, int64_t now,
                                        std::string& body) {
  SpoolMessage out;
  out.id = id;
  out.login = m.caller.login;
  out.uid = m.caller.uid;
  out.gid = m.caller.gid;
  out.sender = m.sender;
  out.received_time = now;
  out.recipients = m.recipients;
  out.acl_vars = m.acl_vars;
  std::string header_text;
  std::string_view body_view;
  message_split(m.text, header_text, body_view);
  body = std::string(body_view);
  auto received = received_header(cfg, ctx, m, id, now);
  if (!received) return received.error();
  if (!received->empty()) out.headers.push_back({'P', *received});
  for (auto& h : smtp::split_headers(header_text)) {
    char type = removed_on_arrival(cfg, m, h) ? '*' : smtp::spool_header_type(h);
    out.headers.push_back({type, std::move(h)});
  }
  if (!m.suppress_fixups) add_fixups(cfg, m, id, now, out);
  set_variables(m, body, out);
  if (!m.generated && !m.sender.empty()) {
    out.set_var("auth_id", m.caller.login);
    out.set_var("auth_sender", m.sender);
  }
  return out;
}

util::Result<std::string> Submitter::submit(const LocalMessage& m) {
  int64_t now = s_.now ? s_.now() : static_cast<int64_t>(std::time(nullptr));
  std::string id = s_.ids->next().id;
  Variables vars(s_.cfg);
  lang::EvalContext ctx;
  ctx.vars = &vars;
  std::string body;
  auto msg = submit_build(*s_.cfg, ctx, m, id, now, body);
  if (!msg) return msg.error();
  if (auto st = spool_write_message(*s_.committer, s_.layout, *msg, body); !st) return st.error();
  if (s_.log) {
    ArrivalLog a;
    a.id = id;
    a.sender = m.sender;
    a.bounce_ref = m.bounce_ref;
    a.ident = m.caller.login;
    a.protocol = m.protocol;
    a.size = message_size(*msg, static_cast<int64_t>(body.size()));
    if (const SpoolHeader* h = find_header(*msg, "Message-Id")) {
      std::string v = header_value(*h);
      if (v.size() > 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
      a.message_id = v;
      a.message_id_created = v == "E" + id + "@" + primary_hostname(s_.cfg);
    }
    for (const auto& r : m.recipients) a.recipients.push_back(r.address);
    s_.log->mainlog(log_arrival_line(a, s_.log->config().selector));
  }
  if (s_.submitted) s_.submitted(id);
  return id;
}

}  // namespace engine
