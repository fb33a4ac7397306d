// engine/spool_commit.cpp — group commit of prepared messages (SpoolCommitter, spool.h).
//
// Two stages. Sync threads take submitted messages one by one and fdatasync both files
// (writeback of both is started first, so that one journal commit covers both). The pass
// thread takes every synced message, renames each -H into place, fsyncs each directory
// once and acknowledges the batch. The stages overlap: while a pass waits for its directory
// fsync, the sync threads work on the next messages, and their fdatasyncs share journal
// commits with it. Batches grow with the load by themselves.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <set>
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

  explicit Impl(CommitterOptions o) : opts(o), paused(o.start_paused) {}

  void start_sync_threads();  // under mu, on the first submit
  void sync_loop();
  void pass_loop();
  bool pass_can_run() const;
  void pass(std::vector<Pending>& batch);
  void sync_filesystem(std::vector<Pending>& batch);
  void sync_files(Pending& p);
  void rename_header(Pending& p);
  void sync_dirs(std::vector<Pending>& batch);
  void finish(Pending& p);

  CommitterOptions opts;
  mutable std::mutex mu;
  std::condition_variable sync_cv;  // to_sync has work, or stopping
  std::condition_variable pass_cv;  // ready has work, resumed, or stopping
  std::deque<Pending> to_sync;      // submitted, files not yet synced
  std::vector<Pending> ready;       // synced (or failed), waiting for a pass
  size_t syncing = 0;               // in the hands of a sync thread
  bool paused;
  bool stopping = false;
  Stats stats;
  std::vector<std::thread> sync_threads;
  std::thread pass_thread{[this] { pass_loop(); }};  // last: starts after the rest exists
};

void SpoolCommitter::Impl::start_sync_threads() {
  if (!sync_threads.empty() || opts.sync != SpoolSync::kFiles) return;
  unsigned n = std::max(1U, opts.sync_threads);
  for (unsigned i = 0; i < n; ++i) sync_threads.emplace_back([this] { sync_loop(); });
}

void SpoolCommitter::Impl::sync_loop() {
  std::unique_lock lock(mu);
  for (;;) {
    sync_cv.wait(lock, [this] { return stopping || !to_sync.empty(); });
    if (to_sync.empty()) return;
    Pending p = std::move(to_sync.front());
    to_sync.pop_front();
    ++syncing;
    lock.unlock();
    sync_files(p);
    lock.lock();
    --syncing;
    ready.push_back(std::move(p));
    pass_cv.notify_one();
  }
}

bool SpoolCommitter::Impl::pass_can_run() const {
  if (stopping) return !ready.empty() || (to_sync.empty() && syncing == 0);
  return !paused && !ready.empty();
}

void SpoolCommitter::Impl::pass_loop() {
  std::unique_lock lock(mu);
  for (;;) {
    pass_cv.wait(lock, [this] { return pass_can_run(); });
    if (ready.empty()) return;  // stopping, and nothing is left anywhere
    size_t n = opts.max_batch == 0 ? ready.size() : std::min(ready.size(), opts.max_batch);
    std::vector<Pending> batch;
    std::move(ready.begin(), ready.begin() + static_cast<std::ptrdiff_t>(n),
              std::back_inserter(batch));
    ready.erase(ready.begin(), ready.begin() + static_cast<std::ptrdiff_t>(n));
    ++stats.batches;
    stats.messages += batch.size();
    stats.max_batch = std::max<uint64_t>(stats.max_batch, batch.size());
    lock.unlock();
    pass(batch);
    lock.lock();
  }
}

void SpoolCommitter::Impl::pass(std::vector<Pending>& batch) {
  if (opts.sync == SpoolSync::kFilesystem) sync_filesystem(batch);
  for (auto& p : batch)
    if (!p.error) rename_header(p);
  sync_dirs(batch);
  for (auto& p : batch) finish(p);
}

// One syncfs() for the whole batch: the data of every file is on disk before the renames.
void SpoolCommitter::Impl::sync_filesystem(std::vector<Pending>& batch) {
  if (batch.empty()) return;
  if (syncfs(batch.front().msg.header_fd_) == 0) return;
  util::Error e = sys_error("syncfs failed on", batch.front().msg.layout_.directory);
  for (auto& p : batch) p.error = e;
}

void SpoolCommitter::Impl::sync_files(Pending& p) {
  PreparedMessage& m = p.msg;
  // Start writing both, so that the first fdatasync() commits the allocations of both.
  sync_file_range(m.data_fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
  sync_file_range(m.header_fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
  if (fdatasync(m.data_fd_) != 0)
    p.error = sys_error("fsync failed on", m.layout_.data_path(m.id_));
  else if (fdatasync(m.header_fd_) != 0)
    p.error = sys_error("fsync failed on", spool_temp_path(m.layout_.header_path(m.id_)));
}

void SpoolCommitter::Impl::rename_header(Pending& p) {
  PreparedMessage& m = p.msg;
  std::string h = m.layout_.header_path(m.id_);
  if (!spool_rename_new(spool_temp_path(h), h)) p.error = sys_error("cannot rename to", h);
}

// One fsync per directory that received files; on failure the renamed files of that
// directory are taken out again, since their entries may not be durable.
void SpoolCommitter::Impl::sync_dirs(std::vector<Pending>& batch) {
  std::set<std::string> dirs;
  for (auto& p : batch)
    if (!p.error) dirs.insert(p.msg.layout_.input_dir(p.msg.id_));
  for (const auto& dir : dirs) {
    if (opts.sync == SpoolSync::kNone || spool_sync_dir(dir)) continue;
    util::Error e = sys_error("fsync failed on", dir);
    for (auto& p : batch) {
      if (p.error || p.msg.layout_.input_dir(p.msg.id_) != dir) continue;
      unlink(p.msg.layout_.header_path(p.msg.id_).c_str());
      p.error = e;  // the -D file goes with the PreparedMessage
    }
  }
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
  impl_->sync_cv.notify_all();
  impl_->pass_cv.notify_all();
  for (auto& t : impl_->sync_threads) t.join();
  {
    std::lock_guard lock(impl_->mu);  // the sync threads are gone: wake the pass to finish
  }
  impl_->pass_cv.notify_all();
  impl_->pass_thread.join();
}

void SpoolCommitter::submit(PreparedMessage&& msg, Done done) {
  std::lock_guard lock(impl_->mu);
  Impl::Pending p{std::move(msg), std::move(done), std::nullopt};
  if (impl_->opts.sync != SpoolSync::kFiles) {
    impl_->ready.push_back(std::move(p));
    impl_->pass_cv.notify_one();
    return;
  }
  impl_->start_sync_threads();
  impl_->to_sync.push_back(std::move(p));
  impl_->sync_cv.notify_one();
}

SpoolStatus SpoolCommitter::commit(PreparedMessage&& msg) {
  std::promise<SpoolStatus> result;
  auto fut = result.get_future();
  submit(std::move(msg), [&result](SpoolStatus s) { result.set_value(std::move(s)); });
  return fut.get();
}

size_t SpoolCommitter::ready() const {
  std::lock_guard lock(impl_->mu);
  return impl_->ready.size();
}

void SpoolCommitter::resume() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->paused = false;
  }
  impl_->pass_cv.notify_all();
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
