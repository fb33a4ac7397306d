// engine/deliver_transport.cpp — routed addresses to their transports (spec 3.13 "Delivery",
// chapter 25 "Address batching in local transports", 30 "The smtp transport"): local
// deliveries first, then remote ones, each batch one Transport::deliver() call; a journal
// line for every delivered address before the next batch starts.
#include <algorithm>
#include <random>

#include "engine/deliver_internal.h"
#include "util/strings.h"

namespace engine::deliver_detail {
namespace {

transports::Host to_transport_host(const Host& h) {
  return transports::Host{h.name, h.address, h.port, h.mx};
}

transports::DeliveryAddress delivery_address(const Address& a) {
  transports::DeliveryAddress d;
  d.address = a.address;
  d.local_part = a.local_part;
  d.domain = a.domain;
  d.prefix = a.prefix;
  d.suffix = a.suffix;
  d.local_part_data = a.prop.local_part_data;
  d.domain_data = a.prop.domain_data;
  d.address_data = a.prop.address_data;
  d.original = top_address(a);
  d.parent = a.parent ? a.parent->address : "";
  d.router = a.router_name;
  d.errors_to = a.prop.errors_to.value_or("");
  d.home = a.ids.home_dir;
  d.current_dir = a.ids.current_dir;
  d.uid = a.ids.uid;
  d.gid = a.ids.gid;
  d.initgroups = a.ids.initgroups;
  if (a.kind == AddressKind::File || a.kind == AddressKind::Directory) d.file = a.address;
  if (a.kind == AddressKind::Pipe) d.pipe = a.address;
  for (const Host& h : a.hosts) {
    d.hosts.push_back(to_transport_host(h));
    d.hosts_from_mx |= h.mx >= 0;
  }
  for (const Host& h : a.fallback_hosts) d.fallback_hosts.push_back(to_transport_host(h));
  d.headers_add = a.prop.headers_add;
  d.headers_remove = a.prop.headers_remove;
  return d;
}

// Whether `b` may share a transport run with `a` (spec 25: same transport, and for local
// batches the same domain and identity; for remote ones the same hosts).
bool same_batch(const Address& a, const Address& b) {
  if (a.transport != b.transport || a.prop.errors_to != b.prop.errors_to ||
      a.prop.headers_add != b.prop.headers_add || a.prop.headers_remove != b.prop.headers_remove)
    return false;
  if (a.local_transport) {
    return !is_delivery_address(a) && !is_delivery_address(b) && a.domain == b.domain &&
           a.ids.uid == b.ids.uid && a.ids.gid == b.ids.gid && a.ids.home_dir == b.ids.home_dir;
  }
  return a.hosts == b.hosts;
}

// The routed addresses in routing order, without duplicates (the first copy is delivered).
std::vector<AddressPtr> ordered(const std::deque<AddressPtr>& list,
                                std::vector<std::string>& seen) {
  std::vector<AddressPtr> out;
  for (auto it = list.rbegin(); it != list.rend(); ++it) {
    const std::string& u = (*it)->unique.empty() ? (*it)->address : (*it)->unique;
    if (std::find(seen.begin(), seen.end(), u) != seen.end()) continue;
    seen.push_back(u);
    out.push_back(*it);
  }
  return out;
}

}  // namespace

void MessageDelivery::run_batch(const transports::Transport& t, std::vector<AddressPtr>& batch) {
  journal_flush();
  if (req_.no_deliver) {  // -N: "*>" as if delivered
    for (const auto& a : batch) {
      delivered(a, "*> " + log_address(*a, false) + " R=" + a->router_name + " T=" + t.name());
    }
    return;
  }
  transports::Delivery d;
  d.message = &*src_;
  for (const auto& a : batch) d.addresses.push_back(delivery_address(*a));
  transports::TransportServices s;
  s.config = env_.cfg;
  s.vars = &vars_;
  s.lists = &lists_src_;
  s.durability = env_.durability;
  s.resolve = env_.resolve;
  s.now = [this] { return now_; };
  s.primary_hostname = primary_hostname(env_.cfg);
  s.debug = env_.debug;
  if (env_.submitter) {
    s.submit = [this](const transports::NewMessage& nm) -> util::Result<std::string> {
      LocalMessage m;
      m.sender = nm.sender;
      for (const auto& r : nm.recipients) {
        SpoolRecipient sr;
        sr.address = r;
        m.recipients.push_back(std::move(sr));
      }
      m.text = nm.text;
      return env_.submitter->submit(m);
    };
  }
  t.deliver(d, s);
  record_results(t, batch, d);
}

// The addresses of `list` from `i` on that may share a run with list[i] (marked taken).
static std::vector<AddressPtr> take_batch(std::vector<AddressPtr>& list, std::vector<bool>& taken,
                                          size_t i, size_t limit) {
  std::vector<AddressPtr> batch{list[i]};
  taken[i] = true;
  for (size_t j = i + 1; j < list.size() && batch.size() < limit; ++j) {
    if (!taken[j] && same_batch(*list[i], *list[j])) {
      batch.push_back(list[j]);
      taken[j] = true;
    }
  }
  return batch;
}

// Retry times: a local batch waits for its address's time (queue runs), a remote one for its
// hosts'; with every host past its cutoff the addresses fail (spec 32.10). True when held.
bool MessageDelivery::held_back(std::vector<AddressPtr>& batch, bool is_local) {
  const AddressPtr& first = batch.front();
  if (is_local) {
    if (local_due(*first)) return false;
    for (const auto& a : batch)
      deferred(a, AddressOutcome::deferral("retry time not reached", -52), "");
    return true;
  }
  bool all_expired = false;
  if (filter_hosts(*first, all_expired)) {
    for (const auto& a : batch) a->hosts = first->hosts;
    return false;
  }
  for (const auto& a : batch) {
    std::string who = log_address(*a, false) + " R=" + a->router_name + " T=" + a->transport;
    if (all_expired) {
      AddressOutcome o = AddressOutcome::failure(
          "retry time not reached for any host after a long failure period");
      failed(a, o, "** " + who + ": " + o.message);
    } else {
      AddressOutcome o = AddressOutcome::deferral("retry time not reached for any host", -53);
      deferred(a, o, "== " + who + " defer (-53): " + o.message);
    }
  }
  return true;
}

void MessageDelivery::run_list(std::vector<AddressPtr>& list, bool is_local) {
  std::vector<bool> taken(list.size(), false);
  for (size_t i = 0; i < list.size(); ++i) {
    if (taken[i]) continue;
    const AddressPtr& first = list[i];
    auto it = env_.transports->find(first->transport);
    if (it == env_.transports->end()) {
      taken[i] = true;
      AddressOutcome o =
          AddressOutcome::deferral("transport \"" + first->transport + "\" not found");
      deferred(first, o,
               "== " + log_address(*first, false) + " R=" + first->router_name +
                   " defer (-1): " + o.message);
      continue;
    }
    const transports::Transport& t = *it->second;
    size_t limit = t.max_addresses() > 0 ? static_cast<size_t>(t.max_addresses()) : SIZE_MAX;
    std::vector<AddressPtr> batch = take_batch(list, taken, i, limit);
    if (!held_back(batch, is_local)) run_batch(t, batch);
  }
}

void MessageDelivery::run_transports() {
  std::vector<std::string> seen;
  std::vector<AddressPtr> local = ordered(lists_.local, seen);
  std::vector<AddressPtr> remote = ordered(lists_.remote, seen);
  run_list(local, true);
  if (req_.local_only) {  // -odqs, -ql: remote deliveries wait for a queue run
    for (const auto& a : remote) deferred_tops_.insert(top_address(*a));
    return;
  }
  run_list(remote, false);
}

}  // namespace engine::deliver_detail
