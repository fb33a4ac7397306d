#include "engine/message_id.h"

#include <ctime>

namespace engine {

namespace {

constexpr std::string_view kDigits =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 36;
  return -1;
}

}  // namespace

IdTime id_clock_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return {static_cast<int64_t>(ts.tv_sec), static_cast<int64_t>(ts.tv_nsec / 1000)};
}

std::string base62_encode(uint64_t value, int width) {
  std::string out(static_cast<size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[value % 62];
    value /= 62;
  }
  return out;
}

bool base62_decode(std::string_view digits, uint64_t& out) {
  out = 0;
  for (char c : digits) {
    int v = digit_value(c);
    if (v < 0) return false;
    out = out * 62 + static_cast<uint64_t>(v);
  }
  return true;
}

bool message_id_valid(std::string_view id) {
  if (id.size() != 16 || id[6] != '-' || id[13] != '-') return false;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 6 || i == 13) continue;
    if (digit_value(id[i]) < 0) return false;
  }
  return true;
}

int64_t message_id_time(std::string_view id) {
  uint64_t t = 0;
  if (!message_id_valid(id) || !base62_decode(id.substr(0, 6), t)) return 0;
  return static_cast<int64_t>(t);
}

MessageIdSource::MessageIdSource(uint64_t pid, int localhost_number, IdClock clock)
    : pid_(pid),
      host_number_(localhost_number > 16 ? 16 : localhost_number),
      clock_(std::move(clock)) {}

MessageId MessageIdSource::next() {
  IdTime now = clock_();
  int64_t per_sec = slots_per_second();
  int64_t want = now.sec * per_sec + now.usec / (1000000 / per_sec);
  int64_t last = last_slot_.load(std::memory_order_relaxed);
  int64_t slot = 0;
  do {
    slot = want > last ? want : last + 1;
  } while (!last_slot_.compare_exchange_weak(last, slot, std::memory_order_relaxed));
  IdTime t{slot / per_sec, (slot % per_sec) * (1000000 / per_sec)};
  return {format(slot), t};
}

std::string MessageIdSource::format(int64_t slot) const {
  int64_t per_sec = slots_per_second();
  auto sec = static_cast<uint64_t>(slot / per_sec);
  auto frac = static_cast<uint64_t>(slot % per_sec);
  if (host_number_ >= 0) frac += static_cast<uint64_t>(host_number_) * 200;
  return base62_encode(sec, 6) + "-" + base62_encode(pid_, 6) + "-" + base62_encode(frac, 2);
}

}  // namespace engine
