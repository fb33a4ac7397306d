// engine/spool.h — Exim's spool on disk (spec chapter 57, "Format of spool files"): the
// input/ directory with ID-D (data) and ID-H (envelope and headers) files, the input/X/
// subdirectories of split_spool_directory (X = sixth character of the id), and msglog/.
//
// Receiving a message, as the SMTP session does it:
//   auto d = SpoolData::create(layout, id);        // input/ID-D, locked, "ID-D" line
//   d->write(body_bytes) ...                        // Unix line ends, no dot-stuffing
//   auto p = spool_prepare(std::move(*d), msg);     // writes input/ID-H.tmp
//   committer.commit(std::move(*p))                 // or submit(..., callback)
// commit() returns only when both files are fsynced, ID-H.tmp is renamed to ID-H, and the
// directory is fsynced: then, and only then, may the 250 be sent. A SpoolData or
// PreparedMessage destroyed before the commit removes its files. As in Exim, the -D file is
// written under its own name (locked while it is written): without its -H it is not a
// message, and start-up recovery removes it.
//
// Group commit: SpoolCommitter commits each message on one of its sync threads: fdatasync()
// of both files (concurrent calls share the file system's journal commits and disk cache
// flushes), rename of -H into place, then a directory fsync shared with every other message
// renamed in that directory by then (the first thread to need one runs it for all; those
// that come later wait for the next). A message never waits for a batch it is not in, and
// under load one directory fsync covers many messages. With one message at a time this is
// Exim's sequence. A message whose own fsync fails is failed alone.
//
// Crash safety: a message is in the queue when input/ID-H exists; -H is renamed into place
// only after both files are fsynced, so ID-H never exists without a complete ID-D once the
// directory fsync returned. spool_recover() (start-up) removes temporary files and -D files
// without a -H, skipping any whose -D file is locked (a writer or a delivery in progress, in
// this process or another; the lock is an fcntl lock, which Exim's own processes respect).
//
// Errors: every failure is an util::Error naming the file and the system error; nothing
// throws. Files are created mode 0640.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/spool_format.h"
#include "util/result.h"

namespace engine {

using SpoolStatus = util::Result<std::monostate>;
inline SpoolStatus spool_ok() {
  return std::monostate{};
}

struct SpoolLayout {
  std::string directory;  // spool_directory
  bool split = false;     // split_spool_directory

  // "input" or "input/X" (relative), then the absolute forms.
  std::string subdir(std::string_view id) const;
  std::string input_dir(std::string_view id) const;
  std::string data_path(std::string_view id) const;
  std::string header_path(std::string_view id) const;
  std::string msglog_path(std::string_view id) const;
};

// Creates spool_directory, input/ and msglog/ (mode 0750) when missing.
SpoolStatus spool_make_dirs(const SpoolLayout& layout);

// The -D file of a message being received: a locked temporary file that the body is appended
// to (buffered). Counts the body's lines and NUL bytes for -body_linecount/-body_zerocount.
class SpoolData {
 public:
  static util::Result<SpoolData> create(const SpoolLayout& layout, std::string id);
  SpoolData(SpoolData&&) noexcept;
  SpoolData& operator=(SpoolData&&) noexcept;
  ~SpoolData();

  SpoolStatus write(std::string_view bytes);
  SpoolStatus flush();
  int64_t body_size() const { return size_; }
  int64_t body_lines() const { return lines_; }
  int64_t body_zeros() const { return zeros_; }
  const std::string& id() const { return id_; }
  const SpoolLayout& layout() const { return layout_; }
  // Releases the open file to the caller (spool_prepare); the object then owns nothing.
  int release_fd();

 private:
  SpoolData() = default;
  void discard();
  SpoolStatus write_out(std::string_view bytes);  // to the file, now

  SpoolLayout layout_;
  std::string id_;
  int fd_ = -1;
  std::string buf_;
  int64_t size_ = 0, lines_ = 0, zeros_ = 0;
};

// Both files of a message written to temporary names, not yet durable.
class PreparedMessage {
 public:
  PreparedMessage(PreparedMessage&&) noexcept;
  PreparedMessage& operator=(PreparedMessage&&) noexcept;
  ~PreparedMessage();
  const std::string& id() const { return id_; }

