// engine/spool_format.cpp — writing the -H text (reading is in spool_parse.cpp).
#include "engine/spool_format.h"

#include <algorithm>
#include <charconv>

namespace engine {

namespace {

// Values are written on one line: a newline would end the item early.
std::string one_line(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

void format_var(const SpoolVar& v, std::string& out) {
  out += v.tainted ? "--" : "-";
  if (!v.quoter.empty()) out += "(" + v.quoter + ")";
  out += v.name;
  if (v.has_value) out += " " + one_line(v.value);
  out += '\n';
}

void format_acl_var(const SpoolAclVar& v, std::string& out) {
  out += v.tainted ? "--acl" : "-acl";
  out += v.kind == 'c' ? 'c' : 'm';
  out += " " + one_line(v.name) + " " + std::to_string(v.value.size()) + "\n";
  out += v.value;
  out += '\n';
}

// Preorder of a balanced tree over sorted[lo, hi).
void format_tree(const std::vector<std::string>& sorted, size_t lo, size_t hi, std::string& out) {
  size_t mid = lo + (hi - lo) / 2;
  out += mid > lo ? 'Y' : 'N';
  out += mid + 1 < hi ? 'Y' : 'N';
  out += " " + one_line(sorted[mid]) + "\n";
  if (mid > lo) format_tree(sorted, lo, mid, out);
  if (mid + 1 < hi) format_tree(sorted, mid + 1, hi, out);
}

void format_recipient(const SpoolRecipient& r, std::string& out) {
  out += one_line(r.address);
  if (!r.has_dsn && !r.has_parent) {
    out += '\n';
    return;
  }
  if (r.has_dsn) {
    std::string orcpt = one_line(r.orcpt);
    out += " " + orcpt + " " + std::to_string(orcpt.size()) + "," + std::to_string(r.dsn_flags);
  }
  // Exim always writes the errors_to part when there is DSN data.
  std::string errors_to = one_line(r.errors_to);
  out += " " + errors_to + " " + std::to_string(errors_to.size()) + "," + std::to_string(r.parent) +
         "#" + (r.has_dsn ? "3" : "1") + "\n";
}

void format_header(const SpoolHeader& h, std::string& out) {
  std::string text = h.text;
  if (text.empty() || text.back() != '\n') text += '\n';
  std::string len = std::to_string(text.size());
  if (len.size() < 3) len.insert(0, 3 - len.size(), '0');
  out += len;
  out += h.type == '\0' || h.type == '\n' ? ' ' : h.type;
  out += ' ';
  out += text;
}

}  // namespace

const SpoolVar* SpoolMessage::var(std::string_view name) const {
  for (const auto& v : vars)
    if (v.name == name) return &v;
  return nullptr;
}

std::string SpoolMessage::value(std::string_view name, std::string_view dflt) const {
  const SpoolVar* v = var(name);
  return v ? v->value : std::string(dflt);
}

void SpoolMessage::set_var(std::string_view name, std::string_view val, bool tainted) {
  remove_var(name);
  vars.push_back({std::string(name), std::string(val), true, tainted, {}});
}

void SpoolMessage::set_flag(std::string_view name) {
  remove_var(name);
  vars.push_back({std::string(name), {}, false, false, {}});
}

void SpoolMessage::remove_var(std::string_view name) {
  std::erase_if(vars, [&](const SpoolVar& v) { return v.name == name; });
}

int64_t SpoolMessage::header_size() const {
  int64_t n = 0;
  for (const auto& h : headers)
    if (h.type != '*') n += static_cast<int64_t>(h.text.size());
  return n;
}

bool SpoolMessage::delivered(std::string_view address) const {
  return std::find(non_recipients.begin(), non_recipients.end(), address) != non_recipients.end();
}

std::string spool_format_host_address(std::string_view ip, int port) {
  return "[" + std::string(ip) + "]:" + std::to_string(port);
}

bool spool_parse_host_address(std::string_view text, std::string& ip, int& port) {
  size_t cut = text.rfind(text.starts_with('[') ? ':' : '.');
  if (cut == std::string_view::npos || cut + 1 >= text.size()) return false;
  std::string_view p = text.substr(cut + 1);
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || end != p.data() + p.size()) return false;
  std::string_view addr = text.substr(0, cut);
  if (addr.starts_with('[')) {
    if (addr.size() < 2 || addr.back() != ']') return false;
    addr = addr.substr(1, addr.size() - 2);
  }
  ip = std::string(addr);
  return true;
}

std::string spool_header_format(const SpoolMessage& msg) {
  std::string out = msg.id + "-H\n";
  out += one_line(msg.login) + " " + std::to_string(msg.uid) + " " + std::to_string(msg.gid) + "\n";
  out += "<" + one_line(msg.sender) + ">\n";
  out += std::to_string(msg.received_time) + " " + std::to_string(msg.warning_count) + "\n";
  for (const auto& v : msg.vars) format_var(v, out);
  for (const auto& v : msg.acl_vars) format_acl_var(v, out);
  std::vector<std::string> done = msg.non_recipients;
  std::sort(done.begin(), done.end());
  done.erase(std::unique(done.begin(), done.end()), done.end());
  if (done.empty())
    out += "XX\n";
  else
    format_tree(done, 0, done.size(), out);
  out += std::to_string(msg.recipients.size()) + "\n";
  for (const auto& r : msg.recipients) format_recipient(r, out);
  out += '\n';
  for (const auto& h : msg.headers) format_header(h, out);
  return out;
}

}  // namespace engine
