// engine/spool_update.h — changing a message that is on the spool: the lock that makes one
// process its only user, rewriting its -H file, its -J journal, and removing it (spec chapter
// 57, "Format of spool files": the -D lock, the -J file).
//
// The lock is Exim's: an fcntl write lock on the whole ID-D file, held while a delivery or a
// -M command works on the message; Exim's own processes respect it and so do ours. The -J
// journal holds one address a line: those delivered (or failed and bounced) during the
// current attempt, each appended as soon as its outcome is durable. After a crash the next
// attempt folds the journal into the -H file's delivered list before doing anything else,
// so an address is never delivered twice unless the crash fell between its delivery and its
// journal line. -H is rewritten as ID-H.tmp and renamed over ID-H, so it is always whole.
//
// Errors: util::Error with the file and the system error ("Spool file is locked (another
// process is handling this message)" for a lock held elsewhere, Exim's text).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/spool.h"

namespace engine {

class SpoolLock {
 public:
  enum class Failure : unsigned char { None, Missing, Locked, Error };
  // Opens and locks ID-D without waiting. On failure `why` says which kind it was.
  static util::Result<SpoolLock> acquire(const SpoolLayout& layout, std::string_view id,
                                         Failure* why = nullptr);
  SpoolLock(SpoolLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  SpoolLock& operator=(SpoolLock&& o) noexcept;
  ~SpoolLock();
  int fd() const { return fd_; }

 private:
  explicit SpoolLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

std::string spool_journal_path(const SpoolLayout& layout, std::string_view id);

// Writes msg as ID-H (via ID-H.tmp and a rename); with `sync` the new file is fdatasynced
// before the rename.
SpoolStatus spool_rewrite_header(const SpoolLayout& layout, const SpoolMessage& msg, bool sync);

// The addresses of an existing -J file (empty when there is none).
std::vector<std::string> spool_journal_read(const SpoolLayout& layout, std::string_view id);

// Appends delivered addresses to ID-J, creating it when needed. With `sync` each append is
// fdatasynced (what protects against power loss, not only against a killed process).
class SpoolJournal {
 public:
  SpoolJournal(const SpoolLayout& layout, std::string id, bool sync)
      : path_(spool_journal_path(layout, id)), sync_(sync) {}
  SpoolJournal(const SpoolJournal&) = delete;
  SpoolJournal& operator=(const SpoolJournal&) = delete;
  ~SpoolJournal();
  SpoolStatus append(const std::vector<std::string>& addresses);
  bool exists() const { return fd_ >= 0; }
  // Closes and removes the file.
  void remove();

 private:
  std::string path_;
  bool sync_;
  int fd_ = -1;
};

// Adds the journal's addresses to msg's delivered list; true when there were any.
bool spool_journal_apply(const std::vector<std::string>& journal, SpoolMessage& msg);

// Removes ID-H first (the message leaves the queue), then ID-D, ID-J and msglog/ID.
SpoolStatus spool_remove_message(const SpoolLayout& layout, std::string_view id);

}  // namespace engine
