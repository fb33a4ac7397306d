// transports/appendfile.cpp — the appendfile transport (spec chapter 26): its options, and
// the choice between appending to a mailbox file and writing a new file in a directory
// (maildir or plain). The pieces live in appendfile_mbox.cpp, appendfile_maildir.cpp and
// appendfile_util.cpp; see appendfile.h.
#include "transports/appendfile.h"

#include "engine/config/drivers.h"
#include "lang/regex.h"
#include "util/fs_identity.h"

namespace transports::appendfile {
namespace {

using engine::config::DriverOption;
using engine::config::InstanceOptions;
using T = engine::config::OptType;

// Spec 26.2, sorted. Unimplemented options are accepted: mbx_format and mailstore_format are
// refused when set; the others have no effect (noted in docs/DESIGN.md).
constexpr DriverOption kOptions[] = {
    {"allow_fifo", T::Bool, false, "false"},
    {"allow_symlink", T::Bool, false, "false"},
    {"batch_id", T::String, true, ""},
    {"batch_max", T::Int, false, "1"},
    {"check_group", T::Bool, false, "false"},
    {"check_owner", T::Bool, false, "true"},
    {"check_string", T::String, false, ""},
    {"create_directory", T::Bool, false, "true"},
    {"create_file", T::String, false, "anywhere"},
    {"directory", T::String, true, ""},
    {"directory_file", T::String, true, "q${base62:$tod_epoch}-$inode"},
    {"directory_mode", T::Int, false, "0700"},
    {"escape_string", T::String, false, ""},
    {"file", T::String, true, ""},
    {"file_format", T::String, false, ""},
    {"file_must_exist", T::Bool, false, "false"},
    {"lock_fcntl_timeout", T::Time, false, "0s"},
    {"lock_flock_timeout", T::Time, false, "0s"},
    {"lock_interval", T::Time, false, "3s"},
    {"lock_retries", T::Int, false, "10"},
    {"lockfile_mode", T::Int, false, "0600"},
    {"lockfile_timeout", T::Time, false, "30m"},
    {"mailbox_filecount", T::String, true, ""},
    {"mailbox_size", T::String, true, ""},
    {"maildir_format", T::Bool, false, "false"},
    {"maildir_quota_directory_regex", T::String, false, "^(?:cur|new|\\..*)$"},
    {"maildir_retries", T::Int, false, "10"},
    {"maildir_tag", T::String, true, ""},
    {"maildir_use_size_file", T::Bool, true, "false"},
    {"maildirfolder_create_regex", T::String, false, ""},
    {"mailstore_format", T::Bool, false, "false"},
    {"mailstore_prefix", T::String, true, ""},
    {"mailstore_suffix", T::String, true, ""},
    {"mbx_format", T::Bool, false, "false"},
    {"message_prefix", T::String, true, ""},
    {"message_suffix", T::String, true, ""},
    {"mode", T::Int, false, "0600"},
    {"mode_fail_narrower", T::Bool, false, "true"},
    {"notify_comsat", T::Bool, false, "false"},
    {"quota", T::String, true, ""},
    {"quota_directory", T::String, true, ""},
    {"quota_filecount", T::String, true, "0"},
    {"quota_is_inclusive", T::Bool, false, "true"},
    {"quota_size_regex", T::String, false, ""},
    {"quota_warn_message", T::String, true, ""},
    {"quota_warn_threshold", T::String, true, "0"},
    {"use_bsmtp", T::Bool, false, "false"},
    {"use_crlf", T::Bool, false, "false"},
    {"use_fcntl_lock", T::Bool, false, ""},
    {"use_flock_lock", T::Bool, false, "false"},
    {"use_lockfile", T::Bool, false, ""},
    {"use_mbx_lock", T::Bool, false, ""},
};

constexpr std::string_view kMboxPrefix =
    "From ${if def:return_path{$return_path}{MAILER-DAEMON}} ${tod_bsdinbox}\n";

class Appendfile;

util::Error config_error(const engine::config::Instance& inst, const std::string& msg) {
  return util::Error{"transport " + inst.name + ": " + msg, inst.loc};
}

util::Result<std::shared_ptr<const lang::Regex>> regex_option(const engine::config::Instance& inst,
                                                              const InstanceOptions& o,
                                                              std::string_view name) {
  std::shared_ptr<const lang::Regex> re;
  std::string text = o.get_string(name);
  if (text.empty()) return re;
  lang::Status st = lang::Regex::compile(text, re);
  if (!st.is_ok()) return config_error(inst, std::string(name) + ": " + st.message());
  return re;
}

util::Result<bool> read_locking(const engine::config::Instance& inst, const InstanceOptions& o,
                                Options& p) {
  p.use_flock_lock = o.get_bool("use_flock_lock");
  p.use_fcntl_lock = o.is_set("use_fcntl_lock") ? o.get_bool("use_fcntl_lock") : !p.use_flock_lock;
  p.use_lockfile = o.is_set("use_lockfile") ? o.get_bool("use_lockfile") : true;
  if (!p.use_lockfile && !p.use_fcntl_lock && !p.use_flock_lock)
    return config_error(inst, "use_lockfile, use_fcntl_lock and use_flock_lock are all false");
  p.lock_interval = o.get_time("lock_interval");
  p.lock_retries = std::max<int64_t>(1, o.get_int("lock_retries"));
  p.lockfile_timeout = o.get_time("lockfile_timeout");
  p.lock_fcntl_timeout = o.get_time("lock_fcntl_timeout");
  p.lock_flock_timeout = o.get_time("lock_flock_timeout");
  p.lockfile_mode = static_cast<mode_t>(o.get_int("lockfile_mode"));
  return true;
}

util::Result<Options> read_options(const engine::config::Config& cfg,
                                   const engine::config::Instance& inst) {
  auto g = GenericOptions::read(cfg, inst);
  if (!g) return g.error();
  Options p;
  p.generic = std::move(*g);
  InstanceOptions o(engine::config::DriverKind::Transport, inst);
  if (o.get_bool("mbx_format")) return config_error(inst, "mbx_format is not supported");
  if (o.get_bool("mailstore_format"))
    return config_error(inst, "mailstore_format is not supported");
  if (o.is_set("file") && o.is_set("directory"))
    return config_error(inst, "only one of \"file\" or \"directory\" can be specified");
  for (auto [name, slot] : {std::pair{"file", &p.file},
                            {"directory", &p.directory},
                            {"maildir_tag", &p.maildir_tag},
                            {"quota", &p.quota},
                            {"quota_warn_threshold", &p.quota_warn_threshold},
                            {"quota_warn_message", &p.quota_warn_message},
                            {"quota_directory", &p.quota_directory},
                            {"quota_filecount", &p.quota_filecount},
                            {"message_prefix", &p.message_prefix},
                            {"message_suffix", &p.message_suffix},
                            {"directory_file", &p.directory_file},
                            {"mailbox_size", &p.mailbox_size},
                            {"mailbox_filecount", &p.mailbox_filecount},
                            {"maildir_use_size_file", &p.maildir_use_size_file}})
    *slot = option_program(inst, name);
  if (!p.directory_file) {
    auto prog = std::make_shared<lang::Program>();
    if (!lang::Program::compile(o.get_string("directory_file"), *prog).is_ok())
      return config_error(inst, "bad default directory_file");
    p.directory_file = std::move(prog);
  }
  p.prefix_set = o.is_set("message_prefix");
  p.suffix_set = o.is_set("message_suffix");
  p.maildir_format = o.get_bool("maildir_format");
  p.use_size_file = o.get_bool("maildir_use_size_file");
  if (p.maildir_use_size_file && p.maildir_use_size_file->is_literal())
    p.maildir_use_size_file.reset();
  p.create_directory = o.get_bool("create_directory");
  p.check_owner = o.get_bool("check_owner");
  p.check_group = o.get_bool("check_group");
  p.mode_fail_narrower = o.get_bool("mode_fail_narrower");
  p.file_must_exist = o.get_bool("file_must_exist");
  p.allow_symlink = o.get_bool("allow_symlink");
  p.allow_fifo = o.get_bool("allow_fifo");
  p.quota_is_inclusive = o.get_bool("quota_is_inclusive");
  p.use_bsmtp = o.get_bool("use_bsmtp");
  p.use_crlf = o.get_bool("use_crlf");
  p.check_string_set = o.is_set("check_string");
  p.escape_string_set = o.is_set("escape_string");
  p.check_string = o.get_string("check_string");
  p.escape_string = o.get_string("escape_string");
  p.create_file = o.get_string("create_file");
  if (p.create_file != "anywhere" && p.create_file != "inhome" && p.create_file != "belowhome" &&
      (p.create_file.empty() || p.create_file[0] != '/'))
    return config_error(inst, "invalid value for create_file: \"" + p.create_file + "\"");
  p.mode = static_cast<mode_t>(o.get_int("mode"));
  p.directory_mode = static_cast<mode_t>(o.get_int("directory_mode"));
  p.maildir_retries = static_cast<int>(std::max<int64_t>(1, o.get_int("maildir_retries")));
  p.batch_max = static_cast<int>(std::max<int64_t>(1, o.get_int("batch_max")));
  if (auto r = read_locking(inst, o, p); !r) return r.error();
  for (auto [name, slot] : {std::pair{"quota_size_regex", &p.quota_size_regex},
                            {"maildir_quota_directory_regex", &p.maildir_quota_directory_regex},
                            {"maildirfolder_create_regex", &p.maildirfolder_create_regex}}) {
    auto re = regex_option(inst, o, name);
    if (!re) return re.error();
    *slot = std::move(*re);
  }
  return p;
}

// ----- the delivery -----

// Expands a size option ("10M", "75%" of the quota for the warning threshold, "/no_check").
bool size_option(Expander& ex, const ProgramPtr& p, std::string_view name, int64_t base,
                 int64_t& out, bool* no_check, AddressResult& fail) {
  out = 0;
  if (!p) return true;
  std::string v, err;
  if (ex.option(p.get(), name, v, err) != ExpandOutcome::Ok) {
    fail = defer_result(err);
    return false;
  }
  if (size_t slash = v.find('/'); slash != std::string::npos) {
    if (no_check) *no_check = v.substr(slash + 1) == "no_check";
    v.resize(slash);
  }
  bool percent = !v.empty() && v.back() == '%';
  if (percent) v.pop_back();
  if (!parse_size(v, out)) {
    fail = defer_result("Expansion of \"" + p->text() + "\" in " + ex.transport_name() +
                        " transport contains non-numeric character: \"" + v + "\"");
    return false;
  }
  if (percent) out = base > 0 ? out * base / 100 : 0;
  return true;
}

bool quota_settings(Context& c, Target& t, AddressResult& fail) {
  const Options& o = c.opt;
  if (!size_option(c.ex, o.quota, "quota", 0, t.quota, &t.quota_no_check, fail)) return false;
  if (!size_option(c.ex, o.quota_filecount, "quota_filecount", 0, t.quota_filecount, nullptr,
                   fail) ||
      !size_option(c.ex, o.quota_warn_threshold, "quota_warn_threshold", t.quota, t.warn_threshold,
                   nullptr, fail))
    return false;
  for (auto [p, slot] : {std::pair{&o.mailbox_size, &t.mailbox_size},
                         {&o.mailbox_filecount, &t.mailbox_filecount}}) {
    if (!*p) continue;
    if (!size_option(c.ex, *p, "mailbox_size", 0, *slot, nullptr, fail)) return false;
  }
  std::string v, err;
  if (o.quota_directory && c.ex.option(o.quota_directory.get(), "quota_directory",
                                       t.quota_directory, err) != ExpandOutcome::Ok) {
    fail = defer_result(err);
    return false;
  }
  t.use_size_file = o.use_size_file;
  if (o.maildir_use_size_file) {
    if (c.ex.option(o.maildir_use_size_file.get(), "maildir_use_size_file", v, err) !=
        ExpandOutcome::Ok) {
      fail = defer_result(err);
      return false;
    }
    t.use_size_file = v == "true" || v == "yes" || v == "1";
  }
  return true;
}

// Where the message goes: the expanded file or directory, or the path from a redirection.
bool choose_target(Context& c, const DeliveryAddress& a, Target& t, AddressResult& fail) {
  const Options& o = c.opt;
  const ProgramPtr& p = o.file ? o.file : o.directory;
  std::string err;
  if (p) {
    if (c.ex.option(p.get(), o.file ? "file" : "directory", t.path, err) != ExpandOutcome::Ok) {
      fail = defer_result(err);
      return false;
    }
    t.directory = !o.file;
  } else if (!a.file.empty()) {
    t.path = a.file;
    t.directory = o.maildir_format || t.path.back() == '/';
  } else {
    fail = defer_result("Mandatory file or directory option missing from " + c.ex.transport_name() +
                        " transport");
    return false;
  }
  while (t.directory && t.path.size() > 1 && t.path.back() == '/') t.path.pop_back();
  if (t.path.empty() || t.path[0] != '/') {
    fail = defer_result((t.directory ? "directory" : "file") + std::string(" \"") + t.path +
                        "\" is not absolute for " + c.ex.transport_name() + " transport");
    return false;
  }
  t.maildir = t.directory && o.maildir_format;
  return true;
}

bool prepare_writing(Context& c, const Delivery& d, const Target& t, Writing& w,
                     AddressResult& fail) {
  const Options& o = c.opt;
  w.message = d.message;
  w.edits = c.prep.edits;
  WriteOptions& wo = w.write;
  wo.crlf = o.use_crlf;
  wo.headers_only = o.generic.headers_only;
  wo.body_only = o.generic.body_only;
  bool mbox = !t.directory && !o.use_bsmtp;
  std::string err;
  auto expand = [&](const ProgramPtr& prog, bool set, std::string_view dflt, const char* name,
                    std::string& out) {
    if (!set) {
      out.clear();
      if (dflt.empty()) return true;
      return c.ex.expand_text(dflt, out, err) == ExpandOutcome::Ok;
    }
    return c.ex.option(prog.get(), name, out, err) == ExpandOutcome::Ok;
  };
  if (!expand(o.message_prefix, o.prefix_set, mbox ? kMboxPrefix : "", "message_prefix",
              wo.prefix) ||
      !expand(o.message_suffix, o.suffix_set, mbox ? "\n" : "", "message_suffix", wo.suffix)) {
    fail = defer_result(err);
    return false;
  }
  if (o.use_bsmtp) {
    wo.check = ".";
    wo.escape = "..";
    wo.final_newline = true;
  } else {
    wo.check = o.check_string_set ? o.check_string : (mbox ? "From " : "");
    wo.escape = o.escape_string_set ? o.escape_string : (mbox ? ">From " : "");
    wo.final_newline = mbox;
  }
  return true;
}

// Batch SMTP (spec 49.10): the envelope as SMTP commands around the message.
void add_bsmtp(const Delivery& d, const Prepared& prep, bool crlf, WriteOptions& wo) {
  std::string eol = crlf ? "\r\n" : "\n";
  std::string env = "MAIL FROM:<" + prep.return_path + ">" + eol;
  for (const DeliveryAddress& a : d.addresses) env += "RCPT TO:<" + a.address + ">" + eol;
  wo.prefix += env + "DATA" + eol;
  wo.suffix = "." + eol + wo.suffix;
}

class Appendfile : public Transport {
 public:
  Appendfile(std::string name, Options o)
      : Transport(std::move(name), "appendfile", o_.generic), o_(std::move(o)) {}
  int max_addresses() const override { return o_.batch_max; }
  void deliver(Delivery& d, const TransportServices& s) const override;

