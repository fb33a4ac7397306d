#include "engine/daemon/session_host.h"

#include <cstdio>

#include "engine/smtp/spool_message.h"

namespace engine::daemon {

void DaemonShared::log(unsigned dests, std::string_view line) {
  if (logger) {
    logger->write(dests, line);
    return;
  }
  std::string l(line);
  l += '\n';
  std::fwrite(l.data(), 1, l.size(), stderr);
}

void DaemonServices::log(std::string_view line) {
  sh_.log(kLogMain, line);
}

void DaemonServices::log_reject(std::string_view line) {
  sh_.log(kLogMain | kLogReject, line);
}

// Writes the -D and -H files here (on the worker); the commit comes next, on this worker or
// on the committer's threads (SessionHost::commit_store / release_store).
bool DaemonServices::store_message_async(const smtp::Transaction& t, const std::string& id) {
  SpoolMessage m = smtp::build_spool_message(t, id);
  auto data = SpoolData::create(sh_.layout, id);
  if (!data) return fail(data.error().message);
  auto wrote = data->write(smtp::transaction_body(t));
  if (!wrote) return fail(wrote.error().message);
  auto prepared = spool_prepare(std::move(*data), m);
  if (!prepared) return fail(prepared.error().message);
  prepared_.emplace(std::move(*prepared));
  prepared_id_ = id;
  return true;
}

bool DaemonServices::fail(std::string msg) {
  failed_ = StoreResult{false, std::move(msg)};
  return true;
}

StoreResult DaemonServices::commit_store() {
  if (failed_) {
    StoreResult r = std::move(*failed_);
    failed_.reset();
    return r;
  }
  SpoolStatus st = sh_.committer->commit(std::move(*prepared_));
  prepared_.reset();
  if (!st.ok()) return {false, st.error().message};
  sh_.delivery.notify(prepared_id_);  // one write() to a pipe: never blocks
  return {};
}

void DaemonServices::release_store() {
  if (failed_) {
    sh_.events.post({LoopEvent::Kind::StoreDone, serial_, false, std::move(failed_->error)});
    failed_.reset();
    return;
  }
  if (!prepared_) return;
  DaemonShared* sh = &sh_;
  uint64_t serial = serial_;
  std::string id = prepared_id_;
  sh_.committer->submit(std::move(*prepared_), [sh, serial, id](SpoolStatus st) {
    if (st.ok()) sh->delivery.notify(id);
    LoopEvent ev{LoopEvent::Kind::StoreDone, serial, st.ok(), {}};
    if (!st.ok()) ev.error = st.error().message;
    sh->events.post(std::move(ev));
  });
  prepared_.reset();
}

SessionHost::SessionHost(std::shared_ptr<const Runtime> rt, DaemonShared& sh, uint64_t serial,
                         smtp::SessionSettings settings)
    : rt_(std::move(rt)), services_(sh, rt_->cfg, serial), settings_(std::move(settings)) {}

SessionHost::~SessionHost() = default;

SessionReport SessionHost::run(SessionInput in) {
  if (!session_) {
    session_ = std::make_unique<smtp::Session>(rt_->cfg, rt_->acls, services_, std::move(settings_),
                                               &rt_->lists);
    settings_ = {};
  }
  smtp::Session& s = *session_;
  SessionReport r;
  if (in.tls_policy) r.tls_verify = s.tls_verify_policy();
  if (in.tls) s.tls_started(*in.tls);
  if (in.start) s.start();
  if (in.store) s.store_finished(in.store->ok, in.store->error);
  if (!in.bytes.empty()) s.feed(in.bytes);
  if (in.eof) s.end_of_input();
  if (in.timeout) s.timed_out();
  if (in.shutdown) s.shut_down();
  r.output = s.take_output();
  r.finished = s.finished();
  r.tls_pending = s.tls_pending();
  r.store_pending = s.store_pending();
  r.hold_until = s.hold_until();
  if (r.tls_pending) r.tls_verify = s.tls_verify_policy();
  return r;
}

}  // namespace engine::daemon
