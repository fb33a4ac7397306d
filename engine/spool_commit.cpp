// engine/spool_commit.cpp — group commit of prepared messages (SpoolCommitter, spool.h).
//
// A message is committed start to end by one thread: a daemon worker (for the message its
// session just received), a sync thread of the committer (submit()), or the caller of
// commit(). Writeback of both files is started, -H is renamed into place, then the files are
// synced: on a journaling file system the rename is in the same journal transaction as the
// files' block allocations or a later one, so one journal commit makes all of it durable, and
// the kernel lets every thread waiting for that transaction share the commit. Where fsync of
// the renamed -H also makes the rename durable (spool_fsync_covers_rename: ext4 with a
// journal, XFS) that is all; elsewhere the directory is fsync'ed too, and that sync is
// shared: the first thread to need one runs it for every rename done so far in that
// directory (the leader); threads whose rename came later wait for the next one, which one of
// them leads. The message is acknowledged only when all of that succeeded. Until then a
// queue runner may already see the -H (a message whose sync fails is removed again, after a
// delivery attempt at worst); after a crash, an -H whose sync never finished belongs to a
// message that was never acknowledged.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/spool.h"
#include "engine/spool_io.h"
#include "util/strings.h"

namespace engine {

namespace {

util::Error sys_error(const std::string& what, const std::string& path) {
  return util::Error{what + " " + path + ": " + util::errno_text(errno), {}};
}

}  // namespace

struct SpoolCommitter::Impl {
  struct Pending {
    PreparedMessage msg;
    Done done;
    std::optional<util::Error> error;
  };
  // The directory fsyncs of one input directory. Renames are numbered; a sync that starts
  // when `renamed` is N makes renames 1..N durable (or, if it fails, fails them).
  struct DirState {
    std::optional<bool> needs_sync;  // decided on first use (spool_fsync_covers_rename)
    uint64_t renamed = 0;
    uint64_t synced = 0;
    bool running = false;
    std::vector<std::pair<uint64_t, uint64_t>> failed;  // (after, upto] ranges
    std::string error;
  };

  explicit Impl(CommitterOptions o) : opts(o), paused(o.start_paused) {}

  void sync_loop();
  void commit_one(Pending& p);
  void sync_files(Pending& p, bool rename_too);
  void sync_dir(Pending& p, const std::string& dir, uint64_t seq);
  void finish(Pending& p);

