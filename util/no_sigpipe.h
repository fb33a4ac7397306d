// util/no_sigpipe.h — writing to a pipe or socket whose reader has gone away without the
// process being killed by SIGPIPE, whatever the process's signal disposition.
//
// While a ScopedNoSigpipe exists, SIGPIPE is blocked in the calling thread; a write to a
// broken pipe then fails with EPIPE. On destruction any SIGPIPE that became pending for the
// thread meanwhile is consumed and the previous mask restored. Per thread; never fails.
#pragma once

#include <signal.h>

namespace util {

class ScopedNoSigpipe {
 public:
  ScopedNoSigpipe();
  ~ScopedNoSigpipe();
  ScopedNoSigpipe(const ScopedNoSigpipe&) = delete;
  ScopedNoSigpipe& operator=(const ScopedNoSigpipe&) = delete;

 private:
  sigset_t old_{};
  bool was_blocked_ = false;
};

}  // namespace util
