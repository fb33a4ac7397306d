// util/dns_message.h — DNS messages on the wire (RFC 1035 section 4): building a query and
// reading a response into records whose data is decoded by type. No mail knowledge.
//
// A response is untrusted network data: every length and offset is checked against the
// message, compressed names may only point backwards (no loops) and are at most 255 bytes,
// and a record whose data does not fit its type makes the message malformed. Names are
// given in presentation form without the final dot ("mx1.example.test", the root as "."),
// with the escapes of RFC 1035 5.1 for bytes that need them ("\." for a dot inside a label,
// "\DDD" for a byte outside 0x21-0x7e), as the system resolver's dn_expand() writes them.
//
// Failure: build_query() refuses a name that cannot be encoded; parse_message() returns
// false with a short reason. Neither throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace util::dns {

// Record types used by facteur (values from the IANA registry).
enum RrType : std::uint16_t {
  kA = 1,
  kNS = 2,
  kCNAME = 5,
  kSOA = 6,
  kPTR = 12,
  kMX = 15,
  kTXT = 16,
  kAAAA = 28,
  kSRV = 33,
  kOPT = 41,
  kTLSA = 52,
  kSPF = 99,
};

enum Rcode : std::uint8_t { kNoError = 0, kFormErr = 1, kServFail = 2, kNxDomain = 3 };

struct Record {
  std::string name;  // the owner
  std::uint16_t type = 0;
  std::uint32_t ttl = 0;
  // Decoded data. host: A/AAAA address text; NS, CNAME, PTR, MX, SRV target; SOA primary
  // server. mailbox: SOA responsible mailbox. num: MX preference; SRV priority, weight, port;
  // SOA serial, refresh, retry, expire, minimum; TLSA usage, selector, matching type.
  // texts: TXT/SPF character-strings. data: TLSA association data; other types: raw rdata.
  std::string host;
  std::string mailbox;
  std::uint32_t num[5] = {0, 0, 0, 0, 0};
  std::vector<std::string> texts;
  std::string data;
};

struct Message {
  std::uint16_t id = 0;
  std::uint8_t rcode = 0;
  bool authoritative = false;  // AA
  bool authenticated = false;  // AD
  bool truncated = false;      // TC
  std::vector<Record> answers;
  std::vector<Record> authority;
};

struct QueryFlags {
  bool want_ad = false;         // set AD: "tell me whether the data was validated" (RFC 6840)
  std::uint16_t edns_size = 0;  // nonzero: add an EDNS0 OPT record with this UDP size
  bool dnssec_ok = false;       // with EDNS0: the DO bit
};

// A recursive (RD) query for `name` of `type` into `out`. False when the name is not
// encodable: an empty label inside it, a label over 63 bytes, a name over 255 bytes, or a
// bad escape.
bool build_query(std::string_view name, std::uint16_t type, const QueryFlags& flags,
                 std::uint16_t id, std::string& out);

// Reads a response (header, answer and authority sections; the additional section is
// skipped). False with `error` set when the message is malformed.
bool parse_message(std::string_view wire, Message& out, std::string& error);

// "A", "MX" ... for messages and traces; "TYPE123" for others.
std::string type_name(std::uint16_t type);

}  // namespace util::dns
