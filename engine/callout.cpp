#include "engine/callout.h"

#include <cctype>

#include "util/strings.h"

namespace engine {
namespace {

using routers::RouterResult;

CalloutClient* g_client = nullptr;

bool time_value(std::string_view v, int& out) {
  long long s = 0;
  if (!util::parse_time_interval(v, s) || s < 0 || s > 86400) return false;
  out = static_cast<int>(s);
  return true;
}

// One parameter of the list after "callout=": a time, a flag, or name=value.
std::string parse_parameter(std::string_view p, CalloutOptions& o) {
  size_t eq = p.find('=');
  std::string_view name = util::trim(p.substr(0, eq));
  std::string_view value = eq == std::string_view::npos ? "" : util::trim(p.substr(eq + 1));
  if (eq == std::string_view::npos && !name.empty() &&
      std::isdigit(static_cast<unsigned char>(name[0])))
    return time_value(name, o.timeout) ? ""
                                       : "bad time value in callout \"" + std::string(p) + "\"";
  struct Flag {
    std::string_view name;
    bool CalloutOptions::*member;
  };
  static constexpr Flag kFlags[] = {
      {"defer_ok", &CalloutOptions::defer_ok},
      {"fullpostmaster", &CalloutOptions::fullpostmaster},
      {"hold", &CalloutOptions::hold},
      {"no_cache", &CalloutOptions::no_cache},
      {"random", &CalloutOptions::random},
      {"use_postmaster", &CalloutOptions::use_postmaster},
      {"use_sender", &CalloutOptions::use_sender},
  };
  for (const Flag& f : kFlags) {
    if (name == f.name && eq == std::string_view::npos) {
      o.*f.member = true;
      if (name == "fullpostmaster" && !o.postmaster_mailfrom) o.postmaster_mailfrom = "";
      return "";
    }
  }
  if (name == "postmaster" && eq == std::string_view::npos) return o.postmaster_mailfrom = "", "";
  if (name == "connect" && time_value(value, o.connect)) return "";
  if (name == "maxwait" && time_value(value, o.maxwait)) return "";
  if (name == "mailfrom") return o.mailfrom = std::string(value), "";
  if (name == "postmaster_mailfrom") return o.postmaster_mailfrom = std::string(value), "";
  return "unknown callout parameter \"" + std::string(p) + "\"";
}

std::string host_text(const Host& h) {
  return h.name + " [" + h.address + "]";
}

std::string domain_of(const std::string& address) {
  size_t at = address.rfind('@');
  return at == std::string::npos ? "" : address.substr(at + 1);
}

// One callout run: the hosts, the options, the cache and what was found so far.
class Callout {
 public:
  Callout(const std::string& address, bool sender, const std::string& mail_from,
          const CalloutTarget& t, const CalloutOptions& o, CalloutCache* cache)
      : address_(address),
        sender_(sender),
        mail_from_(mail_from),
        target_(t),
        o_(o),
        cache_(o.no_cache ? nullptr : cache),
        domain_(domain_of(address)),
        key_(mail_from.empty() ? address : address + "/" + mail_from) {}

  CalloutOutcome run();

 private:
  bool from_cache(CalloutOutcome& out);
  CalloutProbe probe(const Host& h, const std::string& rcpt, const std::string& from);
  // One host: true when it decided (out is set), false to try the next one.
  bool try_host(const Host& h, CalloutOutcome& out);
  void fail(const Host& h, const CalloutProbe& p, CalloutOutcome& out);
  void remember_domain(const std::string& words);

