// transports/autoreply.cpp — the autoreply transport (spec chapter 27): builds a new message
// (an automatic reply, RFC 3834) from the transport's options or from a filter's mail/vacation
// parameters, and hands it to the delivery process to be spooled (TransportServices::submit).
// Its envelope sender is always <>. "once" keeps it from answering the same address twice.
#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <ctime>
#include <fstream>
#include <sstream>

#include "engine/config/drivers.h"
#include "engine/config/main_options.h"
#include "engine/config/values.h"
#include "lang/match/addresslist.h"
#include "transports/generic.h"
#include "transports/header_addresses.h"
#include "transports/once_file.h"
#include "util/fs_identity.h"
#include "util/strings.h"

namespace transports {
namespace {

using engine::config::DriverOption;
using engine::config::InstanceOptions;
using T = engine::config::OptType;

// Spec 27.1, sorted.
constexpr DriverOption kOptions[] = {
    {"bcc", T::String, true, ""},
    {"cc", T::String, true, ""},
    {"file", T::String, true, ""},
    {"file_expand", T::Bool, false, "false"},
    {"file_optional", T::Bool, false, "false"},
    {"from", T::String, true, ""},
    {"headers", T::String, true, ""},
    {"log", T::String, true, ""},
    {"mode", T::Int, false, "0600"},
    {"never_mail", T::List, true, ""},
    {"once", T::String, true, ""},
    {"once_file_size", T::Int, false, "0"},
    {"once_repeat", T::Time, true, "0s"},
    {"reply_to", T::String, true, ""},
    {"return_message", T::Bool, false, "false"},
    {"subject", T::String, true, ""},
    {"text", T::String, true, ""},
    {"to", T::String, true, ""},
};

constexpr const char* kFields[] = {"to",      "cc",   "bcc",  "from", "reply_to", "subject",
                                   "headers", "text", "file", "once", "log",      "once_repeat"};

struct Options {
  GenericOptions generic;
  std::map<std::string, ProgramPtr, std::less<>> fields;  // kFields
  ProgramPtr never_mail;
  bool file_expand = false, file_optional = false, return_message = false;
  mode_t mode = 0600;
  int64_t once_file_size = 0, return_size_limit = 100 * 1024;
};

util::Result<Options> read_options(const engine::config::Config& cfg,
                                   const engine::config::Instance& inst) {
  auto g = GenericOptions::read(cfg, inst);
  if (!g) return g.error();
  Options p;
  p.generic = std::move(*g);
  InstanceOptions o(engine::config::DriverKind::Transport, inst);
  for (const char* f : kFields) p.fields[f] = option_program(inst, f);
  p.never_mail = option_program(inst, "never_mail");
  p.file_expand = o.get_bool("file_expand");
  p.file_optional = o.get_bool("file_optional");
  p.return_message = o.get_bool("return_message");
  p.mode = static_cast<mode_t>(o.get_int("mode"));
  p.once_file_size = o.get_int("once_file_size");
  int64_t limit = engine::config::main_int(cfg, "return_size_limit");
  if (cfg.find_main("bounce_return_size_limit"))
    limit = engine::config::main_int(cfg, "bounce_return_size_limit");
  if (limit > 0) p.return_size_limit = limit;
  return p;
}

// The reply's parameters, expanded (or the filter's).
struct Reply {
  ReplySpec spec;
  std::vector<std::string> to, cc, bcc;
};

// Non-printing characters other than a newline followed by white space are refused.
bool printable_header(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n' && i + 1 < s.size() && (s[i + 1] == ' ' || s[i + 1] == '\t')) continue;
    if (c == '\n' && i + 1 == s.size()) continue;
    if (c < 32 || c == 127) return false;
  }
  return true;
}

class Autoreply : public Transport {
 public:
  Autoreply(std::string name, Options o)
      : Transport(std::move(name), "autoreply", o_.generic), o_(std::move(o)) {}
  void deliver(Delivery& d, const TransportServices& s) const override {
    set_all_results(d, run(d, s));
  }

