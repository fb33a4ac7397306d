// transports/appendfile.h — internal to the appendfile transport (spec chapter 26): its
// options as read once from the configuration, and the pieces that appendfile.cpp puts
// together: appending to a mailbox file (appendfile_mbox.cpp), writing a new file in a
// directory, maildir or plain (appendfile_maildir.cpp), quotas and maildirsize
// (maildir_quota.h), and directory creation.
//
// All file operations of a delivery run under the recipient's file-system identity
// (util/fs_identity.h) when the process is root, so that permissions are checked as the user
// and what is created belongs to the user. Each function returns an AddressResult: Ok only
// after the data and the directory entry are synced (transport.h, "Durability").
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "lang/regex.h"
#include "transports/generic.h"
#include "transports/transport.h"

namespace transports::appendfile {

struct Options {
  GenericOptions generic;
  ProgramPtr file, directory, maildir_tag, quota, quota_warn_threshold, quota_warn_message;
  ProgramPtr quota_directory, quota_filecount, message_prefix, message_suffix;
  ProgramPtr directory_file, mailbox_size, mailbox_filecount, maildir_use_size_file;
  bool prefix_set = false, suffix_set = false;
  bool maildir_format = false, create_directory = true, check_owner = true, check_group = false;
  bool mode_fail_narrower = true, file_must_exist = false, allow_symlink = false,
       allow_fifo = false;
  bool quota_is_inclusive = true, use_bsmtp = false, use_crlf = false;
  bool use_size_file = false;  // maildir_use_size_file when not an expansion
  bool use_lockfile = true, use_fcntl_lock = true, use_flock_lock = false;
  bool check_string_set = false, escape_string_set = false;
  std::string check_string, escape_string, create_file = "anywhere";
  mode_t mode = 0600, directory_mode = 0700, lockfile_mode = 0600;
  int64_t lock_interval = 3, lock_retries = 10, lockfile_timeout = 1800;
  int64_t lock_fcntl_timeout = 0, lock_flock_timeout = 0;
  int maildir_retries = 10, batch_max = 1;
  std::shared_ptr<const lang::Regex> quota_size_regex, maildir_quota_directory_regex,
      maildirfolder_create_regex;
};

// What a delivery into one file or directory needs, worked out by appendfile.cpp.
struct Target {
  std::string path;        // the file, or the delivery directory
  bool directory = false;  // a new file in `path`
  bool maildir = false;
  int64_t quota = 0, quota_filecount = 0, warn_threshold = 0;
  bool quota_no_check = false;
  bool use_size_file = false;
  std::string quota_directory;
  int64_t mailbox_size = -1, mailbox_filecount = -1;  // from the options, when set
};

// The message as appendfile writes it.
struct Writing {
  const MessageSource* message = nullptr;
  HeaderEdits edits;
  WriteOptions write;
};

struct Context {
  const Options& opt;
  Expander& ex;
  const TransportServices& services;
  const Prepared& prep;
  Durability& durability;
};

AddressResult deliver_mbox(Context& c, const Target& t, const Writing& w);
AddressResult deliver_maildir(Context& c, const Target& t, const Writing& w);
AddressResult deliver_new_file(Context& c, const Target& t, const Writing& w);

// Creates the missing directories of `path` (itself included when `include_last`), each with
// `mode`, syncing each parent that got a new entry. Returns "" or Exim's error text.
std::string make_directories(const std::string& path, mode_t mode, bool include_last,
                             Durability& d);
// create_file (spec 26): may `path` be created? Returns "" or the reason it may not.
std::string check_create_file(const std::string& create_file, const std::string& home,
                              const std::string& path);
// The directory part of a path ("/a/b" for "/a/b/c").
std::string parent_of(const std::string& path);

// A sink that writes everything to `fd`, keeping the errno of a failed write in `err`.
Sink fd_sink(int fd, int& err);
// The size a quota counts for the message: its headers and body in the spool.
int64_t message_size(const Writing& w);

// The result for a write error (ENOSPC and EDQUOT are quota errors, spec 26 "quota").
AddressResult write_error(const std::string& what, int err);

// Sends the quota warning when a delivery crossed `threshold` (quota_warn_threshold).
void maybe_warn(Context& c, const Target& t, int64_t before, int64_t after);

}  // namespace transports::appendfile
