#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test:
#   1. release build: unit tests (doctest) and the conformance corpora, through ctest;
#   2. ASan+UBSan build: the same tests again;
#   3. fuzz targets (clang libFuzzer), each for a bounded time (FUZZ_SECONDS, default 20), from a
#      fixed seed (FUZZ_SEED, default 1) so that a run is reproducible: the same inputs in the
#      same order on every machine, a faster one going further along the same path. Longer
#      campaigns with other seeds are run by hand; what they find goes to fuzz/regressions/.
# Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ "$(id -u)" = 0 ]; then scripts/install-deps.sh; fi

echo "== release build"
scripts/build.sh release
echo "== tests (release)"
(cd build && ctest --output-on-failure -j2)

echo "== ASan+UBSan build"
scripts/build.sh asan
echo "== tests (ASan+UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j2)

echo "== fuzzing"
scripts/build.sh fuzz
secs=${FUZZ_SECONDS:-20}
seeds_root="$root/build-fuzz/seeds"
if [ -d "$root/../shared/conformance" ]; then
  python3 scripts/make-fuzz-seeds.py "$root/../shared" "$seeds_root" >/dev/null
fi
for f in build-fuzz/*_fuzz; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  corpus="$root/build-fuzz/corpus-$name"
  mkdir -p "$corpus"
  seeds="$seeds_root/${name%_fuzz}"
  # inputs that once failed (fuzz/regressions/<target>/) run first, then the seeds and the
  # corpus grown so far
  extra=()
  for d in "$root/fuzz/regressions/${name%_fuzz}" "$seeds"; do [ -d "$d" ] && extra+=("$d"); done
  echo "-- $name for ${secs}s"
  "$f" -seed="${FUZZ_SEED:-1}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
    "$corpus" "${extra[@]}" 2>"build-fuzz/$name.log" || { tail -40 "build-fuzz/$name.log"; exit 1; }
done
echo "== all tests passed"
