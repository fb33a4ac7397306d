// engine/bounce.h — bounce and delay-warning messages as RFC 3464 delivery status
// notifications (spec chapter 50, "Customizing bounce and warning messages"; main options
// bounce_return_*, errors_reply_to, bounce_message_text, dsn_from; RFC 3461 for ENVID, RET
// and ORCPT).
//
// A report is multipart/report; report-type=delivery-status with three parts, as Exim 4.96
// writes them: the human-readable text (each address and the reason under it), the
// message/delivery-status part (Reporting-MTA, then per address Action, Final-Recipient,
// Status, Remote-MTA, Diagnostic-Code, Original-Recipient when an ORCPT was given), and the
// returned message — whole as message/rfc822, or its headers as text/rfc822-headers when
// bounce_return_body is false, the message was sent with RET=HDRS, or for a warning. A body
// above bounce_return_size_limit (or with a line above bounce_return_linesize_limit) is cut,
// and the text says so. bounce_return_message false returns nothing of the message.
//
// The result is a LocalMessage for engine/submit.h (sender <>, one recipient), which adds
// Received:, Message-Id: and Date: like any local message. Pure: no I/O, no clock (the
// caller gives the time and the MIME boundary's random part).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/config.h"
#include "engine/spool_format.h"
#include "engine/submit.h"

namespace engine {

struct ReportedAddress {
  std::string address;              // as listed and as Final-Recipient
  std::vector<std::string> reason;  // the lines under it in the text part
  std::string status;               // RFC 3463 code; "" gives 5.0.0 (bounce) or 4.0.0 (delay)
  std::string remote_mta;           // the host that said it ("" when none)
  std::string diagnostic;           // its reply, for Diagnostic-Code: smtp; ...
  std::string orcpt;                // DSN ORCPT as received ("rfc822;user@example.com")
  std::string output;               // a pipe command's output to return ("" for none)
};

struct ReportOptions {
  std::string primary_hostname, qualify_domain;
  std::string dsn_from;         // "" gives "Mail Delivery System <Mailer-Daemon@QUALIFY>"
  std::string errors_reply_to;  // Reply-To:
  std::string message_text;     // bounce_message_text
  bool return_message = true, return_body = true;
  int64_t size_limit = 100 * 1024;  // 0: no limit
  int64_t linesize_limit = 998;
  int64_t now = 0;
  uint32_t boundary_random = 0;
};
// The report options of a configuration (the main options named above).
ReportOptions report_options(const config::Config& cfg);

// The failed message: its spool header and (the start of) its body.
struct ReportedMessage {
  const SpoolMessage* msg = nullptr;
  std::string_view body;  // may be shorter than body_size (read up to the limit)
  int64_t body_size = 0;
};

// A bounce for `addresses` to `recipient` (the sender, or an errors_to address).
LocalMessage bounce_build(const ReportedMessage& m, const std::string& recipient,
                          const std::vector<ReportedAddress>& addresses, const ReportOptions& o);

// A delay warning: `delay` is the message's age in seconds ("N minutes" / "N hours").
LocalMessage warning_build(const ReportedMessage& m, const std::string& recipient,
                           const std::vector<ReportedAddress>& addresses, int64_t delay,
                           const ReportOptions& o);

// A success notification (RFC 3461 NOTIFY=SUCCESS) for delivered `addresses`.
LocalMessage success_build(const ReportedMessage& m, const std::string& recipient,
                           const std::vector<ReportedAddress>& addresses, const ReportOptions& o);

// "5 minutes", "24 hours" as $warn_message_delay shows a delay.
std::string warning_delay_text(int64_t seconds);

}  // namespace engine