 private:
  AddressResult run(Delivery& d, const TransportServices& s) const;
  bool parameters(Expander& ex, const DeliveryAddress& a, Reply& r, AddressResult& fail) const;
  bool filter_recipients(Expander& ex, std::vector<std::string>& list, AddressResult& fail) const;
  bool body(Expander& ex, const Reply& r, std::string& out, AddressResult& fail) const;
  std::string message(Expander& ex, const Delivery& d, const Prepared& prep, const Reply& r,
                      const std::string& text) const;
  void write_log(const Reply& r, const std::string& headers, int64_t now) const;
  Options o_;
};

bool Autoreply::parameters(Expander& ex, const DeliveryAddress& a, Reply& r,
                           AddressResult& fail) const {
  if (a.reply) {
    r.spec = *a.reply;  // given by a filter: used as it is
  } else {
    std::map<std::string, std::string> v;
    for (const char* f : kFields) {
      std::string err;
      if (ex.option(o_.fields.at(f).get(), f, v[f], err) == ExpandOutcome::Error) {
        fail = defer_result(err);
        return false;
      }
    }
    r.spec = ReplySpec{v["to"],      v["cc"],   v["bcc"],  v["from"], v["reply_to"], v["subject"],
                       v["headers"], v["text"], v["file"], v["once"], v["log"]};
    if (!v["once_repeat"].empty() &&
        !engine::config::parse_time(v["once_repeat"], r.spec.once_repeat)) {
      fail = defer_result("Invalid time value \"" + v["once_repeat"] + "\" for once_repeat in " +
                          name() + " transport");
      return false;
    }
    r.spec.file_expand = o_.file_expand;
    r.spec.return_message = o_.return_message;
  }
  for (const std::string* h : {&r.spec.to, &r.spec.cc, &r.spec.bcc, &r.spec.from, &r.spec.reply_to,
                               &r.spec.subject, &r.spec.headers}) {
    if (!printable_header(*h)) {
      fail = defer_result("Non-printing character in header for " + name() + " transport");
      return false;
    }
  }
  r.to = parse_address_list(r.spec.to);
  r.cc = parse_address_list(r.spec.cc);
  r.bcc = parse_address_list(r.spec.bcc);
  return filter_recipients(ex, r.to, fail) && filter_recipients(ex, r.cc, fail) &&
         filter_recipients(ex, r.bcc, fail);
}

// never_mail: recipients in the list are quietly dropped.
bool Autoreply::filter_recipients(Expander& ex, std::vector<std::string>& list,
                                  AddressResult& fail) const {
  if (!o_.never_mail) return true;
  std::string never, err;
  if (ex.option(o_.never_mail.get(), "never_mail", never, err) == ExpandOutcome::Error) {
    fail = defer_result(err);
    return false;
  }
  std::erase_if(list, [&](const std::string& addr) {
    return lang::match_addresslist(ex.context(), never, addr).outcome == lang::ListMatch::Match;
  });
  return true;
}

bool Autoreply::body(Expander& ex, const Reply& r, std::string& out, AddressResult& fail) const {
  out = r.spec.text;
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (r.spec.file.empty()) return true;
  std::ifstream f(r.spec.file, std::ios::binary);
  if (!f) {
    if (o_.file_optional) return true;
    fail = defer_result("Failed to open file " + r.spec.file + " when sending message from " +
                        name() + " transport: " + util::errno_text(errno));
    return false;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  if (r.spec.file_expand) {
    std::string expanded, err;
    if (ex.expand_text(text, expanded, err) != ExpandOutcome::Ok) {
      fail = defer_result("Expansion of " + r.spec.file + " failed: " + err);
      return false;
    }
    text = std::move(expanded);
  }
  out += text;
  return true;
}

std::string Autoreply::message(Expander& ex, const Delivery& d, const Prepared& prep,
                               const Reply& r, const std::string& text) const {
  const DeliveryAddress& a = d.addresses.front();
  std::string m =
      "From: " + (r.spec.from.empty() ? a.local_part + "@" + a.domain : r.spec.from) + "\n";
  if (!r.spec.reply_to.empty()) m += "Reply-To: " + r.spec.reply_to + "\n";
  if (!r.spec.to.empty()) m += "To: " + r.spec.to + "\n";
  if (!r.spec.cc.empty()) m += "Cc: " + r.spec.cc + "\n";
  if (!r.spec.subject.empty()) m += "Subject: " + r.spec.subject + "\n";
  std::string id, refs;
  if (ex.vars().header("rh", "Message-ID", id)) {
    id = std::string(util::trim(id));
    m += "In-Reply-To: " + id + "\n";
    ex.vars().header("rh", "References", refs);
    std::string r2(util::trim(refs));
    m += "References: " + (r2.empty() ? "" : r2 + "\n ") + id + "\n";
  }
  m += "Auto-Submitted: auto-replied\n";
  if (!r.spec.headers.empty()) m += r.spec.headers + (r.spec.headers.back() == '\n' ? "" : "\n");
  m += "\n" + text;
  if (!r.spec.return_message || !d.message) return m;
  m += "\n------ This is a copy of the message, including all the headers. ------\n";
  std::string copy;
  WriteOptions wo;
  (void)write_message(*d.message, prep.edits, wo, [&](std::string_view s) {
    copy.append(s);
    return static_cast<int64_t>(copy.size()) <= o_.return_size_limit;
  });
  if (static_cast<int64_t>(copy.size()) > o_.return_size_limit) {
    copy.resize(static_cast<size_t>(o_.return_size_limit));
    copy += "\n------ The body of the message is longer than the limit; it was truncated. ------\n";
  }
  return m + copy;
}

void Autoreply::write_log(const Reply& r, const std::string& headers, int64_t now) const {
  if (r.spec.log.empty()) return;
  int fd = open(r.spec.log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, o_.mode);
  if (fd < 0) return;
  char when[64];
  std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  std::string entry = "==========\nTime: " + std::string(when) + "\n" + headers;
  (void)!write(fd, entry.data(), entry.size());
  close(fd);
}

AddressResult Autoreply::run(Delivery& d, const TransportServices& s) const {
  Expander ex(s, d, name());
  Prepared prep;
  AddressResult fail;
  if (!prepare(o_.generic, ex, d, s, {}, prep, fail)) return fail;
  auto who = util::ScopedFsIdentity::enter(prep.id.uid, prep.id.gid, prep.id.groups);
  if (!who) return defer_result(who.error().message);
  Reply r;
  if (!parameters(ex, d.addresses.front(), r, fail)) return fail;
  if (r.to.empty() && r.cc.empty() && r.bcc.empty()) return ok_result();  // nobody to answer
  int64_t now = s.now ? s.now() : static_cast<int64_t>(std::time(nullptr));
  std::string once_key = r.to.empty() ? std::string() : r.to.front();
  if (!r.spec.once.empty() && !once_key.empty()) {
    auto last = once_lookup(r.spec.once, once_key);
    if (!last) return defer_result(last.error().message);
    if (*last > 0 && (r.spec.once_repeat == 0 || now - *last < r.spec.once_repeat))
      return ok_result();  // answered already
  }
  std::string text;
  if (!body(ex, r, text, fail)) return fail;
  if (!s.submit) return defer_result("cannot send a message from " + name() + " transport");
  NewMessage m;
  m.sender = "";
  for (auto* list : {&r.to, &r.cc, &r.bcc})
    m.recipients.insert(m.recipients.end(), list->begin(), list->end());
  m.text = message(ex, d, prep, r, text);
  auto id = s.submit(m);
  if (!id)
    return defer_result("Failed to send message from " + name() +
                        " transport: " + id.error().message);
  if (!r.spec.once.empty() && !once_key.empty()) {
    if (auto rec = once_record(r.spec.once, once_key, now, o_.once_file_size, o_.mode);
        !rec && s.debug)
      s.debug(rec.error().message);
  }
  write_log(r, m.text.substr(0, m.text.find("\n\n") + 1), now);
  AddressResult ok = ok_result();
  ok.confirmation = *id;
  return ok;
}

const TransportRegistrar kRegistrar({"autoreply", kOptions,
                                     make_transport<Autoreply, read_options>});

}  // namespace
}  // namespace transports
