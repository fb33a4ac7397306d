// engine/smtp/spool_message.h — a received SMTP transaction as a spool message (spec chapter
// 57 "Format of spool files"): the envelope, the session's variables, the ACL variables and
// the headers (our Received: first, then the message's own, then those added by ACLs),
// each header typed as Exim types them (F From, T To, C Cc, B Bcc, R Reply-To, S Sender,
// I Message-Id, P Received).
//
// Contract: build_spool_message() only builds; store_transaction() writes the -D and -H files
// through the spool writer and returns when both are durable (engine/spool.h), or an error
// naming what failed. Local (-bs) submissions get Message-Id: and Date: when missing, as
// Exim's local fixups do.
#pragma once

#include <string>

#include "engine/smtp/message.h"
#include "engine/spool.h"

namespace engine::smtp {

using SpoolContext = MessageOrigin;

// The header lines of `data` up to `header_end`, one string per header (continuations kept).
std::vector<std::string> split_headers(std::string_view headers);
// True when the header line `line` is named `name` ("Name:" at its start, any case); and
// when one of `hs` is.
bool header_is(std::string_view line, std::string_view name);
bool has_header(const std::vector<std::string>& hs, std::string_view name);

// Where an ACL add_header puts its text (Exim's leading :at_start:, :at_start_rfc:,
// :after_received:, :at_end:), and the text without that prefix.
enum class AddedAt : unsigned char { End, Start, StartRfc, AfterReceived };
std::string_view added_header_text(std::string_view h, AddedAt* at = nullptr);
// Exim's -H type letter for a header line ("From: ..." -> 'F').
char spool_header_type(std::string_view header);

// The NOTIFY= list as the -H file's flags (kDsnNever, kDsnSuccess ...; RFC 3461 4.1).
unsigned dsn_notify_flags(std::string_view notify);

SpoolMessage build_spool_message(const Transaction& t, const std::string& id);
// The body as it goes into the -D file (after the blank line that ends the headers).
std::string_view transaction_body(const Transaction& t);

SpoolStatus store_transaction(SpoolCommitter& committer, const SpoolLayout& layout,
                              const Transaction& t, const std::string& id);

}  // namespace engine::smtp
