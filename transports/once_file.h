// transports/once_file.h — autoreply's memory of whom it has already answered (spec 27,
// "once", "once_file_size", "once_repeat").
//
// The file holds one line per recipient, "EPOCH ADDRESS", oldest first. When `max_size` is
// positive the file never grows beyond it: the oldest lines are dropped to make room. Exim
// keeps a DBM file when once_file_size is 0; facteur uses the same line file, unbounded
// (so an Exim DBM "once" file is not read: noted in docs/DESIGN.md).
//
// Concurrency: the file is locked (OFD fcntl lock) while it is read and rewritten; the
// rewrite goes through a temporary file and rename(), so a crash leaves the old or the new
// content. Failure: an Error naming the file (the autoreply is then deferred).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "util/result.h"

namespace transports {

// When `address` was last recorded in the file (0: never, or no file).
util::Result<int64_t> once_lookup(const std::string& path, const std::string& address);
// Records `address` at `when`, replacing an older record for it.
util::Result<bool> once_record(const std::string& path, const std::string& address, int64_t when,
                               int64_t max_size, mode_t mode);

}  // namespace transports
