// bench/expand_bench.cpp — expansions per second for administrators' everyday expressions:
// parse+evaluate (a string seen once) and evaluate-only (a compiled config option).
//
//   scripts/build.sh bench && build-bench/expand_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

#include "lang/expand.h"

namespace {

std::string g_users;  // an lsearch file of 2000 users, written once

const std::string& users_file() {
  if (!g_users.empty()) return g_users;
  char tmpl[] = "/tmp/facteur-bench-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) std::abort();
  std::FILE* f = fdopen(fd, "w");
  for (int i = 0; i < 2000; ++i) {
    std::fprintf(f, "user%04d: uid=%d quota=%dM home=/home/u%d pw={sha1}%s\n", i, 1000 + i,
                 i % 500, i, "W6ph5Mm5Pz8GgiULbPgzG37mj9g=");
  }
  std::fclose(f);
  g_users = tmpl;
  return g_users;
}

std::string expr(int which) {
  const std::string& u = users_file();
  switch (which) {
    case 0:  // the password check of an authenticator
      return "${if crypteq{password}{${extract{pw}{${lookup{user1234}lsearch{" + u +
             "}{$value}fail}}}}{yes}{no}}";
    case 1:  // relay checks
      return "${if and{{match_ip{192.168.1.20}{127.0.0.1 : 10.0.0.0/8 : 192.168.0.0/16}}"
             "{match_domain{mail.example.com}{example.com : *.example.com}}}{relay}{deny}}";
    case 2:  // list operations
      return "${reduce{${map{a:b:c:d:e:f}{${uc:$item}}}}{}{$value$item}}";
    case 3:  // regex rewriting of an address
      return "${sg{first.last+tag@Example.COM}{\\N\\+[^@]*\\N}{}}";
    default:
      return "$primary_hostname";
  }
}

void BM_ParseEval(benchmark::State& state) {
  std::string s = expr(static_cast<int>(state.range(0)));
  lang::EvalContext ctx;
  std::string out;
  for (auto _ : state) {
    lang::Status st = lang::expand_string(s, ctx, out);
    benchmark::DoNotOptimize(out);
    if (!st.is_ok()) state.SkipWithError(st.message().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_EvalOnly(benchmark::State& state) {
  std::string s = expr(static_cast<int>(state.range(0)));
  lang::Program p;
  if (!lang::Program::compile(s, p).is_ok()) {
    state.SkipWithError("parse error");
    return;
  }
  lang::EvalContext ctx;
  std::string out;
  for (auto _ : state) {
    lang::Status st = p.eval(ctx, out);
    benchmark::DoNotOptimize(out);
    if (!st.is_ok()) state.SkipWithError(st.message().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

// 0: crypteq+extract+lookup, 1: relay checks, 2: list ops, 3: sg
BENCHMARK(BM_ParseEval)->DenseRange(0, 3);
BENCHMARK(BM_EvalOnly)->DenseRange(0, 3);

}  // namespace

BENCHMARK_MAIN();
