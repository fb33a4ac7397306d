// engine/log_selector.h — the log_selector option (spec chapter 53, "Log files", section
// "Reducing or increasing what is logged"): optional log items switched on with +name and
// off with -name, starting from Exim's default set; "all" stands for every item.
//
// Errors, with Exim's texts: "malformed log_selector setting: + or - expected but found
// "REST"" and "unknown log_selector setting: +NAME" (a name is letters, digits and "_").
#pragma once

#include <bitset>
#include <string_view>

#include "util/result.h"

namespace engine {

enum class LogItem {
  k8bitmime,
  AclWarnSkipped,
  AddressRewrite,
  AllParents,
  Arguments,
  ConnectionReject,
  DelayDelivery,
  DeliverTime,
  DeliverySize,
  Dkim,
  DkimVerbose,
  DnslistDefer,
  Dnssec,
  Etrn,
  HostLookupFailed,
  IdentTimeout,
  IncomingInterface,
  IncomingPort,
  LostIncomingConnection,
  Millisec,
  MsgId,
  MsgIdCreated,
  OutgoingInterface,
  OutgoingPort,
  Pid,
  Pipelining,
  Proxy,
  QueueRun,
  QueueTime,
  QueueTimeExclusive,
  QueueTimeOverall,
  ReceiveTime,
  ReceivedRecipients,
  ReceivedSender,
  RejectedHeader,
  RetryDefer,
  ReturnPathOnDelivery,
  SenderOnDelivery,
  SenderVerifyFail,
  SizeReject,
  SkipDelivery,
  SmtpConfirmation,
  SmtpConnection,
  SmtpIncompleteTransaction,
  SmtpMailauth,
  SmtpNoMail,
  SmtpProtocolError,
  SmtpSyntaxError,
  Subject,
  TlsCertificateVerified,
  TlsCipher,
  TlsPeerdn,
  TlsResumption,
  TlsSni,
  UnknownInList,
  kCount,
};

class LogSelector {
 public:
  LogSelector();  // Exim's default set
  bool on(LogItem i) const { return bits_.test(static_cast<size_t>(i)); }
  void set(LogItem i, bool v) { bits_.set(static_cast<size_t>(i), v); }
  bool operator==(const LogSelector&) const = default;

 private:
  std::bitset<static_cast<size_t>(LogItem::kCount)> bits_;
};

// The name of an item as written in log_selector ("tls_cipher").
std::string_view log_item_name(LogItem i);

// Applies a log_selector value to the default set.
util::Result<LogSelector> log_selector_parse(std::string_view text);

}  // namespace engine