 private:
  AddressResult run(Delivery& d, const TransportServices& s) const;
  Options o_;
};

AddressResult Appendfile::run(Delivery& d, const TransportServices& s) const {
  Expander ex(s, d, name());
  Prepared prep;
  AddressResult fail;
  if (!prepare(o_.generic, ex, d, s, {}, prep, fail)) return fail;
  Durability fallback;
  Context c{o_, ex, s, prep, s.durability ? *s.durability : fallback};
  auto who = util::ScopedFsIdentity::enter(prep.id.uid, prep.id.gid, prep.id.groups);
  if (!who)
    return defer_result("failed to take the identity of uid " + std::to_string(prep.id.uid) + ": " +
                        who.error().message);
  Target t;
  Writing w;
  if (!choose_target(c, d.addresses.front(), t, fail) || !quota_settings(c, t, fail) ||
      !prepare_writing(c, d, t, w, fail))
    return fail;
  if (o_.use_bsmtp) add_bsmtp(d, prep, o_.use_crlf, w.write);
  if (!t.directory) return deliver_mbox(c, t, w);
  return t.maildir ? deliver_maildir(c, t, w) : deliver_new_file(c, t, w);
}

void Appendfile::deliver(Delivery& d, const TransportServices& s) const {
  AddressResult r = run(d, s);
  set_all_results(d, r);
}

const TransportRegistrar kRegistrar({"appendfile", kOptions,
                                     make_transport<Appendfile, read_options>});

}  // namespace
}  // namespace transports::appendfile
