// engine/acl_ratelimit.cpp — the ratelimit ACL condition (spec chapter 44, sections 39-44):
// `ratelimit = m / p / options / key` is true when the client's smoothed rate of events
// (messages, recipients, bytes, commands, connections) over period p is above m.
//
// The rate is an exponentially smoothed average: after an interval i since the last event,
// with a = exp(-i/p), the new rate is (1 - a) * count / (i/p) + a * old rate, so events in a
// quick burst add up (1, 2, 3 ...) and the rate decays over a few periods. `strict` always
// records the new rate, `leaky` (the default) not when it is over the limit, `readonly`
// never. unique=VALUE counts each distinct value once per period.
// Sets $sender_rate ("%.1f"), $sender_rate_limit and $sender_rate_period.
//
// Storage: TODO(hints-db): the rates are kept in memory for the life of the process (one
// -bh session, or the daemon); Exim keeps them in the spool's ratelimit hints database.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "engine/acl.h"
#include "engine/acl_session.h"
#include "util/strings.h"

namespace engine::acl {
namespace {

struct RateRecord {
  double time = 0;  // seconds since the epoch of the last update
  double rate = 0;
  std::set<std::string> seen;  // unique= values of the current period
  double seen_since = 0;
};

std::map<std::string, RateRecord>& rate_db() {
  static std::map<std::string, RateRecord> db;
  return db;
}

double now_seconds() {
  auto t = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration<double>(t).count();
}

// 30s, 5m, 1h, 2d, 1w, combined ("1h30m"); plain numbers are seconds.
bool parse_period(std::string_view v, double& secs) {
  secs = 0;
  v = util::trim(v);
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

// A limit with an optional K, M or G.
bool parse_limit(std::string_view v, double& out) {
  std::string s(util::trim(v));
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
  if (s.empty() || !end || *end) return false;
  out *= mult;
  return true;
}

struct Spec {
  double limit = 0, period = 0, count = 1;
  std::string period_text, mode = "per_mail", update = "leaky", unique, key;
  bool count_given = false;
};

std::string var(RunState& st, std::string_view name) {
  std::string v;
  if (st.ctx.vars) st.ctx.vars->get(name, v);
  return v;
}

bool parse_spec(RunState& st, const std::string& value, Spec& s, std::string& err) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t e = value.find('/', pos);
    if (e == std::string::npos) e = value.size();
    parts.emplace_back(util::trim(std::string_view(value).substr(pos, e - pos)));
    pos = e + 1;
  }
  if (parts.size() < 2 || !parse_limit(parts[0], s.limit) || !parse_period(parts[1], s.period)) {
    err = "malformed ratelimit condition \"" + value + "\"";
    return false;
  }
  s.period_text = parts[1];
  for (size_t i = 2; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (p.rfind("per_", 0) == 0)
      s.mode = p;
    else if (p == "strict" || p == "leaky" || p == "readonly")
      s.update = p;
    else if (p.rfind("unique=", 0) == 0)
      s.unique = p.substr(7);
    else if (p.rfind("count=", 0) == 0)
      s.count = std::strtod(p.c_str() + 6, nullptr), s.count_given = true;
    else if (i == parts.size() - 1)
      s.key = p;
    else {
      err = "unknown ratelimit option \"" + p + "\"";
      return false;
    }
  }
  if (s.key.empty()) s.key = var(st, "sender_host_address");
  SessionHooks* h = st.evaluator.session();
  std::string where = h ? std::string(h->where()) : "";
  if (!s.count_given && s.mode == "per_byte")
    s.count = std::strtod(var(st, "message_size").c_str(), nullptr);
  if (!s.count_given && s.mode == "per_rcpt" && where != "rcpt") {
    s.count = std::strtod(var(st, "recipients_count").c_str(), nullptr);
  }
  return true;
}

Check eval_ratelimit(RunState& st, const Item&, const std::string& value) {
  Spec s;
  std::string err;
  if (!parse_spec(st, value, s, err)) {
    st.defer_reason = err;
    st.log(err);
    return Check::Error;
  }
  std::string dbkey =
      s.mode + "/" + s.period_text + (s.unique.empty() ? "" : "/unique") + "/" + s.key;
  RateRecord& r = rate_db()[dbkey];
  double now = now_seconds();
  double rate = s.count;
  bool fresh = r.time == 0;
  double count = s.count;
  if (!s.unique.empty()) {
    if (now - r.seen_since > s.period) r.seen.clear(), r.seen_since = now;
    if (r.seen.count(s.unique)) count = 0;
  }
  if (!fresh) {
    double interval = std::max(now - r.time, 1e-9);
    double ip = interval / s.period;
    double a = std::exp(-ip);
    rate = (1 - a) * count / ip + a * r.rate;
  }
  bool over = rate > s.limit;
  if (s.update == "strict" || (s.update == "leaky" && !over)) {
    r.time = now;
    r.rate = rate;
    if (!s.unique.empty()) r.seen.insert(s.unique);
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", rate);
  st.ctx.item_vars["sender_rate"] = buf;
  st.ctx.item_vars["sender_rate_limit"] =
      util::trim(util::to_lower(value.substr(0, value.find('/'))));
  st.ctx.item_vars["sender_rate_period"] = s.period_text;
  return over ? Check::True : Check::False;
}

const AclItemRegistrar reg({
    {"ratelimit", ItemKind::Condition, true, true, nullptr, eval_ratelimit},
});

}  // namespace
}  // namespace engine::acl
