#include "engine/log_selector.h"

#include <algorithm>
#include <string>

namespace engine {

namespace {

struct ItemDef {
  std::string_view name;
  LogItem item;
  bool dflt;
};

// Sorted by name, as in the table of section 53.15 ('*' marks the default ones).
constexpr ItemDef kItems[] = {
    {"8bitmime", LogItem::k8bitmime, false},
    {"acl_warn_skipped", LogItem::AclWarnSkipped, true},
    {"address_rewrite", LogItem::AddressRewrite, false},
    {"all_parents", LogItem::AllParents, false},
    {"arguments", LogItem::Arguments, false},
    {"connection_reject", LogItem::ConnectionReject, true},
    {"delay_delivery", LogItem::DelayDelivery, true},
    {"deliver_time", LogItem::DeliverTime, false},
    {"delivery_size", LogItem::DeliverySize, false},
    {"dkim", LogItem::Dkim, true},
    {"dkim_verbose", LogItem::DkimVerbose, false},
    {"dnslist_defer", LogItem::DnslistDefer, true},
    {"dnssec", LogItem::Dnssec, false},
    {"etrn", LogItem::Etrn, true},
    {"host_lookup_failed", LogItem::HostLookupFailed, true},
    {"ident_timeout", LogItem::IdentTimeout, false},
    {"incoming_interface", LogItem::IncomingInterface, false},
    {"incoming_port", LogItem::IncomingPort, false},
    {"lost_incoming_connection", LogItem::LostIncomingConnection, true},
    {"millisec", LogItem::Millisec, false},
    {"msg_id", LogItem::MsgId, true},
    {"msg_id_created", LogItem::MsgIdCreated, false},
    {"outgoing_interface", LogItem::OutgoingInterface, false},
    {"outgoing_port", LogItem::OutgoingPort, false},
    {"pid", LogItem::Pid, false},
    {"pipelining", LogItem::Pipelining, false},
    {"proxy", LogItem::Proxy, false},
    {"queue_run", LogItem::QueueRun, true},
    {"queue_time", LogItem::QueueTime, false},
    {"queue_time_exclusive", LogItem::QueueTimeExclusive, false},
    {"queue_time_overall", LogItem::QueueTimeOverall, false},
    {"receive_time", LogItem::ReceiveTime, false},
    {"received_recipients", LogItem::ReceivedRecipients, false},
    {"received_sender", LogItem::ReceivedSender, false},
    {"rejected_header", LogItem::RejectedHeader, true},
    {"retry_defer", LogItem::RetryDefer, true},
    {"return_path_on_delivery", LogItem::ReturnPathOnDelivery, false},
    {"sender_on_delivery", LogItem::SenderOnDelivery, false},
    {"sender_verify_fail", LogItem::SenderVerifyFail, true},
    {"size_reject", LogItem::SizeReject, true},
    {"skip_delivery", LogItem::SkipDelivery, true},
    {"smtp_confirmation", LogItem::SmtpConfirmation, true},
    {"smtp_connection", LogItem::SmtpConnection, false},
    {"smtp_incomplete_transaction", LogItem::SmtpIncompleteTransaction, false},
    {"smtp_mailauth", LogItem::SmtpMailauth, false},
    {"smtp_no_mail", LogItem::SmtpNoMail, false},
    {"smtp_protocol_error", LogItem::SmtpProtocolError, false},
    {"smtp_syntax_error", LogItem::SmtpSyntaxError, false},
    {"subject", LogItem::Subject, false},
    {"tls_certificate_verified", LogItem::TlsCertificateVerified, true},
    {"tls_cipher", LogItem::TlsCipher, true},
    {"tls_peerdn", LogItem::TlsPeerdn, false},
    {"tls_resumption", LogItem::TlsResumption, false},
    {"tls_sni", LogItem::TlsSni, false},
    {"unknown_in_list", LogItem::UnknownInList, false},
};

static_assert(std::size(kItems) == static_cast<size_t>(LogItem::kCount));

const ItemDef* find_item(std::string_view name) {
  auto it = std::lower_bound(std::begin(kItems), std::end(kItems), name,
                             [](const ItemDef& d, std::string_view n) { return d.name < n; });
  return it != std::end(kItems) && it->name == name ? it : nullptr;
}

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool space(char c) {
  return c == ' ' || c == '\t' || c == '\n';
}

}  // namespace

LogSelector::LogSelector() {
  for (const auto& d : kItems)
    if (d.dflt) set(d.item, true);
}

std::string_view log_item_name(LogItem i) {
  for (const auto& d : kItems)
    if (d.item == i) return d.name;
  return "";
}

util::Result<LogSelector> log_selector_parse(std::string_view text) {
  LogSelector sel;
  size_t i = 0;
  for (;;) {
    while (i < text.size() && space(text[i])) ++i;
    if (i >= text.size()) return sel;
    char sign = text[i];
    if (sign != '+' && sign != '-')
      return util::Error{"malformed log_selector setting: + or - expected but found \"" +
                             std::string(text.substr(i)) + "\"",
                         {}};
    size_t start = ++i;
    while (i < text.size() && name_char(text[i])) ++i;
    std::string_view name = text.substr(start, i - start);
    if (name == "all") {
      for (const auto& d : kItems) sel.set(d.item, sign == '+');
      continue;
    }
    const ItemDef* d = find_item(name);
    if (!d)
      return util::Error{
          "unknown log_selector setting: " + std::string(1, sign) + std::string(name), {}};
    sel.set(d->item, sign == '+');
  }
}

}  // namespace engine
