// engine/submit.h — messages that start on this host: sendmail-style submissions (-bm, -t),
// bounces, delay warnings and autoreplies. Each becomes a spool message as a locally received
// one does in Exim (spec chapter 48, "Message processing"): a Received: header on top
// (received_header_text), the caller's headers, then the local fix-ups Message-Id:, From: and
// Date: when missing (and Sender: for an untrusted caller whose From: is not theirs), Bcc:
// marked deleted when the recipients came from the headers, Return-path:, Envelope-to: and
// Delivery-date: marked deleted as return_path_remove and friends ask.
//
// submit_build() only builds the -H contents and the body (no I/O, testable);
// Submitter::submit() gives the message an id, writes it durably through the spool committer,
// logs the "<=" line (with R=ID for a bounce) and reports the id to a callback, which is how a
// new message gets its first delivery attempt.
//
// Failure: an Error when the message cannot be written (the spool's message), or when
// received_header_text fails to expand (Exim then refuses the message too).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/log.h"
#include "engine/message_id.h"
#include "engine/spool.h"
#include "lang/context.h"
#include "util/result.h"

namespace engine {

struct LocalCaller {
  std::string login = "root";  // -H line 2, U= in the log, $sender_ident
  int64_t uid = 0, gid = 0;
  std::string full_name;  // for an added From: (-F, else the password file's name)
  bool trusted = true;    // -f and From: are believed; no Sender: is added
};

struct LocalMessage {
  std::string sender;  // "" for <>
  std::vector<SpoolRecipient> recipients;
  std::string text;  // header lines, a blank line, the body; LF line ends
  LocalCaller caller;
  std::string protocol = "local";  // $received_protocol
  std::string bounce_ref;          // R=: the message a bounce or warning is about
  bool generated = false;          // a bounce or warning made here (-localerror)
  bool remove_bcc = false;         // -t: Bcc: is marked deleted
  bool suppress_fixups = false;    // no Message-Id:, From:, Date:, Sender: added
  std::vector<SpoolAclVar> acl_vars;
};

// The spool message (headers, envelope, variables) and the body for `m` under id `id`.
// `ctx` supplies the configuration variables for received_header_text.
util::Result<SpoolMessage> submit_build(const config::Config& cfg, lang::EvalContext& ctx,
                                        const LocalMessage& m, const std::string& id, int64_t now,
                                        std::string& body);

// The size Exim logs as S= and uses for $message_size: the headers that are not deleted, the
// blank line and the body.
int64_t message_size(const SpoolMessage& m, int64_t body_size);

class Submitter {
 public:
  struct Services {
    const config::Config* cfg = nullptr;
    SpoolLayout layout;
    SpoolCommitter* committer = nullptr;
    Logger* log = nullptr;  // null: no "<=" line
    MessageIdSource* ids = nullptr;
    std::function<int64_t()> now;                       // null: time()
    std::function<void(const std::string&)> submitted;  // after the commit; may be null
  };
  explicit Submitter(Services s) : s_(std::move(s)) {}
  // Writes `m` to the spool; returns its id.
  util::Result<std::string> submit(const LocalMessage& m);
  const Services& services() const { return s_; }

 private:
  Services s_;
};

// Splits a message text into its header lines and its body: a leading UUCP "From " line is
// dropped; the headers end at a blank line (not part of either) or at the first line that
// is not a header or a continuation.
void message_split(std::string_view text, std::string& headers, std::string_view& body);

// "Wed, 02 Dec 2026 11:44:10 +0000" (RFC 5322 date, local time).
std::string rfc822_date(int64_t t);

}  // namespace engine
