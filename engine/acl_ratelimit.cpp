// engine/acl_ratelimit.cpp — the ratelimit ACL condition (spec chapter 44, sections 39-44):
// `ratelimit = m / p / options / key` is true when the client's smoothed rate of events over
// period p has reached m.
//
// Options: per_mail (the default), per_conn, per_byte (count = $message_size; stored under
// the per_mail key, as Exim does), per_rcpt (one per RCPT in the RCPT ACL, the recipient
// count elsewhere), per_addr (= per_rcpt/unique=$local_part@$domain), per_cmd; leaky (the
// default: the rate is not recorded when it is over the limit), strict, readonly (noupdate);
// unique=VALUE (each distinct value counts once a period); count=N. Anything else starts the
// key (default $sender_host_address). A per_* option used in an ACL where it makes no sense
// forces readonly, and is an error with strict or leaky (Exim's texts).
//
// The rate is an exponentially smoothed average: after an interval i since the last update,
// with a = exp(-i/p), rate = (1 - a) * count / (i/p) + a * old rate, so a burst adds up
// (1, 2, 3 ...) and the rate decays over a few periods. Rates live in the hints database
// spool_directory/db/ratelimit (engine/hints_db.h) under "p/mode[/unique]/key", so they survive
// the process and are shared by every process and thread; the unique= values of a key are kept
// as 64-bit hashes (a set thrown away after a period, or when it grows past a bound, as Exim
// throws away an over-full Bloom filter). Within a session a rate is computed once a connection
// (per_conn), once a message (per_mail, per_byte) or once a command (per_rcpt, per_cmd), as in
// Exim.
//
// Sets $sender_rate ("%.1f"), $sender_rate_limit and $sender_rate_period. Errors: a malformed
// value is an ACL error ("error in arguments to "ratelimit" condition: ..."); a database that
// cannot be opened makes the condition defer ("ratelimit database not available").
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>

#include "engine/acl.h"
#include "engine/acl_session.h"
#include "engine/hints_db.h"
#include "util/hash.h"
#include "util/strings.h"

