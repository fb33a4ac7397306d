// engine/smtp/command.h — one SMTP command line: its verb and argument (RFC 5321 section 4.1,
// Exim's reading of it: spec chapter 48 "SMTP processing").
//
// parse_command() takes a line without its line ending. Verbs are caseless; "MAIL FROM:" and
// "RCPT TO:" include the colon, so "MAIL FROM :x" is an unknown command. A verb must be
// followed by white space or the end of the line (the colon ends MAIL/RCPT). The argument is
// the rest with leading and trailing white space removed. A verb that takes no argument
// (RSET, DATA, QUIT, STARTTLS) given one is BadArg ("501 unexpected argument data"); a line
// holding a NUL byte is BadChar ("501 NUL characters are not allowed in SMTP commands").
//
// take_last_param() peels ESMTP parameters (RFC 5321 section 4.1.2 Mail-parameters) off the
// end of a MAIL or RCPT argument one at a time, as Exim does. When a parameter is not
// recognised the caller puts back `restored`: the argument as written for MAIL, and for RCPT
// with Exim 4.96's quirk, a separator before a word without '=' turned into '=' (so
// "<a@b> FOO" reads as "<a@b>=FOO" and "<a b@c>" as "<a=b@c>"). Parameter values
// are xtext (RFC 3461 section 4); xtext_decode() checks and decodes them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace engine::smtp {

enum class Verb : unsigned char {
  Helo,
  Ehlo,
  Mail,
  Rcpt,
  Data,
  Bdat,
  Rset,
  Noop,
  Quit,
  Help,
  Vrfy,
  Expn,
  Etrn,
  Auth,
  Starttls,
  Unknown,  // not a command we know: "500 unrecognized command"
  BadArg,   // known verb that takes no argument, given one
  BadChar,  // NUL byte in the line
};

struct Command {
  Verb verb = Verb::Unknown;
  Verb named = Verb::Unknown;  // for BadArg: the verb that was named
  std::string arg;             // argument, trimmed
};

Command parse_command(std::string_view line);

// Upper-case name of a verb as used in replies and logs ("MAIL", "EHLO").
std::string_view verb_name(Verb v);

// Commands that count towards smtp_accept_max_nonmail (all but MAIL, RCPT, DATA, BDAT,
// QUIT, AUTH; AUTH is counted by its own rule).
bool verb_is_mail_command(Verb v);

struct Param {
  std::string name;  // as written
  std::string value;
  bool has_value = false;  // "NAME=VALUE" (else a bare keyword)
};

// Takes the last parameter off `arg` (which keeps what precedes it). False when there is none
// (the argument is then just the address). `restored` is the argument to use instead of
// `arg` when the parameter turns out to be unknown.
enum class ParamVerb { Mail, Rcpt };
bool take_last_param(std::string& arg, Param& p, std::string& restored,
                     ParamVerb verb = ParamVerb::Mail);

// RFC 3461 xtext: "+XX" (two upper-case hex digits) stands for a byte; '+' and '=' must be
// encoded, as must controls and space. Returns false for malformed text.
bool xtext_decode(std::string_view in, std::string& out);

// Parses a decimal size ("SIZE=", "BDAT n"): digits only; saturates at `cap`. False when the
// text is empty or not all digits.
bool parse_decimal(std::string_view s, uint64_t cap, uint64_t& out);

}  // namespace engine::smtp
