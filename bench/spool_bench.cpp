// bench/spool_bench.cpp — the cost of a durable spool commit, one at a time (Exim's way) and
// with group commit under concurrent writers.
//
//   scripts/build.sh bench && build-bench/spool_bench
//
// The spool goes to $FACTEUR_BENCH_DIR (default /tmp, which should be on the disk that a real
// spool would use: tmpfs makes fsync free). items_per_second is messages made durable per
// second; "batch" is the mean number of messages per committer pass.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/message_id.h"
#include "engine/spool.h"

namespace {

std::string bench_dir() {
  const char* d = std::getenv("FACTEUR_BENCH_DIR");
  std::string tmpl = std::string(d ? d : "/tmp") + "/facteur-spool-bench-XXXXXX";
  if (!mkdtemp(tmpl.data())) std::abort();
  return tmpl;
}

engine::SpoolMessage message(const std::string& id) {
  engine::SpoolMessage m;
  m.id = id;
  m.sender = "sender@example.org";
  m.received_time = 1795503417;
  m.set_var("received_protocol", "esmtp");
  engine::SpoolRecipient r;
  r.address = "user1500@bench.example";
  m.recipients.push_back(r);
  m.headers.push_back({' ', "Subject: benchmark\n"});
  return m;
}

// One spool, committer and id source shared by the threads of a run.
struct Shared {
  engine::SpoolLayout layout;
  std::unique_ptr<engine::SpoolCommitter> committer;
  std::unique_ptr<engine::MessageIdSource> ids;
};
Shared* g_shared = nullptr;

void setup(const benchmark::State& state, engine::SpoolSync sync) {
  if (state.thread_index() != 0) return;
  g_shared = new Shared;
  g_shared->layout.directory = bench_dir();
  if (!engine::spool_make_dirs(g_shared->layout)) std::abort();
  engine::CommitterOptions o;
  o.sync = sync;
  g_shared->committer = std::make_unique<engine::SpoolCommitter>(o);
  g_shared->ids = std::make_unique<engine::MessageIdSource>(static_cast<uint64_t>(getpid()));
}

void teardown(benchmark::State& state) {
  if (state.thread_index() != 0) return;
  auto st = g_shared->committer->stats();
  state.counters["batch"] =
      st.batches == 0 ? 0.0 : static_cast<double>(st.messages) / static_cast<double>(st.batches);
  std::string dir = g_shared->layout.directory;
  delete g_shared;
  g_shared = nullptr;
  std::filesystem::remove_all(dir);
}

void commit_messages(benchmark::State& state, engine::SpoolSync sync) {
  setup(state, sync);
  std::string body(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state) {
    std::string id = g_shared->ids->next().id;
    auto s = engine::spool_write_message(*g_shared->committer, g_shared->layout, message(id), body);
    if (!s) state.SkipWithError(s.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
  teardown(state);
}

// Durable commits: 1 thread is Exim's sequence, more threads share committer passes.
void BM_SpoolCommit(benchmark::State& state) {
  commit_messages(state, engine::SpoolSync::kFiles);
}
BENCHMARK(BM_SpoolCommit)->Arg(1024)->Threads(1)->Threads(8)->Threads(32)->UseRealTime();
BENCHMARK(BM_SpoolCommit)->Arg(100 * 1024)->Threads(1)->Threads(8)->UseRealTime();

// The same with one syncfs() a pass.
void BM_SpoolCommitSyncfs(benchmark::State& state) {
  commit_messages(state, engine::SpoolSync::kFilesystem);
}
BENCHMARK(BM_SpoolCommitSyncfs)->Arg(1024)->Threads(1)->Threads(8)->Threads(32)->UseRealTime();
BENCHMARK(BM_SpoolCommitSyncfs)->Arg(100 * 1024)->Threads(8)->UseRealTime();

// Without fsync: the cost of everything else (files, renames, thread hand-off).
void BM_SpoolCommitNoSync(benchmark::State& state) {
  commit_messages(state, engine::SpoolSync::kNone);
}
BENCHMARK(BM_SpoolCommitNoSync)->Arg(1024)->Threads(1)->Threads(8)->UseRealTime();

// The physical ceiling: append 4 KiB and fdatasync, one file.
void BM_Fdatasync(benchmark::State& state) {
  std::string dir = bench_dir();
  std::string path = dir + "/f";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  std::string block(4096, 'x');
  for (auto _ : state) {
    if (write(fd, block.data(), block.size()) < 0 || fdatasync(fd) != 0)
      state.SkipWithError("write/fdatasync failed");
  }
  close(fd);
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Fdatasync)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
