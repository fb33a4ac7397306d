// engine/group_sync.h — durability for many deliveries at once: the transports' Durability
// seam (transports/transport.h) with directory fsyncs shared between threads.
//
// A Maildir delivery ends with fsync(file), rename into new/, fsync(new/). When many
// deliveries run in parallel on the same mailboxes (or the same file system), each directory
// fsync covers every rename made before it started: a thread that needs new/ synced waits for
// a sync that started after its request, or starts one itself (leader/follower). File fsyncs
// are issued by each thread directly; the kernel merges concurrent journal commits.
//
// Contract: sync_directory(path) returns only once an fsync of `path` that began after the
// call has completed (true), or failed (false, errno set). Thread-safe.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "transports/transport.h"

namespace engine {

class GroupSync : public transports::Durability {
 public:
  bool sync_file(int fd) override;
  bool sync_directory(const std::string& path) override;

  struct Stats {
    uint64_t requests = 0, syncs = 0;
  };
  Stats stats();

 private:
  struct Dir {
    uint64_t requested = 0;  // tickets handed out
    uint64_t done = 0;       // every ticket up to this one is covered by a finished sync
    bool running = false;
    int last_errno = 0;
    uint64_t failed_upto = 0;  // tickets covered by a failed sync
  };
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Dir, std::less<>> dirs_;
  Stats stats_;
};

}  // namespace engine