  CommitterOptions opts;
  mutable std::mutex mu;
  std::condition_variable work_cv;  // queue has work, or stopping
  std::condition_variable dir_cv;   // a directory sync ended, or resumed
  std::deque<Pending> queue;
  std::map<std::string, DirState> dirs;
  size_t waiting_dir = 0;  // renamed, waiting for a directory sync
  unsigned idle = 0;
  bool paused;
  bool stopping = false;
  Stats stats;
  std::vector<std::thread> threads;
};

void SpoolCommitter::Impl::sync_loop() {
  std::unique_lock lock(mu);
  for (;;) {
    ++idle;
    work_cv.wait(lock, [this] { return stopping || !queue.empty(); });
    --idle;
    if (queue.empty()) return;
    Pending p = std::move(queue.front());
    queue.pop_front();
    lock.unlock();
    commit_one(p);
    finish(p);
    lock.lock();
  }
}

void SpoolCommitter::Impl::commit_one(Pending& p) {
  PreparedMessage& m = p.msg;
  std::string h = m.layout_.header_path(m.id_);
  std::string dir = m.layout_.input_dir(m.id_);
  if (opts.sync == SpoolSync::kFiles) {  // writeback (and block allocation) starts now
    sync_file_range(m.data_fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
    sync_file_range(m.header_fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
  }
  if (!spool_rename_new(spool_temp_path(h), h)) {
    p.error = sys_error("cannot rename to", h);
    return;
  }
  // Numbered once done: a directory sync that starts after this covers it.
  uint64_t seq;
  bool dir_sync;
  {
    std::lock_guard lock(mu);
    DirState& d = dirs[dir];
    if (!d.needs_sync)
      d.needs_sync = opts.dir_sync == DirSync::kAlways || !spool_fsync_covers_rename(dir);
    dir_sync = *d.needs_sync;
    seq = ++d.renamed;
  }
  sync_files(p, !dir_sync);
  if (!p.error && dir_sync) sync_dir(p, dir, seq);
  if (p.error) unlink(h.c_str());  // the -D file goes with the PreparedMessage
}

// `rename_too`: fsync rather than fdatasync the -H, so that its rename is made durable too;
// then the -H goes first: its rename came after the -D's blocks were allocated, so the journal
// commit that covers it covers those too, and the -D's own sync finds nothing left to commit.
void SpoolCommitter::Impl::sync_files(Pending& p, bool rename_too) {
  PreparedMessage& m = p.msg;
  if (opts.sync == SpoolSync::kNone) return;
  if (opts.sync == SpoolSync::kFilesystem) {
    if (syncfs(m.header_fd_) != 0) p.error = sys_error("syncfs failed on", m.layout_.directory);
    return;
  }
  auto sync_header = [&] {
    if ((rename_too ? fsync(m.header_fd_) : fdatasync(m.header_fd_)) == 0) return true;
    p.error = sys_error("fsync failed on", m.layout_.header_path(m.id_));
    return false;
  };
  if (rename_too && !sync_header()) return;
  if (fdatasync(m.data_fd_) != 0) {
    p.error = sys_error("fsync failed on", m.layout_.data_path(m.id_));
    return;
  }
  if (!rename_too) (void)sync_header();
}

// Waits until rename number `seq` of `dir` is durable, running the directory fsync when
// none is running (leader) — for every rename made so far.
void SpoolCommitter::Impl::sync_dir(Pending& p, const std::string& dir, uint64_t seq) {
  std::unique_lock lock(mu);
  DirState& d = dirs[dir];
  ++waiting_dir;
  while (d.synced < seq) {
    if (d.running || (paused && !stopping)) {
      dir_cv.wait(lock);
      continue;
    }
    d.running = true;
    uint64_t from = d.synced, upto = d.renamed;
    ++stats.batches;
    stats.messages += upto - from;
    stats.max_batch = std::max(stats.max_batch, upto - from);
    lock.unlock();
    bool ok = opts.sync == SpoolSync::kNone || spool_sync_dir(dir);
    std::string err = ok ? std::string() : sys_error("fsync failed on", dir).message;
    lock.lock();
    if (!ok) {
      d.failed.emplace_back(from, upto);
      d.error = err;
    }
    d.synced = upto;
    d.running = false;
    dir_cv.notify_all();
  }
  --waiting_dir;
  for (const auto& [after, upto] : d.failed)
    if (seq > after && seq <= upto) p.error = util::Error{d.error, {}};
}

void SpoolCommitter::Impl::finish(Pending& p) {
  PreparedMessage& m = p.msg;
  if (!p.error) {
    close(m.header_fd_);
    close(m.data_fd_);
    m.header_fd_ = m.data_fd_ = -1;  // committed: nothing left to discard
  } else {
    PreparedMessage gone = std::move(m);  // removes its files
  }
  if (!p.done) return;
  if (p.error)
    p.done(*p.error);
  else
    p.done(spool_ok());
}

SpoolCommitter::SpoolCommitter(CommitterOptions opts) : impl_(std::make_unique<Impl>(opts)) {}

SpoolCommitter::~SpoolCommitter() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->work_cv.notify_all();
  impl_->dir_cv.notify_all();
  for (auto& t : impl_->threads) t.join();
}

// A thread more when none is idle, up to sync_threads: a lone -bs session starts one.
void SpoolCommitter::submit(PreparedMessage&& msg, Done done) {
  {
    std::lock_guard lock(impl_->mu);
    impl_->queue.push_back({std::move(msg), std::move(done), std::nullopt});
    if (impl_->idle == 0 && impl_->threads.size() < std::max(1U, impl_->opts.sync_threads)) {
      impl_->threads.emplace_back([this] { impl_->sync_loop(); });
    }
  }
  impl_->work_cv.notify_one();
}

// On the caller's thread: the same steps as a sync thread's, grouped with theirs in the
// directory syncs and in the file system's journal commits.
SpoolStatus SpoolCommitter::commit(PreparedMessage&& msg) {
  Impl::Pending p{std::move(msg), nullptr, std::nullopt};
  impl_->commit_one(p);
  std::optional<util::Error> error = p.error;
  impl_->finish(p);
  if (error) return *error;
  return spool_ok();
}

size_t SpoolCommitter::ready() const {
  std::lock_guard lock(impl_->mu);
  return impl_->waiting_dir;
}

void SpoolCommitter::resume() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->paused = false;
  }
  impl_->dir_cv.notify_all();
}

SpoolCommitter::Stats SpoolCommitter::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->stats;
}

SpoolStatus spool_write_message(SpoolCommitter& committer, const SpoolLayout& layout,
                                const SpoolMessage& msg, std::string_view body) {
  auto data = SpoolData::create(layout, msg.id);
  if (!data) return data.error();
  auto wrote = data->write(body);
  if (!wrote) return wrote.error();
  auto prepared = spool_prepare(std::move(*data), msg);
  if (!prepared) return prepared.error();
  return committer.commit(std::move(*prepared));
}

}  // namespace engine
