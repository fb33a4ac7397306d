// util/dns_message.cpp — see dns_message.h.
#include "util/dns_message.h"

#include <arpa/inet.h>

#include <cctype>

namespace util::dns {
namespace {

constexpr size_t kHeaderSize = 12;
constexpr size_t kMaxName = 255;

void put16(std::string& out, std::uint16_t v) {
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v & 0xff);
}

// Splits a presentation-form name into wire labels; false on a bad name.
bool encode_name(std::string_view name, std::string& out) {
  if (name == ".") name = {};
  size_t start = out.size(), total = 1;
  std::string label;
  auto flush = [&]() {
    if (label.empty() || label.size() > 63) return false;
    total += label.size() + 1;
    out += static_cast<char>(label.size());
    out += label;
    label.clear();
    return true;
  };
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '.') {
      if (!flush()) return false;
      continue;
    }
    if (c == '\\') {
      if (++i >= name.size()) return false;
      if (std::isdigit(static_cast<unsigned char>(name[i]))) {
        if (i + 2 >= name.size()) return false;
        int v = 0;
        for (int k = 0; k < 3; ++k, ++i) {
          if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
          v = v * 10 + (name[i] - '0');
        }
        --i;
        if (v > 255) return false;
        c = static_cast<char>(v);
      } else {
        c = name[i];
      }
    }
    label += c;
  }
  if (!label.empty() && !flush()) return false;
  out += '\0';
  return total <= kMaxName && out.size() - start <= kMaxName;
}

// Reads from a response, every access checked.
class Reader {
 public:
  explicit Reader(std::string_view w) : w_(w) {}
  size_t pos() const { return pos_; }
  void seek(size_t p) { pos_ = p; }
  bool u8(std::uint8_t& v) {
    if (pos_ + 1 > w_.size()) return false;
    v = static_cast<std::uint8_t>(w_[pos_++]);
    return true;
  }
  bool u16(std::uint16_t& v) {
    std::uint8_t a, b;
    if (!u8(a) || !u8(b)) return false;
    v = static_cast<std::uint16_t>(a << 8 | b);
    return true;
  }
  bool u32(std::uint32_t& v) {
    std::uint16_t a, b;
    if (!u16(a) || !u16(b)) return false;
    v = static_cast<std::uint32_t>(a) << 16 | b;
    return true;
  }
  bool bytes(size_t n, std::string_view& out) {
    if (n > w_.size() - pos_) return false;
    out = w_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool name(std::string& out);

 private:
  std::string_view w_;
  size_t pos_ = 0;
};

void append_label_byte(std::string& out, unsigned char c) {
  static constexpr std::string_view kSpecial = "\".;\\()@$";
  if (kSpecial.find(static_cast<char>(c)) != std::string_view::npos) {
    out += '\\';
    out += static_cast<char>(c);
  } else if (c > 0x20 && c < 0x7f) {
    out += static_cast<char>(c);
  } else {
    char buf[5] = {'\\', static_cast<char>('0' + c / 100), static_cast<char>('0' + c / 10 % 10),
                   static_cast<char>('0' + c % 10), 0};
    out += buf;
  }
}

// A possibly compressed name at the current position; the position ends after the name as
// written here (after the first pointer, if any). Pointers must go strictly backwards.
bool Reader::name(std::string& out) {
  out.clear();
  size_t p = pos_, wire_len = 1, resume = 0, limit = pos_;
  bool jumped = false;
  for (;;) {
    if (p >= w_.size()) return false;
    auto len = static_cast<std::uint8_t>(w_[p]);
    if ((len & 0xc0) == 0xc0) {
      if (p + 1 >= w_.size()) return false;
      size_t target = static_cast<size_t>(len & 0x3f) << 8 | static_cast<std::uint8_t>(w_[p + 1]);
      if (target >= limit) return false;  // forwards or to itself: a loop
      if (!jumped) resume = p + 2;
      jumped = true;
      limit = target;
      p = target;
      continue;
    }
    if (len & 0xc0) return false;  // extended label types are not used
    if (len == 0) {
      pos_ = jumped ? resume : p + 1;
      if (out.empty()) out = ".";
      return true;
    }
    wire_len += len + 1u;
    if (wire_len > kMaxName || p + 1 + len > w_.size()) return false;
    if (!out.empty()) out += '.';
    for (size_t i = 0; i < len; ++i)
      append_label_byte(out, static_cast<unsigned char>(w_[p + 1 + i]));
    p += 1 + len;
  }
}

std::string address_text(int family, std::string_view raw) {
  char buf[INET6_ADDRSTRLEN] = {0};
  inet_ntop(family, raw.data(), buf, sizeof buf);
  return buf;
}

// Decodes `rdlen` bytes of data of `r.type` at the reader's position.
bool decode_rdata(Reader& rd, size_t rdlen, Record& r) {
  const size_t end = rd.pos() + rdlen;
  std::string_view raw;
  auto at_end = [&]() { return rd.pos() == end; };
  switch (r.type) {
    case kA:
    case kAAAA: {
      size_t want = r.type == kA ? 4 : 16;
      if (rdlen != want || !rd.bytes(want, raw)) return false;
      r.host = address_text(r.type == kA ? AF_INET : AF_INET6, raw);
      return true;
    }
    case kNS:
    case kCNAME:
    case kPTR:
      return rd.name(r.host) && at_end();
    case kMX: {
      std::uint16_t pref;
      if (!rd.u16(pref) || !rd.name(r.host)) return false;
      r.num[0] = pref;
      return at_end();
    }
    case kSRV: {
      std::uint16_t v[3];
      for (auto& x : v)
        if (!rd.u16(x)) return false;
      for (int i = 0; i < 3; ++i) r.num[i] = v[i];
      return rd.name(r.host) && at_end();
    }
    case kSOA: {
      if (!rd.name(r.host) || !rd.name(r.mailbox)) return false;
      for (auto& x : r.num)
        if (!rd.u32(x)) return false;
      return at_end();
    }
    case kTXT:
    case kSPF:
      while (rd.pos() < end) {
        std::uint8_t n;
        if (!rd.u8(n) || rd.pos() + n > end || !rd.bytes(n, raw)) return false;
        r.texts.emplace_back(raw);
      }
      return at_end();
    case kTLSA: {
      std::uint8_t u, s, m;
      if (rdlen < 3 || !rd.u8(u) || !rd.u8(s) || !rd.u8(m) || !rd.bytes(rdlen - 3, raw))
        return false;
      r.num[0] = u, r.num[1] = s, r.num[2] = m;
      r.data = std::string(raw);
      return true;
    }
    default:
      if (!rd.bytes(rdlen, raw)) return false;
      r.data = std::string(raw);
      return true;
  }
}

bool read_record(Reader& rd, Record& r, std::string& error) {
  std::uint16_t cls, rdlen;
  if (!rd.name(r.name) || !rd.u16(r.type) || !rd.u16(cls) || !rd.u32(r.ttl) || !rd.u16(rdlen)) {
    error = "truncated record";
    return false;
  }
  if (r.ttl > 0x7fffffff) r.ttl = 0;  // RFC 2181 8: a TTL with the top bit set means zero
  Reader check = rd;
  std::string_view skip;
  if (!check.bytes(rdlen, skip)) {
    error = "record data beyond the end of the message";
    return false;
  }
  if (!decode_rdata(rd, rdlen, r)) {
    error = "malformed " + type_name(r.type) + " record";
    return false;
  }
  return true;
}

bool read_section(Reader& rd, std::uint16_t count, std::vector<Record>* out, std::string& error) {
  for (std::uint16_t i = 0; i < count; ++i) {
    Record r;
    if (!read_record(rd, r, error)) return false;
    if (out && r.type != kOPT) out->push_back(std::move(r));
  }
  return true;
}

}  // namespace

