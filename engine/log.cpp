#include "engine/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

#include "engine/config/main_options.h"
#include "engine/spool_config.h"
#include "engine/spool_io.h"
#include "engine/variables.h"
#include "util/strings.h"

namespace engine {

namespace {

constexpr std::string_view kWhich[] = {"main", "reject", "panic"};
constexpr size_t kSyslogChunk = 870;

size_t dest_index(unsigned dest) {
  return dest == kLogMain ? 0 : dest == kLogReject ? 1 : 2;
}

int open_append(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd >= 0 || errno != ENOENT) return fd;
  std::string dir = path.substr(0, path.rfind('/'));
  if (dir.empty() || (mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST)) return -1;
  return open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

// Whether `fd` is still the file at `path` (not renamed away by a rotation).
bool same_file(int fd, const std::string& path) {
  struct stat a {
  }, b{};
  return fstat(fd, &a) == 0 && stat(path.c_str(), &b) == 0 && a.st_ino == b.st_ino &&
         a.st_dev == b.st_dev;
}

void default_sink(const LogConfig& cfg, int priority, std::string_view line) {
  static std::once_flag once;
  static std::string name;  // openlog() keeps the pointer
  std::call_once(once, [&] {
    name = cfg.syslog_processname;
    openlog(name.c_str(), (cfg.syslog_pid ? LOG_PID : 0) | LOG_CONS, cfg.syslog_facility);
  });
  syslog(priority, "%.*s", static_cast<int>(line.size()), line.data());
}

int facility_code(std::string_view name) {
  static const std::pair<std::string_view, int> kFacilities[] = {
      {"mail", LOG_MAIL},     {"user", LOG_USER},     {"news", LOG_NEWS},
      {"uucp", LOG_UUCP},     {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},
      {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},
      {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
      {"daemon", LOG_DAEMON},
  };
  for (auto& [n, code] : kFacilities)
    if (util::iequals(n, name)) return code;
  return -1;
}

}  // namespace

util::Result<LogConfig> log_config_parse(std::string_view log_file_path,
                                         std::string_view spool_directory) {
  LogConfig cfg;
  std::vector<std::string> items;
  size_t start = 0;
  for (;;) {
    size_t colon = log_file_path.find(':', start);
    items.emplace_back(util::trim(log_file_path.substr(start, colon - start)));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (items.size() > 2) items.resize(1);  // Exim uses the first when there are more than two
  for (const auto& item : items) {
    if (item == "syslog") {
      cfg.to_syslog = true;
      continue;
    }
    std::string path = item.empty() ? std::string(spool_directory) + "/log/%slog" : item;
    if (path.find("%s") == std::string::npos || path[0] != '/')
      return util::Error{"log_file_path \"" + path + "\" must be an absolute path containing %s",
                         {}};
    cfg.file_templates.push_back(path);
  }
  return cfg;
}

util::Result<LogConfig> log_config_from_config(const config::Config& cfg, lang::EvalContext& ctx) {
  auto spool = main_option_expanded(cfg, ctx, "spool_directory", "/var/spool/facteur");
  if (!spool) return spool.error();
  auto path = main_option_expanded(cfg, ctx, "log_file_path", "/var/log/facteur/%slog");
  if (!path) return path.error();
  auto lc = log_config_parse(*path, *spool);
  if (!lc) return lc.error();
  auto sel = log_selector_parse(main_option(&cfg, "log_selector"));
  if (!sel) return sel.error();
  lc->selector = *sel;
  lc->log_timezone = config::main_bool(cfg, "log_timezone");
  lc->write_rejectlog = config::main_bool(cfg, "write_rejectlog");
  lc->syslog_timestamp = config::main_bool(cfg, "syslog_timestamp");
  lc->syslog_duplication = config::main_bool(cfg, "syslog_duplication");
  lc->syslog_pid = config::main_bool(cfg, "syslog_pid");
  lc->syslog_processname = main_option(&cfg, "syslog_processname", "facteur");
  std::string fac = main_option(&cfg, "syslog_facility");
  if (!fac.empty()) {
    int code = facility_code(util::starts_with_ci(fac, "log_") ? fac.substr(4) : fac);
    if (code < 0) return util::Error{"failed to interpret syslog_facility \"" + fac + "\"", {}};
    lc->syslog_facility = code;
  }
  return lc;
}

std::string log_file_name(std::string_view tmpl, std::string_view which, std::time_t when) {
  bool panic = which == "panic";
  std::tm tm{};
  localtime_r(&when, &tm);
  char date[16];
  std::string out;
  bool drop_next = false;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    char c = tmpl[i];
    if (drop_next && !std::isalnum(static_cast<unsigned char>(c))) {
      drop_next = false;
      continue;
    }
    drop_next = false;
    char next = i + 1 < tmpl.size() ? tmpl[i + 1] : '\0';
    if (c != '%' || (next != 's' && next != 'D' && next != 'M' && next != '%')) {
      out += c;
      continue;
    }
    ++i;
    if (next == 's')
      out += which;
    else if (next == '%')
      out += '%';
    else if (!panic) {
      std::strftime(date, sizeof date, next == 'D' ? "%Y%m%d" : "%Y%m", &tm);
      out += date;
    } else if (!out.empty() && out.back() == '/')
      drop_next = true;
    else if (!out.empty() && !std::isalnum(static_cast<unsigned char>(out.back())))
      out.pop_back();
  }
  return out;
}

Logger::Logger(LogConfig cfg, Clock clock, SyslogSink sink)
    : cfg_(std::move(cfg)), clock_(std::move(clock)), sink_(std::move(sink)) {
  if (!clock_)
    clock_ = [] {
      timespec ts{};
      clock_gettime(CLOCK_REALTIME, &ts);
      return ts;
    };
  if (!sink_) sink_ = [this](int p, std::string_view l) { default_sink(cfg_, p, l); };
}

Logger::~Logger() {
  for (auto& f : files_)
    if (f.fd >= 0) close(f.fd);
}

std::string Logger::stamp(const timespec& now, bool with_pid) const {
  std::tm tm{};
  localtime_r(&now.tv_sec, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  std::string out(buf, n);
  if (cfg_.selector.on(LogItem::Millisec)) {
    std::snprintf(buf, sizeof buf, ".%03ld", now.tv_nsec / 1000000);
    out += buf;
  }
  if (cfg_.log_timezone) {
    long off = tm.tm_gmtoff / 60;
    std::snprintf(buf, sizeof buf, " %c%02ld%02ld", off < 0 ? '-' : '+', labs(off) / 60,
                  labs(off) % 60);
    out += buf;
  }
  if (with_pid && cfg_.selector.on(LogItem::Pid)) out += " [" + std::to_string(getpid()) + "]";
  return out + " ";
}

void Logger::write(unsigned dests, std::string_view text) {
  if (!cfg_.write_rejectlog) dests &= ~static_cast<unsigned>(kLogReject);
  if (text.ends_with('\n')) text.remove_suffix(1);
  timespec now = clock_();
  std::string line = stamp(now) + std::string(text) + "\n";
  for (unsigned d : {kLogMain, kLogReject, kLogPanic}) {
    if ((dests & d) == 0 || cfg_.file_templates.empty()) continue;
    std::string path;
    if (write_file(d, line, now.tv_sec, path)) continue;
    std::string what = "Cannot open " + std::string(kWhich[dest_index(d)]) + " log file \"" + path +
                       "\": " + util::errno_text(errno);
    std::string ignored;
    if (d == kLogPanic || !write_file(kLogPanic, stamp(now) + what + "\n", now.tv_sec, ignored))
      sink_(LOG_CRIT, what + ": " + std::string(text));
  }
  if (cfg_.to_syslog && dests != 0) to_syslog(dests, text, line.substr(0, line.size() - 1));
}

bool Logger::write_file(unsigned dest, const std::string& line, std::time_t now,
                        std::string& path) {
  std::lock_guard lock(mu_);
  int fd = open_log(dest, now, path);
  return fd >= 0 && spool_write_all(fd, line);
}

// Under mu_: the open file for `dest`, reopened when the name changed or the file was moved.
int Logger::open_log(unsigned dest, std::time_t now, std::string& path) {
  OpenFile& f = files_[dest_index(dest)];
  path = log_file_name(cfg_.file_templates[0], kWhich[dest_index(dest)], now);
  if (f.fd >= 0 && f.path == path && same_file(f.fd, path)) return f.fd;
  if (f.fd >= 0) close(f.fd);
  f.fd = open_append(path);
  f.path = path;
  return f.fd;
}

void Logger::to_syslog(unsigned dests, std::string_view text, std::string_view stamped) {
  std::string_view body = cfg_.syslog_timestamp ? stamped : text;
  std::vector<std::pair<std::string_view, char>> parts;  // chunk, delimiter
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t nl = body.find('\n', pos);
    std::string_view l = body.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    while (l.size() > kSyslogChunk) {
      parts.emplace_back(l.substr(0, kSyslogChunk), '/');
      l.remove_prefix(kSyslogChunk);
    }
    parts.emplace_back(l, nl == std::string_view::npos ? '/' : '\\');
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  std::vector<int> prios;
  if (dests & kLogPanic) prios.push_back(LOG_ALERT);
  if (dests & kLogReject) prios.push_back(LOG_NOTICE);
  if (dests & kLogMain) prios.push_back(LOG_INFO);
  if (!cfg_.syslog_duplication) prios.resize(1);
  for (int prio : prios) {
    if (parts.size() == 1) {
      sink_(prio, parts[0].first);
      continue;
    }
    for (size_t i = 0; i < parts.size(); ++i)
      sink_(prio, "[" + std::to_string(i + 1) + parts[i].second + std::to_string(parts.size()) +
                      "] " + std::string(parts[i].first));
  }
}

bool Logger::msglog(const std::string& path, std::string_view text) {
  timespec now = clock_();
  std::string line = stamp(now, false) + std::string(text) + "\n";
  int fd = open_append(path);
  if (fd < 0) return false;
  bool ok = spool_write_all(fd, line);
  close(fd);
  return ok;
}

}  // namespace engine
