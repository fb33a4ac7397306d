// engine/delivery_process.cpp — the daemon's delivery child (see delivery_process.h).
#include "engine/delivery_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "engine/config/main_options.h"
#include "engine/delivery_service.h"
#include "util/strings.h"

namespace engine {
namespace {

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// The periodic queue runner: one run at a time, on its own thread.
class PeriodicRuns {
 public:
  explicit PeriodicRuns(int64_t interval_s)
      : interval_ms_(interval_s * 1000), next_(interval_s > 0 ? now_ms() : INT64_MAX) {}
  ~PeriodicRuns() { join(); }
  int timeout_ms() const {
    if (next_ == INT64_MAX) return -1;
    return static_cast<int>(std::max<int64_t>(0, next_ - now_ms()));
  }
  void tick(DeliveryService& svc) {
    if (now_ms() < next_ || busy_) return;
    join();
    next_ = now_ms() + interval_ms_;
    busy_ = true;
    thread_ = std::thread([this, &svc] {
      int parallel =
          static_cast<int>(std::max<int64_t>(1, config::main_int(svc.config(), "queue_run_max")));
      svc.logger().mainlog("Start queue run: pid=" + std::to_string(getpid()));
      svc.queue_run({}, parallel);
      svc.logger().mainlog("End queue run: pid=" + std::to_string(getpid()));
      busy_ = false;
    });
  }
  void join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  int64_t interval_ms_, next_;
  std::atomic<bool> busy_{false};
  std::thread thread_;
};

// Hands each complete "ID\n" line of `buf` to the service.
void take_ids(std::string& buf, DeliveryService& svc) {
  size_t start = 0;
  for (size_t nl; (nl = buf.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string id = buf.substr(start, nl - start);
    if (!id.empty()) svc.enqueue(id);
  }
  buf.erase(0, start);
}

int signal_fd() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

}  // namespace

int delivery_process_main(const config::Config& cfg, const DeliveryProcessOptions& o, int fd) {
  std::unique_ptr<config::Config> owned;
  const config::Config* current = &cfg;
  auto svc = DeliveryService::create(*current);
  if (!svc) {
    std::fprintf(stderr, "facteur: delivery process: %s\n", svc.error().message.c_str());
    return 1;
  }
  int sig = signal_fd();
  std::unique_ptr<PeriodicRuns> runs = std::make_unique<PeriodicRuns>(o.queue_interval);
  std::string buf;
  for (;;) {
    pollfd p[2] = {{fd, POLLIN, 0}, {sig, POLLIN, 0}};
    int n = poll(p, sig >= 0 ? 2 : 1, runs->timeout_ms());
    if (n < 0 && errno != EINTR) break;
    if (p[0].revents & (POLLIN | POLLHUP)) {
      char chunk[4096];
      ssize_t got = read(fd, chunk, sizeof chunk);
      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) break;
      if (got > 0) buf.append(chunk, static_cast<size_t>(got));
      take_ids(buf, **svc);
    }
    if (sig >= 0 && (p[1].revents & POLLIN)) {
      signalfd_siginfo si;
      while (read(sig, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
      }
      auto fresh = config::read_file(current->path, o.read_opts);
      if (fresh) {
        runs->join();
        svc->reset();
        owned = std::make_unique<config::Config>(std::move(*fresh));
        current = owned.get();
        svc = DeliveryService::create(*current);
        if (!svc) return 1;
      }
    }
    runs->tick(**svc);
  }
  runs.reset();
  return 0;
}

DeliveryProcess::DeliveryProcess(DeliveryProcess&& o) noexcept
    : pid_(o.pid_), fd_(o.fd_), immediate_(o.immediate_) {
  o.pid_ = -1;
  o.fd_ = -1;
}

DeliveryProcess& DeliveryProcess::operator=(DeliveryProcess&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) close(fd_);
    pid_ = o.pid_;
    fd_ = o.fd_;
    immediate_ = o.immediate_;
    o.pid_ = -1;
    o.fd_ = -1;
  }
  return *this;
}

DeliveryProcess::~DeliveryProcess() {
  if (fd_ >= 0) close(fd_);  // the child sees end of file and finishes
}

util::Result<DeliveryProcess> DeliveryProcess::start(const config::Config& cfg,
                                                     const DeliveryProcessOptions& o,
                                                     const std::vector<int>& close_in_child) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) {
    return util::Error{"cannot create the delivery pipe: " + util::errno_text(errno), {}};
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return util::Error{"cannot start the delivery process: " + util::errno_text(errno), {}};
  }
  if (pid == 0) {
    close(p[1]);
    for (int fd : close_in_child) close(fd);
    _exit(delivery_process_main(cfg, o, p[0]));
  }
  close(p[0]);
  fcntl(p[1], F_SETFL, O_NONBLOCK);
  DeliveryProcess d;
  d.pid_ = pid;
  d.fd_ = p[1];
  d.immediate_ = o.deliver_immediately;
  return d;
}

void DeliveryProcess::notify(std::string_view id) const {
  if (fd_ < 0 || !immediate_) return;
  std::string line = std::string(id) + "\n";  // below PIPE_BUF: one atomic write
  (void)!::write(fd_, line.data(), line.size());
}

void DeliveryProcess::reload() const {
  if (pid_ > 0) kill(pid_, SIGHUP);
}

}  // namespace engine