  const std::string& address_;
  bool sender_;
  const std::string& mail_from_;
  const CalloutTarget& target_;
  const CalloutOptions& o_;
  CalloutCache* cache_;
  std::string domain_, key_;
  std::string last_ = "no usable host";
};

bool Callout::from_cache(CalloutOutcome& out) {
  if (!cache_) return false;
  if (auto d = cache_->domain(domain_)) {
    bool pm_bad = o_.postmaster_mailfrom && callout_words_have(*d, "pm_reject");
    if (callout_words_have(*d, "reject") || pm_bad) {
      out.status = RouterResult::Fail;
      out.message = out.user_message = "(result of an earlier callout reused).";
      return true;
    }
    if (o_.random && callout_words_have(*d, "random_accept")) {
      out.status = RouterResult::Accept;
      return true;
    }
  }
  auto a = cache_->address(key_);
  if (!a) return false;
  out.status = *a == "accept" ? RouterResult::Accept : RouterResult::Fail;
  if (*a != "accept")
    out.message = out.user_message = "Previous (cached) callout verification failure";
  return true;
}

CalloutProbe Callout::probe(const Host& h, const std::string& rcpt, const std::string& from) {
  CalloutRequest r{
      h,    h.port != Host::kNone ? h.port : target_.port, target_.helo, target_.interface, from,
      rcpt, o_.connect >= 0 ? o_.connect : o_.timeout,     o_.timeout};
  return callout_client()->probe(r);
}

void Callout::remember_domain(const std::string& words) {
  if (cache_) cache_->set_domain(domain_, words);
}

void Callout::fail(const Host& h, const CalloutProbe& p, CalloutOutcome& out) {
  out.status = RouterResult::Fail;
  out.message = host_text(h) + " : " + p.error;
  out.user_message =
      sender_ ? "Called:   " + h.address + "\nSent:     " + p.sent + "\nResponse: " + p.response
              : "Callout verification failed:\n" + p.response;
}

bool Callout::try_host(const Host& h, CalloutOutcome& out) {
  using R = CalloutProbe::Result;
  std::string words = "accept";
  if (o_.random && !target_.random_local_part.empty()) {
    CalloutProbe p = probe(h, target_.random_local_part + "@" + domain_, mail_from_);
    if (p.result == R::Accepted) {
      remember_domain("accept random_accept");
      out.status = RouterResult::Accept;
      return true;
    }
    if (p.result == R::Failed || !p.at_rcpt) {
      last_ = host_text(h) + " : " + p.error;
      if (p.result == R::Failed) return false;
      remember_domain("reject");
      fail(h, p, out);
      return true;
    }
    words += " random_reject";
  }
  CalloutProbe p = probe(h, address_, mail_from_);
  last_ = host_text(h) + " : " + p.error;
  if (p.result == R::Failed) return false;
  if (p.result == R::Rejected) {
    if (p.at_rcpt && cache_)
      cache_->set_address(key_, false);
    else if (!p.at_rcpt && mail_from_.empty())
      remember_domain("reject");
    fail(h, p, out);
    return true;
  }
  if (o_.postmaster_mailfrom) {
    CalloutProbe pm = probe(h, "postmaster@" + domain_, *o_.postmaster_mailfrom);
    if (pm.result == R::Rejected && o_.fullpostmaster)
      pm = probe(h, "postmaster", *o_.postmaster_mailfrom);
    if (pm.result == R::Failed) {
      last_ = host_text(h) + " : " + pm.error;
      return false;
    }
    bool pm_ok = pm.result == R::Accepted;
    remember_domain(words + (pm_ok ? " pm_accept" : " pm_reject"));
    if (!pm_ok) {
      fail(h, pm, out);
      return true;
    }
  } else if (o_.random) {
    remember_domain(words);
  }
  if (cache_) cache_->set_address(key_, true);
  out.status = RouterResult::Accept;
  return true;
}

CalloutOutcome Callout::run() {
  CalloutOutcome out;
  if (from_cache(out)) return out;
  using Clock = std::chrono::steady_clock;
  Clock::time_point deadline =
      Clock::now() + std::chrono::seconds(o_.maxwait >= 0 ? o_.maxwait : 4 * o_.timeout);
  for (const Host& h : target_.hosts) {
    if (!callout_client()) {
      last_ = "callouts are not available in this build";
      break;
    }
    if (h.unusable || h.address.empty()) continue;
    if (Clock::now() > deadline) break;
    if (try_host(h, out)) return out;
  }
  std::string what = sender_ ? "sender" : "recipient";
  out.status = o_.defer_ok ? RouterResult::Accept : RouterResult::Defer;
  out.user_message = "Could not complete " + what + " verify callout";
  out.message = out.user_message + ": " + last_;
  return out;
}

}  // namespace

std::string parse_callout_options(std::string_view text, CalloutOptions& out) {
  if (text.empty()) return "";
  if (text[0] != '=') return "unknown option \"callout" + std::string(text) + "\"";
  text.remove_prefix(1);
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view p = text.substr(0, comma);
    text = comma == std::string_view::npos ? "" : text.substr(comma + 1);
    if (util::trim(p).empty()) continue;
    std::string e = parse_parameter(p, out);
    if (!e.empty()) return e;
  }
  return "";
}

CalloutClient* callout_client() {
  return g_client;
}

void set_callout_client(CalloutClient* c) {
  g_client = c;
}

CalloutOutcome run_callout(const std::string& address, bool sender, const std::string& mail_from,
                           const CalloutTarget& target, const CalloutOptions& o,
                           CalloutCache* cache) {
  return Callout(address, sender, mail_from, target, o, cache).run();
}

}  // namespace engine
