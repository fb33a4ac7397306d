#include "engine/variables.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace engine {
namespace {

std::string fmt_time(const char* f, std::time_t t, bool utc = false) {
  std::tm tm{};
  if (utc)
    gmtime_r(&t, &tm);
  else
    localtime_r(&t, &tm);
  char buf[128];
  size_t n = std::strftime(buf, sizeof buf, f, &tm);
  return std::string(buf, n);
}

std::string tz_offset(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  long off = tm.tm_gmtoff;
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%c%02ld%02ld", sign, (off / 3600) % 100, (off % 3600) / 60);
  return buf;
}

// Variables that are "0" rather than empty when no message is being handled.
constexpr const char* kZeroes[] = {
    "body_linecount",       "body_zerocount",    "message_linecount", "message_size",
    "rcpt_count",           "received_count",    "recipients_count",  "max_received_linelength",
    "rcpt_defer_count",     "rcpt_fail_count",   "message_body_size", "message_age",
    "host_lookup_deferred", "host_lookup_failed"};

}  // namespace

std::string main_option(const config::Config* cfg, std::string_view name, std::string dflt) {
  if (!cfg) return dflt;
  const config::Setting* s = cfg->find_main(name);
  return s ? s->value : dflt;
}

std::string primary_hostname(const config::Config* cfg) {
  std::string h = main_option(cfg, "primary_hostname");
  if (!h.empty()) return h;
  struct utsname u {};
  if (uname(&u) == 0) return u.nodename;
  return "localhost";
}

Variables::Variables(const config::Config* cfg)
    : cfg_(cfg),
      primary_hostname_(primary_hostname(cfg)),
      qualify_domain_(main_option(cfg, "qualify_domain", primary_hostname_)),
      qualify_recipient_(main_option(cfg, "qualify_recipient", qualify_domain_)) {}

void Variables::unset(std::string_view name) {
  auto it = values_.find(name);
  if (it != values_.end()) values_.erase(it);
}

bool Variables::get(std::string_view name, std::string& out) const {
  auto it = values_.find(name);
  if (it != values_.end()) {
    out = it->second;
    return true;
  }
  return computed(name, out);
}

bool Variables::computed(std::string_view n, std::string& out) const {
  std::time_t now = std::time(nullptr);
  if (n == "primary_hostname" || n == "smtp_active_hostname") {
    out = primary_hostname_;
  } else if (n == "qualify_domain") {
    out = qualify_domain_;
  } else if (n == "qualify_recipient") {
    out = qualify_recipient_;
  } else if (n == "config_file") {
    out = cfg_ ? cfg_->path : "";
  } else if (n == "config_dir") {
    out = cfg_ ? cfg_->path.substr(0, cfg_->path.rfind('/')) : "";
  } else if (n == "spool_directory") {
    out = main_option(cfg_, "spool_directory", "/var/spool/facteur");
  } else if (n == "exim_path") {
    char buf[4096];
    ssize_t k = readlink("/proc/self/exe", buf, sizeof buf - 1);
    out = k > 0 ? std::string(buf, static_cast<size_t>(k)) : "facteur";
  } else if (n == "pid") {
    out = std::to_string(getpid());
  } else if (n == "caller_uid" || n == "originator_uid") {
    out = std::to_string(getuid());
  } else if (n == "caller_gid" || n == "originator_gid") {
    out = std::to_string(getgid());
  } else if (n == "exim_uid") {
    out = main_option(cfg_, "exim_user", std::to_string(geteuid()));
  } else if (n == "exim_gid") {
    out = main_option(cfg_, "exim_group", std::to_string(getegid()));
  } else if (n == "version_number" || n == "exim_version") {
    out = "4.96";
  } else if (n == "compile_number") {
    out = "1";
  } else if (n == "interface_port") {
    out = "-1";
  } else if (n == "tod_log") {
    out = fmt_time("%Y-%m-%d %H:%M:%S", now);
  } else if (n == "tod_logfile") {
    out = fmt_time("%Y%m%d", now);
  } else if (n == "tod_epoch") {
    out = std::to_string(now);
  } else if (n == "tod_epoch_l") {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    out = std::to_string(us);
  } else if (n == "tod_zone") {
    out = tz_offset(now);
  } else if (n == "tod_zulu") {
    out = fmt_time("%Y%m%d%H%M%SZ", now, true);
  } else if (n == "tod_full") {
    out = fmt_time("%a, %d %b %Y %H:%M:%S ", now) + tz_offset(now);  // Exim: "Wed, 02 Dec"
  } else if (n == "tod_bsdinbox") {
    out = fmt_time("%a %b %d %H:%M:%S %Y", now);  // Exim: "Wed Dec 02 ..."
  } else {
    for (const char* z : kZeroes) {
      if (n == z) {
        out = "0";
        return true;
      }
    }
    return false;
  }
  return true;
}

}  // namespace engine
