// bench/transport_bench.cpp — deliveries per second by the appendfile transport to Maildirs
// and to an mbox, every delivery fsynced (file and directory) before it counts, one thread at
// a time and with concurrent threads (as a multi-threaded delivery process would run them);
// and the same without syncing, to see what the file system work costs apart from the syncs.
//
//   cmake -S . -B build-bench -G Ninja -DFACTEUR_BENCH=ON && ninja -C build-bench transport_bench
//   build-bench/transport_bench
//
// Files go to $FACTEUR_BENCH_DIR (default /tmp: it should be the disk mailboxes would be on).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/config/config.h"
#include "engine/variables.h"
#include "transports/transport.h"

namespace {

std::string bench_dir() {
  const char* d = std::getenv("FACTEUR_BENCH_DIR");
  std::string tmpl = std::string(d ? d : "/tmp") + "/facteur-transport-bench-XXXXXX";
  if (!mkdtemp(tmpl.data())) std::abort();
  return tmpl;
}

// Syncs nothing: what the deliveries cost without the disk flushes.
class NoSync : public transports::Durability {
 public:
  bool sync_file(int) override { return true; }
  bool sync_directory(const std::string&) override { return true; }
};

struct Setup {
  std::string dir;
  std::unique_ptr<engine::config::Config> cfg;
  std::unique_ptr<engine::Variables> vars;
  std::unique_ptr<transports::Transport> t;
  transports::MessageSource msg;
  NoSync nosync;
};

Setup* g = nullptr;

void setup(const std::string& transport_conf) {
  auto s = std::make_unique<Setup>();
  s->dir = bench_dir();
  std::string conf = "begin transports\nt:\n  driver = appendfile\n" + transport_conf;
  size_t pos;
  while ((pos = conf.find("DIR")) != std::string::npos) conf.replace(pos, 3, s->dir);
  auto c = engine::config::read_string(conf, "bench.conf");
  if (!c) std::abort();
  s->cfg = std::make_unique<engine::config::Config>(std::move(*c));
  s->vars = std::make_unique<engine::Variables>(s->cfg.get());
  auto t = transports::transport_create(*s->cfg, s->cfg->transports[0]);
  if (!t) std::abort();
  s->t = std::move(*t);
  engine::SpoolMessage m;
  m.id = "1xVkc9-000131-34";
  m.sender = "sender@example.org";
  m.headers.push_back({'P', "Received: from client.example by mx.example with esmtp\n"});
  m.headers.push_back({' ', "Subject: benchmark\n"});
  std::string body;
  for (int i = 0; i < 60; ++i) body += "A line of a message of about four kilobytes in all....\n";
  s->msg = transports::MessageSource::from_memory(m, body);
  g = s.release();
}

void teardown() {
  std::filesystem::remove_all(g->dir);
  delete g;
  g = nullptr;
}

void deliver(benchmark::State& state, bool sync) {
  int thread = state.thread_index();
  for (auto _ : state) {
    transports::Delivery d;
    d.message = &g->msg;
    transports::DeliveryAddress a;
    a.local_part = "user" + std::to_string(thread);
    a.domain = "bench.example";
    a.address = a.local_part + "@" + a.domain;
    a.uid = geteuid();
    a.gid = getegid();
    a.home = g->dir + "/" + a.local_part;
    d.addresses.push_back(a);
    transports::TransportServices s;
    s.config = g->cfg.get();
    s.vars = g->vars.get();
    s.primary_hostname = "bench.example";
    if (!sync) s.durability = &g->nosync;
    g->t->deliver(d, s);
    if (d.results[0].outcome != transports::Outcome::Ok)
      state.SkipWithError(d.results[0].message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Maildir(benchmark::State& state) {
  if (state.thread_index() == 0) setup("  directory = $home/Maildir\n  maildir_format\n");
  deliver(state, state.range(0) != 0);
  if (state.thread_index() == 0) teardown();
}
BENCHMARK(BM_Maildir)->Arg(1)->Threads(1)->Threads(8)->Threads(32)->UseRealTime();
BENCHMARK(BM_Maildir)->Arg(0)->Threads(1)->UseRealTime();

void BM_Mbox(benchmark::State& state) {
  if (state.thread_index() == 0) setup("  file = $home/mbox\n");
  deliver(state, state.range(0) != 0);
  if (state.thread_index() == 0) teardown();
}
BENCHMARK(BM_Mbox)->Arg(1)->Threads(1)->Threads(8)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
