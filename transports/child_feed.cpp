// transports/child_feed.cpp — interleaved writing to and reading from a child process.
#include "transports/child_feed.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "util/no_sigpipe.h"

namespace transports {
namespace {

using Clock = std::chrono::steady_clock;

int ms_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 60000));
}

class Feeder {
 public:
  Feeder(const util::Spawned& c, Clock::time_point deadline, size_t max_output, FeedResult& r)
      : c_(c), deadline_(deadline), max_(max_output), r_(r) {}

  // Reads what is available; false when the output limit is passed.
  bool read_some() {
    char buf[16384];
    ssize_t n = read(c_.from_child, buf, sizeof buf);
    if (n > 0) {
      r_.output.append(buf, static_cast<size_t>(n));
      if (r_.output.size() > max_) {
        r_.output_overflow = true;
        return false;
      }
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      eof_ = true;
    }
    return true;
  }

  bool write(std::string_view s) {
    while (!s.empty()) {
      if (broken_) return true;  // the child stopped reading: discard the rest
      pollfd p[2] = {{c_.to_child, POLLOUT, 0}, {c_.from_child, POLLIN, 0}};
      int np = eof_ ? 1 : 2;
      int timeout = ms_left(deadline_);
      if (timeout == 0) return timeout_hit();
      if (poll(p, np, timeout) < 0 && errno != EINTR) return fail(errno);
      if (np == 2 && (p[1].revents & (POLLIN | POLLHUP)) && !read_some()) return false;
      if (!(p[0].revents & (POLLOUT | POLLERR | POLLHUP))) continue;
      ssize_t n = ::write(c_.to_child, s.data(), s.size());
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n < 0 && errno == EPIPE) {
        broken_ = true;
        return true;
      }
      if (n < 0) return fail(errno);
      s.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // After the input is closed: everything up to end of file.
  bool drain() {
    while (!eof_) {
      int timeout = ms_left(deadline_);
      if (timeout == 0) return timeout_hit();
      pollfd p{c_.from_child, POLLIN, 0};
      if (poll(&p, 1, timeout) < 0 && errno != EINTR) return true;
      if (p.revents && !read_some()) return false;
    }
    return true;
  }

 private:
  bool timeout_hit() {
    r_.timed_out = true;
    return false;
  }
  bool fail(int e) {
    if (r_.write_errno == 0) r_.write_errno = e;
    return false;
  }
  const util::Spawned& c_;
  Clock::time_point deadline_;
  size_t max_;
  FeedResult& r_;
  bool eof_ = false, broken_ = false;
};

}  // namespace

FeedResult feed_child(const util::Spawned& child,
                      const std::function<util::Result<int64_t>(const Sink&)>& produce,
                      Clock::time_point deadline, size_t max_output) {
  util::ScopedNoSigpipe no_sigpipe;
  FeedResult r;
  fcntl(child.to_child, F_SETFL, fcntl(child.to_child, F_GETFL) | O_NONBLOCK);
  fcntl(child.from_child, F_SETFL, fcntl(child.from_child, F_GETFL) | O_NONBLOCK);
  Feeder f(child, deadline, max_output, r);
  Sink sink = [&f](std::string_view s) { return f.write(s); };
  auto produced = produce(sink);
  close(child.to_child);
  bool ok = produced.ok();
  if (!ok && !r.timed_out && !r.output_overflow && r.write_errno == 0)
    r.produce_error = produced.error().message;
  r.write_failed = !ok && !r.timed_out && !r.output_overflow;
  if (ok) ok = f.drain();
  if (!ok) {
    util::kill_child(child.pid);
    close(child.from_child);
    r.exit.signaled = true;
    r.exit.signal = SIGKILL;
    return r;
  }
  close(child.from_child);
  r.exit = util::wait_child(child.pid, deadline);
  if (r.exit.timed_out) r.timed_out = true;
  return r;
}

}  // namespace transports
