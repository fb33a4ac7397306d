// engine/log.h — Exim's log files (spec chapter 53, "Log files"): mainlog, rejectlog and
// paniclog, at the places log_file_path names, and/or syslog.
//
// log_file_path is a colon-separated list of at most two items: "syslog", or a path in which
// %s becomes "main", "reject" or "panic" (%D and %M become the date as yyyymmdd / yyyymm;
// the panic log is never datestamped: %D/%M and one neighbouring non-alphanumeric character
// are removed), or empty for $spool_directory/log/%slog.
//
// Every line is "YYYY-MM-DD HH:MM:SS[.mmm][ +zzzz][ [pid]] TEXT" (millisec and pid selectors,
// log_timezone), written with a single write() on a file opened O_APPEND, so lines from
// concurrent threads and processes never interleave. Before each write the path is checked,
// so a log renamed by a rotation script, or a new date for %D, opens a new file. Syslog gets
// the same text (without the time stamp when syslog_timestamp is false) at LOG_INFO, LOG_NOTICE
// or LOG_ALERT, split at newlines and after 870 characters with "[n/m] " / "[n\m] " prefixes.
//
// Failures: a log that cannot be opened is reported in the panic log; when the panic log
// cannot be written either, the line goes to syslog at LOG_CRIT. Writing never throws.
#pragma once

#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/config.h"
#include "engine/log_selector.h"
#include "lang/context.h"
#include "util/result.h"

namespace engine {

enum LogDest : unsigned {
  kLogMain = 1,
  kLogReject = 2,
  kLogPanic = 4,
};

struct LogConfig {
  std::vector<std::string> file_templates;  // paths containing %s (0, 1 or 2)
  bool to_syslog = false;
  LogSelector selector;
  bool log_timezone = false;
  bool write_rejectlog = true;
  bool syslog_timestamp = true;
  bool syslog_duplication = true;
  bool syslog_pid = true;
  int syslog_facility = 2 << 3;  // LOG_MAIL
  std::string syslog_processname = "facteur";
};

// Reads an (expanded) log_file_path value.
util::Result<LogConfig> log_config_parse(std::string_view log_file_path,
                                         std::string_view spool_directory);
// All the logging options of a configuration (log_file_path, log_selector, log_timezone,
// write_rejectlog, syslog_*).
util::Result<LogConfig> log_config_from_config(const config::Config& cfg, lang::EvalContext& ctx);

// A file name from a template: %s replaced by `which` ("main", "reject", "panic"), %D and %M
// by the date of `when` (local time), or removed for the panic log.
std::string log_file_name(std::string_view tmpl, std::string_view which, std::time_t when);

class Logger {
 public:
  using Clock = std::function<timespec()>;
  using SyslogSink = std::function<void(int priority, std::string_view line)>;
  // `clock` defaults to CLOCK_REALTIME, `sink` to syslog(3).
  explicit Logger(LogConfig cfg, Clock clock = {}, SyslogSink sink = {});
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // Writes `text` (which may contain newlines, for rejectlog headers) to each log in `dests`.
  void write(unsigned dests, std::string_view text);
  void mainlog(std::string_view text) { write(kLogMain, text); }
  void rejectlog(std::string_view text) { write(kLogReject, text); }
  void paniclog(std::string_view text) { write(kLogPanic, text); }
  // Appends a stamped line to a per-message log (msglog/ID), creating it when needed.
  bool msglog(const std::string& path, std::string_view text);

  // "2026-11-24 06:40:00" with the configured additions, and a trailing space. Message logs
  // have no pid.
  std::string stamp(const timespec& now, bool with_pid = true) const;
  const LogConfig& config() const { return cfg_; }

 private:
  struct OpenFile {
    int fd = -1;
    std::string path;
  };
  bool write_file(unsigned dest, const std::string& line, std::time_t now, std::string& path);
  int open_log(unsigned dest, std::time_t now, std::string& path);
  void to_syslog(unsigned dests, std::string_view text, std::string_view stamped);

  LogConfig cfg_;
  Clock clock_;
  SyslogSink sink_;
  std::mutex mu_;
  OpenFile files_[3];
};

}  // namespace engine
