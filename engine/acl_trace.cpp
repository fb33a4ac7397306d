// engine/acl_trace.cpp — the ACL and list trace in Exim's words (see acl_trace.h).
#include "engine/acl_trace.h"

#include <algorithm>

#include "engine/acl.h"

namespace engine::acl {
namespace {

constexpr std::string_view kVerbNames[] = {"accept", "defer",   "deny", "discard",
                                           "drop",   "require", "warn"};

std::string_view verb_name(Verb v) {
  return kVerbNames[static_cast<size_t>(v)];
}

// Conditions whose value Exim expands inside the list matcher (or the ACL call) rather than
// before the condition: their trace never shows an expanded value.
constexpr std::string_view kExpandedLater[] = {"acl",        "authenticated",  "domains",
                                               "encrypted",  "hosts",          "local_parts",
                                               "recipients", "sender_domains", "senders"};

bool shows_expansion(const Item& item) {
  std::string_view name = item.def->name;
  if (std::find(std::begin(kExpandedLater), std::end(kExpandedLater), name) !=
      std::end(kExpandedLater))
    return false;
  // Exim's expansion returns the text itself (and the trace shows nothing) unless it holds a
  // '$' or a backslash.
  return item.text.find_first_of("$\\") != std::string::npos;
}

constexpr size_t kMaxAlign = 29;  // Exim pads the expanded value with at most 29 spaces

void stderr_sink(std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

PolicyTrace::PolicyTrace(std::string prefix, bool lists, Sink sink)
    : prefix_(std::move(prefix)), lists_(lists), sink_(sink ? std::move(sink) : stderr_sink) {}

void PolicyTrace::line(int depth, std::string_view text) {
  std::string l = prefix_;
  l.append(static_cast<size_t>(std::max(depth - 1, 0) + base_indent_), ' ');
  l.append(text);
  l += '\n';
  sink_(l);
}

void PolicyTrace::raw_line(std::string_view text) {
  std::string l = prefix_;
  l.append(text);
  l += '\n';
  sink_(l);
}

const std::string& PolicyTrace::acl_label() const {
  static const std::string none = "ACL";
  return acl_names_.empty() ? none : acl_names_.back();
}

void PolicyTrace::acl_begin(int depth, std::string_view name, Source source) {
  depth_ = depth;
  if (depth <= 1) {  // a new address or sender: Exim's per-address caches start empty
    for (auto it = seen_.begin(); it != seen_.end();) {
      it = std::get<0>(*it) == lang::ListKind::Host ? std::next(it) : seen_.erase(it);
    }
  }
  if (source == Source::Inline) {
    acl_names_.push_back("inline ACL");
    return;
  }
  acl_names_.push_back("ACL \"" + std::string(name) + "\"");
  line(depth, source == Source::File ? "read ACL from file " + std::string(name)
                                     : "using ACL \"" + std::string(name) + "\"");
}

void PolicyTrace::statement_begin(int depth, const Statement& s) {
  line(depth, "processing \"" + std::string(verb_name(s.verb)) + "\" (" + s.loc.file + " " +
                  std::to_string(s.last_line) + ")");
}

void PolicyTrace::item(int depth, const Item& item, const std::string* expanded) {
  std::string_view name = item.def->name;
  if (name == "message") return line(depth, "  message: " + item.text);
  if (name == "log_message") return line(depth, "l_message: " + item.text);
  if (!item.def->takes_value) return;  // endpass
  std::string lhs = "check " + std::string(item.negated ? "!" : "") + std::string(name) + " ";
  if (!item.var.empty()) lhs += item.var + " ";
  line(depth, lhs + "= " + item.text);
  if (expanded && shows_expansion(item)) {
    raw_line(std::string(std::min(lhs.size(), kMaxAlign), ' ') + "= " + *expanded);
  }
}

void PolicyTrace::statement_end(int depth, Verb verb, TestResult result) {
  static constexpr std::string_view kWords[] = {"succeeded", "failed", "deferred", "error"};
  line(depth, std::string(verb_name(verb)) + ": condition test " +
                  std::string(kWords[static_cast<size_t>(result)]) + " in " + acl_label());
}

void PolicyTrace::acl_end(int depth, AclEnd how, Verb verb) {
  static constexpr std::string_view kEnds[] = {"ACCEPT", "DENY",   "DEFER",        "DISCARD",
                                               "DROP",   "not OK", "implicit DENY"};
  if (how == AclEnd::Endpass) {
    line(depth, std::string(verb_name(verb)) + ": endpass encountered - denying access");
  } else if (how != AclEnd::Silent) {
    line(depth, "end of " + acl_label() + ": " + std::string(kEnds[static_cast<size_t>(how)]));
  }
  if (!acl_names_.empty()) acl_names_.pop_back();
  depth_ = std::max(depth - 1, 1);
}

void PolicyTrace::note(int depth, std::string_view text) {
  line(depth > 0 ? depth : depth_, text);
}

bool PolicyTrace::named_begin(lang::ListKind kind, std::string_view name, std::string_view value,
                              std::string_view subject) {
  bool cached = false;
  if (value.find('$') == std::string_view::npos) {  // lists with expansions are never cached
    cached = !seen_.emplace(kind, std::string(name), std::string(subject)).second;
  }
  bool hide = hidden_ > 0 || cached;
  named_stack_.push_back(hide);
  if (hide) ++hidden_;
  return cached;
}

void PolicyTrace::named_end() {
  if (named_stack_.empty()) return;
  if (named_stack_.back()) --hidden_;
  named_stack_.pop_back();
}

void PolicyTrace::list_result(const Event& e) {
  if (!lists_ || hidden_ > 0 || e.how == How::Deferred) return;
  std::string l(e.subject);
  l += " in ";
  l += e.is_option ? std::string(e.list) : "\"" + std::string(e.list) + "\"";
  l += e.yes ? "? yes (" : "? no (";
  if (e.how == How::Matched) {
    l += "matched \"" + std::string(e.item) + "\"" + (e.cached ? " - cached" : "") + ")";
  } else {
    l += e.how == How::OptionUnset ? "option unset)" : "end of list)";
  }
  line(depth_ + (expanding_ ? 1 : 0), l);
}

}  // namespace engine::acl