 private:
  friend util::Result<PreparedMessage> spool_prepare(SpoolData&& data, const SpoolMessage& msg);
  friend class SpoolCommitter;
  PreparedMessage() = default;
  void discard();

  SpoolLayout layout_;
  std::string id_;
  int data_fd_ = -1, header_fd_ = -1;
};

// Writes msg's -H text to the temporary header file (msg.id must equal data.id()).
util::Result<PreparedMessage> spool_prepare(SpoolData&& data, const SpoolMessage& msg);

enum class SpoolSync {
  // fdatasync() of each message's files, from several threads at once so that the kernel
  // merges their journal commits and disk cache flushes; shared directory fsyncs.
  kFiles,
  // syncfs() of the spool's file system instead of the fdatasyncs: it also writes out any
  // other dirty data of that file system (only sensible on a file system of its own).
  kFilesystem,
  // No fsync at all: only for tests and benchmarks of the rest.
  kNone,
};

enum class DirSync {
  kAuto,    // only where fsync of the renamed -H does not already cover the rename
  kAlways,  // every rename is followed by a (shared) fsync of its directory
};

struct CommitterOptions {
  size_t max_batch = 256;  // messages per pass
  SpoolSync sync = SpoolSync::kFiles;
  unsigned sync_threads = 32;  // messages committed at the same time (threads start as needed)
  bool start_paused = false;   // tests: no directory sync runs before resume()
  DirSync dir_sync = DirSync::kAuto;
};

class SpoolCommitter {
 public:
  explicit SpoolCommitter(CommitterOptions opts = {});
  ~SpoolCommitter();  // commits what is pending, then stops the threads
  SpoolCommitter(const SpoolCommitter&) = delete;
  SpoolCommitter& operator=(const SpoolCommitter&) = delete;

  using Done = std::function<void(SpoolStatus)>;
  // Queues the message; `done` is called from a sync thread once the message is durable (or
  // failed). It must not block for long.
  void submit(PreparedMessage&& msg, Done done);
  // Makes the message durable on the calling thread, then returns.
  SpoolStatus commit(PreparedMessage&& msg);

  // Tests: the messages renamed into place that wait for a directory sync; and letting the
  // directory syncs run after start_paused.
  size_t ready() const;
  void resume();

  // A batch is one directory sync and the messages it covers, counted when it starts (before
  // they are acknowledged).
  struct Stats {
    uint64_t batches = 0, messages = 0, max_batch = 0;
  };
  Stats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes a complete message at once (SpoolData + spool_prepare + commit): for local
// submissions, tools and tests.
SpoolStatus spool_write_message(SpoolCommitter& committer, const SpoolLayout& layout,
                                const SpoolMessage& msg, std::string_view body);

struct RecoveryReport {
  std::vector<std::string> removed;  // paths
  std::vector<std::string> skipped;  // locked, left alone
};
// Start-up clean-up of input/ (and its split subdirectories); see the header comment.
util::Result<RecoveryReport> spool_recover(const SpoolLayout& layout);

// Ids that have a -H file, sorted (base-62 ids sort in arrival order).
std::vector<std::string> spool_list_ids(const SpoolLayout& layout);
// Reads and parses ID-H (at most 64 MiB).
util::Result<SpoolMessage> spool_read_header(const SpoolLayout& layout, std::string_view id);
// The same for listings: what could be read of a missing or damaged file.
struct SpoolHeaderRead {
  SpoolMessage msg;  // as far as it could be read
  int64_t file_size = 0;
  int read_errno = 0;        // non-zero when the file could not be read
  std::string error;         // "" when the file was read and parsed completely
  bool envelope_ok = false;  // sender, variables and recipients were read
};
SpoolHeaderRead spool_read_header_partial(const SpoolLayout& layout, std::string_view id);
// Process-wide counts of spool directory listings and -H file reads since start-up, for the
// tests that check a queue run's work per message stays constant (no rescans, no re-reads).
struct SpoolScanCounts {
  uint64_t dir_scans = 0, header_reads = 0;
};
SpoolScanCounts spool_scan_counts();
// The size of the body in the -D file (without its "ID-D" line), or -1.
int64_t spool_data_size(const SpoolLayout& layout, std::string_view id);

}  // namespace engine
