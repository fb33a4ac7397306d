// engine/spool_commit.cpp — group commit of prepared messages (SpoolCommitter, spool.h).
//
// One pass over a batch: fdatasync every file (the first call commits the file system's
// journal for the whole batch, so the others find little left to do), rename each -D then
// -H into place, fsync each directory once, then acknowledge. Messages submitted while a
// pass runs wait for the next one, so the batch grows with the load by itself.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
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

  explicit Impl(CommitterOptions o) : opts(o), thread([this] { run(); }) {}

  void run();
  void pass(std::vector<Pending>& batch);
  void sync_all_files(std::vector<Pending>& batch);
  void sync_filesystem(std::vector<Pending>& batch);
  void sync_files(Pending& p);
  void rename_files(Pending& p);
  void sync_dirs(std::vector<Pending>& batch);
  void finish(Pending& p);

  CommitterOptions opts;
  mutable std::mutex mu;
  std::condition_variable cv;
  std::vector<Pending> queue;
  bool stopping = false;
  Stats stats;
  std::thread thread;  // last: starts after the members above exist
};

void SpoolCommitter::Impl::run() {
  std::unique_lock lock(mu);
  for (;;) {
    cv.wait(lock, [this] { return stopping || !queue.empty(); });
    if (queue.empty()) return;
    std::vector<Pending> batch;
    size_t n = std::min(queue.size(), opts.max_batch == 0 ? queue.size() : opts.max_batch);
    std::move(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n),
              std::back_inserter(batch));
    queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();
    pass(batch);
    lock.lock();
    ++stats.batches;
    stats.messages += batch.size();
    stats.max_batch = std::max<uint64_t>(stats.max_batch, batch.size());
  }
}

void SpoolCommitter::Impl::pass(std::vector<Pending>& batch) {
  if (opts.sync == SpoolSync::kFiles) sync_all_files(batch);
  if (opts.sync == SpoolSync::kFilesystem) sync_filesystem(batch);
  for (auto& p : batch)
    if (!p.error) rename_files(p);
  sync_dirs(batch);
  for (auto& p : batch) finish(p);
}

// fdatasync() of every file of the batch, from up to sync_threads threads at once.
void SpoolCommitter::Impl::sync_all_files(std::vector<Pending>& batch) {
  size_t n = std::min<size_t>(std::max(1U, opts.sync_threads), batch.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < batch.size(); i = next.fetch_add(1))
      sync_files(batch[i]);
  };
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < n; ++t) helpers.emplace_back(work);
  work();
  for (auto& t : helpers) t.join();
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
  if (fdatasync(m.data_fd_) != 0)
    p.error = sys_error("fsync failed on", spool_temp_path(m.layout_.data_path(m.id_)));
  else if (fdatasync(m.header_fd_) != 0)
    p.error = sys_error("fsync failed on", spool_temp_path(m.layout_.header_path(m.id_)));
}

void SpoolCommitter::Impl::rename_files(Pending& p) {
  PreparedMessage& m = p.msg;
  std::string d = m.layout_.data_path(m.id_), h = m.layout_.header_path(m.id_);
  if (!spool_rename_new(spool_temp_path(d), d)) {
    p.error = sys_error("cannot rename to", d);
    return;
  }
  if (!spool_rename_new(spool_temp_path(h), h)) {
    p.error = sys_error("cannot rename to", h);
    if (rename(d.c_str(), spool_temp_path(d).c_str()) != 0) unlink(d.c_str());
  }
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
      unlink(p.msg.layout_.data_path(p.msg.id_).c_str());
      p.error = e;
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
    PreparedMessage gone = std::move(m);  // removes the temporary files
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
  impl_->cv.notify_one();
  impl_->thread.join();
}

void SpoolCommitter::submit(PreparedMessage&& msg, Done done) {
  {
    std::lock_guard lock(impl_->mu);
    impl_->queue.push_back({std::move(msg), std::move(done), std::nullopt});
  }
  impl_->cv.notify_one();
}

SpoolStatus SpoolCommitter::commit(PreparedMessage&& msg) {
  std::promise<SpoolStatus> result;
  auto fut = result.get_future();
  submit(std::move(msg), [&result](SpoolStatus s) { result.set_value(std::move(s)); });
  return fut.get();
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
