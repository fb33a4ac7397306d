// engine/bounce.cpp — bounce and warning messages (see bounce.h).
#include "engine/bounce.h"

#include "engine/config/main_options.h"
#include "engine/variables.h"
#include "util/strings.h"

namespace engine {
namespace {

constexpr std::string_view kCreated =
    "This message was created automatically by mail delivery software.\n";

std::string header_value(const SpoolMessage& m, std::string_view name) {
  for (const auto& h : m.headers) {
    if (h.type == '*' || h.text.size() <= name.size() || h.text[name.size()] != ':') continue;
    if (!util::iequals(std::string_view(h.text).substr(0, name.size()), name)) continue;
    std::string v(util::trim(std::string_view(h.text).substr(name.size() + 1)));
    return v;
  }
  return {};
}

std::string boundary_of(const ReportOptions& o) {
  return std::to_string(o.now) + "-eximdsn-" + std::to_string(o.boundary_random);
}

// The headers every report has, after the first ones of its kind.
std::string common_headers(const ReportedMessage& m, const std::string& to, const ReportOptions& o,
                           std::string_view subject) {
  std::string from = o.dsn_from.empty()
                         ? "Mail Delivery System <Mailer-Daemon@" + o.qualify_domain + ">"
                         : o.dsn_from;
  std::string h = "Auto-Submitted: auto-replied\nFrom: " + from + "\nTo: " + to + "\n";
  if (!o.errors_reply_to.empty()) h += "Reply-To: " + o.errors_reply_to + "\n";
  std::string msgid = header_value(*m.msg, "Message-Id");
  if (!msgid.empty()) h += "References: " + msgid + "\n";
  h += "Content-Type: multipart/report; report-type=delivery-status; boundary=" + boundary_of(o) +
       "\nMIME-Version: 1.0\nSubject: " + std::string(subject) + "\n\n";
  return h;
}

void address_lines(const std::vector<ReportedAddress>& as, std::string_view prefix,
                   std::string& out) {
  for (const auto& a : as) {
    out += "  " + a.address + "\n";
    for (const auto& l : a.reason) out += "    " + std::string(prefix) + l + "\n";
  }
}

// The message/delivery-status part: Action failed, delayed or delivered.
std::string status_part(const ReportedMessage& m, const std::vector<ReportedAddress>& as,
                        const ReportOptions& o, std::string_view action) {
  bool delayed = action == "delayed";
  std::string s =
      "Content-type: message/delivery-status\n\nReporting-MTA: dns; " + o.primary_hostname + "\n";
  if (const SpoolVar* envid = m.msg->var("dsn_envid")) {
    s += "Original-Envelope-ID: " + envid->value + "\n";
  }
  s += "\n";
  for (const auto& a : as) {
    s += "Action: " + std::string(action) + "\n";
    if (!a.orcpt.empty()) s += "Original-Recipient: " + a.orcpt + "\n";
    s += "Final-Recipient: rfc822;" + a.address + "\n";
    std::string dflt = action == "delivered" ? "2.0.0" : delayed ? "4.0.0" : "5.0.0";
    s += "Status: " + (a.status.empty() ? dflt : a.status) + "\n";
    if (!a.remote_mta.empty()) s += "Remote-MTA: dns; " + a.remote_mta + "\n";
    if (!a.diagnostic.empty()) s += "Diagnostic-Code: smtp; " + a.diagnostic + "\n";
    s += "\n";
  }
  return s;
}

// How much of the body goes back: the whole, or up to the size limit or the first line that
// is too long. `cut` tells whether anything was left out.
std::string_view returned_body(const ReportedMessage& m, const ReportOptions& o, bool& cut) {
  std::string_view b = m.body;
  int64_t limit = o.size_limit > 0 ? o.size_limit : m.body_size;
  if (static_cast<int64_t>(b.size()) > limit) b = b.substr(0, static_cast<size_t>(limit));
  if (o.linesize_limit > 0) {
    size_t start = 0;
    for (size_t i = 0; i <= b.size(); ++i) {
      if (i < b.size() && b[i] != '\n') continue;
      if (static_cast<int64_t>(i - start) > o.linesize_limit) {
        b = b.substr(0, start);
        break;
      }
      start = i + 1;
    }
  }
  cut = static_cast<int64_t>(b.size()) < m.body_size;
  if (cut) {
    size_t nl = b.rfind('\n');  // whole lines only
    b = nl == std::string_view::npos ? std::string_view() : b.substr(0, nl + 1);
  }
  return b;
}

// The returned message: its headers (and body), as message/rfc822 or text/rfc822-headers.
std::string returned_part(const ReportedMessage& m, const ReportOptions& o, bool whole,
                          std::string& note) {
  bool cut = false;
  std::string_view body = whole ? returned_body(m, o, cut) : std::string_view();
  if (cut) {
    note = "------ The body of the message is " + std::to_string(m.body_size) +
           " characters long; only the first\n------ " + std::to_string(o.size_limit) +
           " or so are included here.\n";
  }
  std::string s = std::string("Content-type: ") +
                  (whole ? "message/rfc822" : "text/rfc822-headers") + "\n\nReturn-path: <" +
                  m.msg->sender + ">\n";
  for (const auto& h : m.msg->headers)
    if (h.type != '*') s += h.text;
  s += "\n";
  s.append(body);
  return s;
}

std::string output_lines(const std::vector<ReportedAddress>& as) {
  std::string s;
  for (const auto& a : as) {
    if (a.output.empty()) continue;
    if (s.empty()) s = "\nThe following text was generated during the delivery attempt(s):\n";
    s += "\n------ " + a.address + " ------\n\n" + a.output;
    if (s.back() != '\n') s += '\n';
  }
  return s;
}

LocalMessage report_message(std::string text, const std::string& recipient,
                            const ReportedMessage& m) {
  LocalMessage out;
  out.sender = "";
  SpoolRecipient r;
  r.address = recipient;
  out.recipients.push_back(std::move(r));
  out.text = std::move(text);
  out.protocol = "local";
  out.bounce_ref = m.msg->id;
  out.generated = true;
  return out;
}

}  // namespace

ReportOptions report_options(const config::Config& cfg) {
  ReportOptions o;
  o.primary_hostname = primary_hostname(&cfg);
  o.qualify_domain = main_option(&cfg, "qualify_domain", o.primary_hostname);
  if (cfg.find_main("dsn_from")) o.dsn_from = config::main_string(cfg, "dsn_from");
  o.errors_reply_to = config::main_string(cfg, "errors_reply_to");
  o.message_text = config::main_string(cfg, "bounce_message_text");
  o.return_message = config::main_bool(cfg, "bounce_return_message");
  o.return_body = config::main_bool(cfg, "bounce_return_body");
  o.size_limit = config::main_int(cfg, "bounce_return_size_limit");
  o.linesize_limit = config::main_int(cfg, "bounce_return_linesize_limit");
  return o;
}

std::string warning_delay_text(int64_t seconds) {
  if (seconds < 3600) return std::to_string(seconds / 60) + " minutes";
  return std::to_string(seconds / 3600) + " hours";
}

LocalMessage bounce_build(const ReportedMessage& m, const std::string& recipient,
                          const std::vector<ReportedAddress>& addresses, const ReportOptions& o) {
  bool to_sender = recipient == m.msg->sender;
  std::string failed;
  for (const auto& a : addresses) failed += (failed.empty() ? "" : ",\n  ") + a.address;
  std::string text = "X-Failed-Recipients: " + failed + "\n" +
                     common_headers(m, recipient, o,
                                    to_sender ? "Mail delivery failed: returning message to sender"
                                              : "Mail delivery failed");
  std::string b = boundary_of(o);
  text += "--" + b + "\nContent-type: text/plain; charset=us-ascii\n\n" + std::string(kCreated);
  if (!o.message_text.empty()) text += o.message_text + "\n";
  text += to_sender
              ? "\nA message that you sent could not be delivered to one or more of its\n"
                "recipients. This is a permanent error. The following address(es) failed:\n\n"
              : "\nA message sent by\n\n  <" + m.msg->sender +
                    ">\n\ncould not be delivered to one or more of its recipients. This is a\n"
                    "permanent error. The following address(es) failed:\n\n";
  address_lines(addresses, "", text);
  text += output_lines(addresses);
  bool headers_only = !o.return_body || m.msg->value("dsn_ret") == "1";
  std::string note, returned;
  if (o.return_message) returned = returned_part(m, o, !headers_only, note);
  if (!note.empty()) text += "\n" + note;
  text += "\n--" + b + "\n" + status_part(m, addresses, o, "failed");
  if (!returned.empty()) text += "--" + b + "\n" + returned + "\n";
  text += "--" + b + "--\n";
  return report_message(std::move(text), recipient, m);
}

LocalMessage warning_build(const ReportedMessage& m, const std::string& recipient,
                           const std::vector<ReportedAddress>& addresses, int64_t delay,
                           const ReportOptions& o) {
  std::string delay_text = warning_delay_text(delay);
  std::string text =
      common_headers(m, recipient, o, "Warning: message " + m.msg->id + " delayed " + delay_text);
  std::string b = boundary_of(o);
  text += "--" + b + "\nContent-type: text/plain; charset=us-ascii\n\n" + std::string(kCreated);
  text += recipient == m.msg->sender ? "A message that you sent "
                                     : "A message sent by\n\n  <" + m.msg->sender + ">\n\n";
  text += "has not yet been delivered to one or more of its\nrecipients after more than " +
          delay_text + " on the queue on " + o.primary_hostname + ".\n\n";
  text += "The message identifier is:     " + m.msg->id + "\n";
  std::string subject = header_value(*m.msg, "Subject"), date = header_value(*m.msg, "Date");
  if (!subject.empty()) text += "The subject of the message is: " + subject + "\n";
  if (!date.empty()) text += "The date of the message is:    " + date + "\n";
  text += addresses.size() == 1
              ? "\nThe address to which the message has not yet been delivered is:\n\n"
              : "\nThe addresses to which the message has not yet been delivered are:\n\n";
  address_lines(addresses, "Delay reason: ", text);
  text +=
      "\nNo action is required on your part. Delivery attempts will continue for\n"
      "some time, and this warning may be repeated at intervals if the message\n"
      "remains undelivered. Eventually the mail delivery software will give up,\n"
      "and when that happens, the message will be returned to you.\n";
  std::string note;
  text += "\n--" + b + "\n" + status_part(m, addresses, o, "delayed");
  text += "--" + b + "\n" + returned_part(m, o, false, note) + "\n";
  text += "--" + b + "--\n";
  return report_message(std::move(text), recipient, m);
}

LocalMessage success_build(const ReportedMessage& m, const std::string& recipient,
                           const std::vector<ReportedAddress>& addresses, const ReportOptions& o) {
  std::string text = common_headers(m, recipient, o, "Delivery Status Notification");
  std::string b = boundary_of(o);
  text += "--" + b + "\nContent-type: text/plain; charset=us-ascii\n\n" + std::string(kCreated) +
          "\nYour message has been successfully delivered to the following address(es)\n\n";
  address_lines(addresses, "", text);
  std::string note;
  text += "\n--" + b + "\n" + status_part(m, addresses, o, "delivered");
  text += "--" + b + "\n" + returned_part(m, o, false, note) + "\n";
  text += "--" + b + "--\n";
  return report_message(std::move(text), recipient, m);
}

}  // namespace engine