bool build_query(std::string_view name, std::uint16_t type, const QueryFlags& flags,
                 std::uint16_t id, std::string& out) {
  out.clear();
  put16(out, id);
  out += static_cast<char>(0x01);                      // RD
  out += static_cast<char>(flags.want_ad ? 0x20 : 0);  // AD
  put16(out, 1);
  put16(out, 0);
  put16(out, 0);
  put16(out, flags.edns_size ? 1 : 0);
  if (!encode_name(name, out)) return false;
  put16(out, type);
  put16(out, 1);  // IN
  if (flags.edns_size) {
    out += '\0';  // root
    put16(out, kOPT);
    put16(out, flags.edns_size);
    put16(out, 0);  // extended rcode, version
    put16(out, flags.dnssec_ok ? 0x8000 : 0);
    put16(out, 0);
  }
  return true;
}

bool parse_message(std::string_view wire, Message& out, std::string& error) {
  out = Message{};
  if (wire.size() < kHeaderSize) {
    error = "short DNS message";
    return false;
  }
  Reader rd(wire);
  std::uint16_t flags, qd, an, ns, ar;
  if (!rd.u16(out.id) || !rd.u16(flags) || !rd.u16(qd) || !rd.u16(an) || !rd.u16(ns) ||
      !rd.u16(ar)) {
    error = "short DNS message";
    return false;
  }
  out.rcode = static_cast<std::uint8_t>(flags & 0x0f);
  out.authoritative = flags & 0x0400;
  out.truncated = flags & 0x0200;
  out.authenticated = flags & 0x0020;
  for (std::uint16_t i = 0; i < qd; ++i) {
    std::string qname;
    std::uint16_t t, c;
    if (!rd.name(qname) || !rd.u16(t) || !rd.u16(c)) {
      error = "truncated question";
      return false;
    }
  }
  return read_section(rd, an, &out.answers, error) && read_section(rd, ns, &out.authority, error);
}

std::string type_name(std::uint16_t type) {
  switch (type) {
    case kA:
      return "A";
    case kNS:
      return "NS";
    case kCNAME:
      return "CNAME";
    case kSOA:
      return "SOA";
    case kPTR:
      return "PTR";
    case kMX:
      return "MX";
    case kTXT:
      return "TXT";
    case kAAAA:
      return "AAAA";
    case kSRV:
      return "SRV";
    case kTLSA:
      return "TLSA";
    case kSPF:
      return "SPF";
    default:
      return "TYPE" + std::to_string(type);
  }
}

}  // namespace util::dns
