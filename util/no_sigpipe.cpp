// util/no_sigpipe.cpp — blocking and swallowing SIGPIPE for one thread.
#include "util/no_sigpipe.h"

#include <pthread.h>
#include <time.h>

namespace util {

ScopedNoSigpipe::ScopedNoSigpipe() {
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_);
  was_blocked_ = sigismember(&old_, SIGPIPE) == 1;
}

ScopedNoSigpipe::~ScopedNoSigpipe() {
  if (was_blocked_) return;
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  timespec zero{0, 0};
  while (sigtimedwait(&pipe_set, nullptr, &zero) == SIGPIPE) {
  }
  pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

}  // namespace util
