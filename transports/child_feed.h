// transports/child_feed.h — feeding a message to a child process on its standard input while
// collecting what it writes on its standard output and error (the pipe transport, spec 29),
// with a deadline and an output limit. Reading and writing are interleaved (poll), so a
// command that writes a lot before it has read everything cannot deadlock the transport.
//
// Contract: `produce` is called once with a sink that writes to the child; when it returns the
// child's input is closed. A child that stops reading (EPIPE) does not fail the feed: the
// caller decides from the exit status. Output beyond `max_output` kills the child. At the
// deadline the child's process group is killed. Never throws; SIGPIPE is blocked meanwhile.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "transports/message_writer.h"
#include "util/spawn.h"

namespace transports {

struct FeedResult {
  std::string output;
  bool output_overflow = false;  // more than max_output: killed
  bool timed_out = false;
  int write_errno = 0;        // the first write error other than EPIPE
  bool write_failed = false;  // produce() gave up (its own error, or write_errno)
  std::string produce_error;
  util::ChildExit exit;
};

FeedResult feed_child(const util::Spawned& child,
                      const std::function<util::Result<int64_t>(const Sink&)>& produce,
                      std::chrono::steady_clock::time_point deadline, size_t max_output);

}  // namespace transports
