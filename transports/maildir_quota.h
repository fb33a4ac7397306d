// transports/maildir_quota.h — how full a multi-file mailbox is, for appendfile's quota on
// directory deliveries (spec 26.5-26.7): summing the files of a directory tree (sizes taken
// from the file names when quota_size_regex captures them), and the Maildir++ "maildirsize"
// file that caches the total.
//
// maildirsize layout (Maildir++): a first line "<bytes>S,<count>C" giving the quota (0 for
// none), then lines "<bytes> <count>" to be summed. The file is recomputed from the directory
// tree when it is missing, unreadable, gives a different quota than the transport's, or has
// grown beyond 5120 bytes; it is rewritten through a temporary file and a rename, so readers
// never see half of it. Each delivery appends one "<bytes> 1" line (O_APPEND, one write()).
//
// Failure: directory_usage() skips what it cannot read; maildirsize functions return an
// Error naming the file when they cannot write it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "lang/regex.h"
#include "util/result.h"

namespace transports {

struct DirUsage {
  int64_t size = 0;
  int64_t count = 0;
};

// Sums the regular files below `dir`. When `dir_regex` is given, only subdirectories whose
// names match it are entered (at every level) and files directly in `dir` are not counted.
DirUsage directory_usage(const std::string& dir, const lang::Regex* size_regex,
                         const lang::Regex* dir_regex);

// The usage recorded in DIR/maildirsize, recomputing the file first when needed.
util::Result<DirUsage> maildirsize_read(const std::string& dir, int64_t quota, int64_t quota_count,
                                        const lang::Regex* size_regex, const lang::Regex* dir_regex,
                                        mode_t mode);
// Appends "<size> <count>" to DIR/maildirsize.
util::Result<bool> maildirsize_add(const std::string& dir, int64_t size, int64_t count);

}  // namespace transports
