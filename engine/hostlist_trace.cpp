// engine/hostlist_trace.cpp — see hostlist_trace.h.
#include "engine/hostlist_trace.h"

#include <string>

#include "lang/expand.h"
#include "lang/lists.h"
#include "lang/match/listmatch.h"

namespace engine {
namespace {

using lang::ListTracer;

constexpr int kMaxDepth = 50;  // named lists inside named lists

struct Walk {
  lang::EvalContext& ctx;
  ListTracer& tracer;
  const lang::HostInfo& host;
  std::string_view subject;
};

bool is_policy_item(std::string_view item) {
  return item == "+include_unknown" || item == "+ignore_unknown" || item == "+include_defer" ||
         item == "+ignore_defer";
}

bool walk_list(Walk& w, std::string_view list, std::string_view label, int depth, bool& ok);

// "+name": the named list's own walk (shown unless the tracer has it cached); false with
// `ok` false when it cannot be had.
bool walk_named(Walk& w, std::string_view name, int depth, bool& ok, bool& cached) {
  const lang::NamedList* nl = w.ctx.lists ? w.ctx.lists->find(name) : nullptr;
  if (!nl || nl->kind != lang::ListKind::Host || depth >= kMaxDepth) return ok = false;
  std::string text;
  lang::Status st = lang::expand_string(nl->value, w.ctx, text);
  if (st.is_fail()) return false;
  if (!st.is_ok()) return ok = false;
  cached = w.tracer.named_begin(lang::ListKind::Host, name, nl->value, w.host.address);
  bool yes = walk_list(w, text, {}, depth + 1, ok);
  w.tracer.named_end();
  return yes;
}

// One plain item, matched alone.
bool item_matches(Walk& w, std::string_view item, bool& ok) {
  if (item.empty()) return w.host.address.empty();
  lang::ListWriter one(':');
  one.add(item);
  lang::HostMatch m;
  if (!lang::match_hostlist(w.ctx, one.str(), w.host, lang::HostListMode::Acl, m).is_ok()) {
    return ok = false;
  }
  return m.matched;
}

void report(Walk& w, std::string_view list, std::string_view label, bool yes,
            const std::string* item, bool cached) {
  ListTracer::Event e;
  e.kind = lang::ListKind::Host;
  e.subject = w.subject;
  e.is_option = !label.empty();
  e.list = e.is_option ? label : list;
  e.yes = yes;
  e.how = item ? ListTracer::How::Matched : ListTracer::How::EndOfList;
  if (item) e.item = *item;
  e.cached = cached;
  w.tracer.list_result(e);
}

bool walk_list(Walk& w, std::string_view list, std::string_view label, int depth, bool& ok) {
  lang::ListReader reader(list);
  std::string raw;
  bool last_negated = false;
  while (ok && reader.next(raw)) {
    std::string_view item = raw;
    bool negated = lang::list_strip_negation(item);
    if (is_policy_item(item)) continue;
    last_negated = negated;
    bool cached = false;
    bool hit = !item.empty() && item.front() == '+'
                   ? walk_named(w, item.substr(1), depth, ok, cached)
                   : item_matches(w, item, ok);
    if (!ok) return false;
    if (hit) {
      report(w, list, label, !negated, &raw, cached);
      return !negated;
    }
  }
  if (ok) report(w, list, label, last_negated, nullptr, false);
  return last_negated;
}

}  // namespace

void trace_hostlist(lang::EvalContext& ctx, std::string_view list, const lang::HostInfo& host,
                    std::string_view label) {
  if (!ctx.list_tracer) return;
  Walk w{ctx, *ctx.list_tracer, host, host.address.empty() ? "" : "host"};
  bool ok = true;
  (void)walk_list(w, list, label, 0, ok);
}

void trace_empty_option(lang::EvalContext& ctx, lang::ListKind kind, std::string_view subject,
                        std::string_view option, bool is_set) {
  if (!ctx.list_tracer) return;
  ListTracer::Event e;
  e.kind = kind;
  e.subject = subject;
  e.list = option;
  e.is_option = true;
  e.how = is_set ? ListTracer::How::EndOfList : ListTracer::How::OptionUnset;
  ctx.list_tracer->list_result(e);
}

}  // namespace engine
