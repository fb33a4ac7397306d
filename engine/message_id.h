// engine/message_id.h — Exim 4.96 message ids: "TTTTTT-PPPPPP-FF" (spec chapter 4, "How Exim
// receives and delivers mail", section "Message identification").
//
// Each part is base 62 (0-9A-Za-z, most significant digit first): TTTTTT is the time of
// reception in seconds since the epoch, PPPPPP the id of the receiving process, FF the
// sub-second fraction. Without localhost_number the fraction counts units of 1/2000 s (the
// manual's figure; Exim 4.96 itself was seen to use 1/200 s, any value up to 3843 reads back);
// with localhost_number N (0..16) it is N*200 plus the fraction in units of 1/200 s.
//
// Contract: ids from one MessageIdSource are unique and strictly increasing, also when many
// threads of one process (facteur's SMTP server is one multi-session process, unlike Exim)
// accept messages in the same clock slot. The source keeps the last slot it used and takes
// max(now, last + 1): when more ids are asked for than the clock has slots, ids run ahead of
// the clock, and fall back to it when the load drops. Exim instead sleeps until the clock
// ticks. The clock is a seam for tests. The spool writer refuses to replace an existing file,
// so even an id reused by another process with a recycled pid cannot overwrite a message.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace engine {

// A time with microseconds, as gettimeofday() gives it.
struct IdTime {
  int64_t sec = 0;
  int64_t usec = 0;
};

using IdClock = std::function<IdTime()>;

// The system clock (CLOCK_REALTIME).
IdTime id_clock_now();

// Encodes `value` in base 62 with exactly `width` digits (higher digits are dropped).
std::string base62_encode(uint64_t value, int width);
// Decodes base-62 digits; false on any other character.
bool base62_decode(std::string_view digits, uint64_t& out);

// True for a 16-character 4.96 id: six, six and two base-62 digits joined by hyphens.
bool message_id_valid(std::string_view id);
// The time part of a valid id, in seconds since the epoch (0 for an invalid id).
int64_t message_id_time(std::string_view id);

struct MessageId {
  std::string id;
  IdTime time;  // the slot the id encodes (may run ahead of the clock under load)
};

class MessageIdSource {
 public:
  // `localhost_number` < 0 means unset; values above 16 are reduced to 16 (the base-62 limit).
  explicit MessageIdSource(uint64_t pid, int localhost_number = -1, IdClock clock = id_clock_now);
  // Thread-safe.
  MessageId next();

 private:
  int64_t slots_per_second() const { return host_number_ < 0 ? 2000 : 200; }
  std::string format(int64_t slot) const;

  uint64_t pid_;
  int host_number_;
  IdClock clock_;
  std::atomic<int64_t> last_slot_{0};
};

}  // namespace engine