namespace engine::acl {
namespace {

enum class Mode : unsigned char { PerMail, PerConn, PerByte, PerRcpt, PerCmd };
enum class Update : unsigned char { Leaky, Strict, Readonly };

struct Spec {
  double limit = 0, period = 0, count = 1;
  std::string period_text, key, unique, mode_text;
  Mode mode = Mode::PerMail;
  bool mode_given = false, per_addr = false, has_unique = false, count_given = false;
  Update update = Update::Leaky;
  bool update_given = false;
};

constexpr size_t kMaxUnique = 4096;  // hashes kept per key before the set is thrown away

// 30s, 5m, 1h, 2d, 1w, combined ("1h30m"); plain numbers are seconds.
bool parse_period(std::string_view v, double& secs) {
  secs = 0;
  if (v.empty()) return false;
  while (!v.empty()) {
    size_t i = 0;
    double n = 0;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') n = n * 10 + (v[i++] - '0');
    if (i == 0) return false;
    double mult = 1;
    if (i < v.size()) {
      char u = v[i++];
      mult = u == 's'   ? 1
             : u == 'm' ? 60
             : u == 'h' ? 3600
             : u == 'd' ? 86400
             : u == 'w' ? 604800
                        : 0;
      if (mult == 0) return false;
    }
    secs += n * mult;
    v.remove_prefix(i);
  }
  return secs > 0;
}

// A non-negative number with an optional K, M or G.
bool parse_number(std::string_view v, double& out) {
  std::string s(v);
  double mult = 1;
  if (!s.empty()) {
    char c = s.back();
    mult = (c == 'K' || c == 'k')   ? 1024
           : (c == 'M' || c == 'm') ? 1048576
           : (c == 'G' || c == 'g') ? 1073741824
                                    : 1;
    if (mult > 1) s.pop_back();
  }
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  if (s.empty() || !end || *end || out < 0) return false;
  out *= mult;
  return true;
}

// One option; false when `item` is not an option (it starts the key).
bool parse_option(const std::string& item, Spec& s, std::string& err) {
  static constexpr std::pair<std::string_view, Mode> kModes[] = {
      {"per_mail", Mode::PerMail}, {"per_conn", Mode::PerConn}, {"per_byte", Mode::PerByte},
      {"per_rcpt", Mode::PerRcpt}, {"per_cmd", Mode::PerCmd},   {"per_addr", Mode::PerRcpt}};
  static constexpr std::pair<std::string_view, Update> kUpdates[] = {
      {"leaky", Update::Leaky},
      {"strict", Update::Strict},
      {"readonly", Update::Readonly},
      {"noupdate", Update::Readonly}};
  for (const auto& [name, mode] : kModes) {
    if (item != name) continue;
    if (s.mode_given) err = "conflicting per_* options";
    s.mode = mode, s.mode_given = true, s.per_addr = name == "per_addr", s.mode_text = item;
    return true;
  }
  for (const auto& [name, update] : kUpdates) {
    if (item != name) continue;
    if (s.update_given) err = "conflicting update modes";
    s.update = update, s.update_given = true;
    return true;
  }
  if (item.rfind("unique=", 0) == 0) {
    s.has_unique = true, s.unique = item.substr(7);
    return true;
  }
  if (item.rfind("count=", 0) == 0) {
    if (!parse_number(std::string_view(item).substr(6), s.count)) {
      err = "\"" + item + "\" is not a positive number";
    }
    s.count_given = true;
    return true;
  }
  return false;
}

// The expanded value; `err` gets Exim's reason on failure.
bool parse_spec(const std::string& value, Spec& s, std::string& err) {
  std::vector<std::string> parts;
  std::istringstream in(value);
  for (std::string p; std::getline(in, p, '/');) parts.emplace_back(util::trim(p));
  if (parts.empty() || !parse_number(parts[0], s.limit)) {
    err = "\"" + (parts.empty() ? std::string() : parts[0]) + "\" is not a positive number";
    return false;
  }
  if (parts.size() < 2 || !parse_period(parts[1], s.period)) {
    err = "\"" + (parts.size() < 2 ? std::string("NULL") : parts[1]) + "\" is not a time value";
    return false;
  }
  s.period_text = parts[1];
  size_t i = 2;
  for (; i < parts.size() && err.empty(); ++i)
    if (!parse_option(parts[i], s, err)) break;
  for (; i < parts.size(); ++i) s.key += (s.key.empty() ? "" : "/") + parts[i];
  return err.empty();
}

// Where each measure makes sense (spec 44.40); elsewhere the condition is readonly.
bool permitted(const Spec& s, std::string_view where) {
  if (where.empty() || s.mode == Mode::PerCmd || s.mode == Mode::PerConn) return true;
  bool message_acl = where == "rcpt" || where == "predata" || where == "data";
  if (s.per_addr) return where == "rcpt";
  if (s.mode == Mode::PerRcpt) return message_acl;
  return message_acl || where == "mail";
}

// Exim's name of an ACL in messages ("EHLO or HELO ACL").
std::string where_name(std::string_view where) {
  if (where == "connect") return "connection";
  if (where == "helo") return "EHLO or HELO";
  return util::to_upper(std::string(where));
}

std::string mode_name(const Spec& s) {
  static constexpr std::string_view kNames[] = {"per_mail", "per_conn", "per_mail", "per_rcpt",
                                                "per_cmd"};
  return std::string(kNames[static_cast<size_t>(s.mode)]);
}

std::string var(RunState& st, std::string_view name) {
  std::string v;
  if (st.ctx.vars) st.ctx.vars->get(name, v);
  return v;
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// The stored data: "time_us rate [set_since_us hash...]".
struct RateData {
  int64_t time_us = 0;
  double rate = 0;
  bool has_set = false;
  int64_t set_since = 0;
  std::vector<uint64_t> set;
};

RateData decode(const std::string& data) {
  RateData d;
  std::istringstream in(data);
  in >> d.time_us >> d.rate;
  if (in >> d.set_since) {
    d.has_set = true;
    for (uint64_t h; in >> std::hex >> h;) d.set.push_back(h);
  }
  return d;
}

std::string encode(const RateData& d) {
  std::ostringstream out;
  out << d.time_us << ' ' << fmt("%.17g", d.rate);
  if (d.has_set) {
    out << ' ' << d.set_since << std::hex;
    for (uint64_t h : d.set) out << ' ' << h;
  }
  return out.str();
}

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void note(RunState& st, std::string_view text) {
  st.trace_note(text);
}

// One measurement: what the updater needs and what it finds.
struct Measure {
  const Spec& s;
  RunState& st;
  double count;
  double rate = 0;
};

// Exim's smoothing: a = exp(-i/p); the new event weighs (1 - a) / (i/p), close to 1 for a
// short interval, computed without cancellation (expm1).
double smoothed(double old_rate, double interval, double period, double count) {
  double x = std::max(interval / period, 1e-9);
  return -std::expm1(-x) * count / x + std::exp(-x) * old_rate;
}

// The unique= event: counted once (count 0 when seen before) and added to the set.
void check_unique(Measure& m, RateData& d, int64_t now) {
  const int64_t period_us = static_cast<int64_t>(m.s.period * 1e6);
  if (!d.has_set || now - d.set_since > period_us || d.set.size() >= kMaxUnique) {
    if (d.has_set && m.st.tracing()) note(m.st, "ratelimit discarding old Bloom filter");
    d.has_set = true, d.set_since = now, d.set.clear();
  }
  if (m.s.update == Update::Readonly) return;  // the value is ignored (spec 44.43)
  if (m.st.tracing()) note(m.st, "ratelimit checking uniqueness of " + m.s.unique);
  uint64_t h = util::fnv1a64(m.s.unique);
  if (std::find(d.set.begin(), d.set.end(), h) != d.set.end()) {
    note(m.st, "ratelimit event found in Bloom filter");
    m.count = 0;
    return;
  }
  note(m.st, "ratelimit event added to Bloom filter");
  d.set.push_back(h);
}

// The hints-database update: the new rate, and whether it is recorded.
std::optional<std::string> recompute(Measure& m, const std::optional<HintsRecord>& cur) {
  const int64_t now = now_us();
  RateData d;
  if (cur) {
    note(m.st, "ratelimit found key in database");
    d = decode(cur->data);
  } else {
    note(m.st, m.s.has_unique ? "ratelimit creating new Bloom filter"
                              : "ratelimit creating new rate data block");
  }
  if (m.s.has_unique) check_unique(m, d, now);
  if (cur) {
    m.rate = smoothed(d.rate, static_cast<double>(now - d.time_us) / 1e6, m.s.period, m.count);
  } else {
    note(m.st, "ratelimit initializing new key's rate data");
    m.rate = m.count;
  }
  if (m.s.update == Update::Readonly) {
    note(m.st, "ratelimit db not updated: readonly mode");
    return std::nullopt;
  }
  if (m.s.update == Update::Leaky && m.rate >= m.s.limit) {
    note(m.st, "ratelimit db not updated: over the limit, but leaky");
    return std::nullopt;
  }
  note(m.st, "ratelimit db updated");
  d.time_us = now, d.rate = m.rate;
  return encode(d);
}

// The session's cache of rates for this measure (null without a session): per_conn ones last
// the connection, per_mail and per_byte ones the message, the others (and any readonly look,
// as Exim files them) the command.
std::map<std::string, double, std::less<>>* cache_for(RunState& st, const Spec& s) {
  SessionHooks* h = st.evaluator.session();
  RateCache* c = h ? h->rate_cache() : nullptr;
  if (!c) return nullptr;
  if (s.update == Update::Readonly || s.mode == Mode::PerRcpt || s.mode == Mode::PerCmd) {
    return &c->cmd;
  }
  return s.mode == Mode::PerConn ? &c->conn : &c->mail;
}

// Parses and completes the spec for this ACL (count, unique value, key); "" or an error.
std::string prepare(RunState& st, const std::string& value, Spec& s) {
  std::string err;
  SessionHooks* h = st.evaluator.session();
  std::string where = h ? std::string(h->where()) : "";
  if (!parse_spec(value, s, err)) return err;
  if (!permitted(s, where)) {
    if (s.update_given && s.update != Update::Readonly) {
      return "\"" + s.mode_text +
             "\" must not have /leaky or /strict option, or cannot be used in " +
             where_name(where) + " ACL";
    }
    s.update = Update::Readonly;
  }
  if (!s.count_given && s.mode == Mode::PerByte)
    s.count = std::atof(var(st, "message_size").c_str());
  if (!s.count_given && s.mode == Mode::PerRcpt && !s.per_addr && !where.empty() &&
      where != "rcpt") {
    s.count = std::atof(var(st, "recipients_count").c_str());
  }
  if (s.per_addr && !s.has_unique) {
    s.has_unique = true;
    s.unique = var(st, "local_part") + "@" + var(st, "domain");
  }
  if (s.update == Update::Readonly) s.count = 0;
  if (s.key.empty()) s.key = var(st, "sender_host_address");
  return "";
}

Check result(RunState& st, const Spec& s, const std::string& value, double rate) {
  st.ctx.item_vars["sender_rate"] = fmt("%.1f", rate);
  st.ctx.item_vars["sender_rate_limit"] =
      util::trim(util::to_lower(value.substr(0, value.find('/'))));
  st.ctx.item_vars["sender_rate_period"] = s.period_text;
  return rate >= s.limit ? Check::True : Check::False;
}

Check eval_ratelimit(RunState& st, const Item&, const std::string& value) {
  Spec s;
  if (std::string err = prepare(st, value, s); !err.empty()) {
    st.defer_reason = "error in arguments to \"ratelimit\" condition: " + err;
    return Check::Error;
  }
  std::string dbkey =
      s.period_text + "/" + mode_name(s) + (s.has_unique ? "/unique/" : "/") + s.key;
  std::string shown = fmt("%.1f", s.limit) + "/" + dbkey;
  if (st.tracing()) note(st, "ratelimit condition count=" + fmt("%g", s.count) + " " + shown);
  auto* cache = cache_for(st, s);  // by the database key: the limit does not count
  if (cache) {
    if (auto it = cache->find(dbkey); it != cache->end()) {
      if (st.tracing()) note(st, "ratelimit found pre-computed rate " + fmt("%.1f", it->second));
      return result(st, s, value, it->second);
    }
  }
  SessionHooks* h = st.evaluator.session();
  std::string spool = h ? h->spool_directory() : "";
  if (spool.empty()) spool = var(st, "spool_directory");
  auto db = HintsDb::open(spool, "ratelimit");
  Measure m{s, st, s.count};
  if (!db || !db.value()->update(dbkey, [&m](const auto& cur) { return recompute(m, cur); })) {
    note(st, "ratelimit database not available");
    st.defer_reason = "ratelimit database not available";
    return Check::Defer;
  }
  if (st.tracing()) note(st, "ratelimit computed rate " + fmt("%.1f", m.rate));
  if (cache) (*cache)[dbkey] = m.rate;
  return result(st, s, value, m.rate);
}

const AclItemRegistrar reg({
    {"ratelimit", ItemKind::Condition, true, true, nullptr, eval_ratelimit},
});

}  // namespace
}  // namespace engine::acl
