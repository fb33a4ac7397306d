#!/usr/bin/env bash
# Configures and builds facteur. Usage: scripts/build.sh [release|asan|fuzz|bench]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
jobs=$(nproc)
case "$kind" in
  release) cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
           ninja -C build -j"$jobs" ;;
  asan)    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFACTEUR_SANITIZE=ON >/dev/null
           ninja -C build-asan -j"$jobs" ;;
  fuzz)    CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
             -DFACTEUR_FUZZ=ON >/dev/null
           # only the fuzz targets (and what they link): the tests are built by the other kinds
           mapfile -t targets < <(ninja -C build-fuzz -t targets all | sed -n 's/^\([a-z0-9_]*_fuzz\): .*/\1/p' | grep -v '^cmake_')
           ninja -C build-fuzz -j"$jobs" "${targets[@]}" ;;
  bench)   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DFACTEUR_BENCH=ON >/dev/null
           ninja -C build-bench -j"$jobs" ;;
  *) echo "usage: $0 [release|asan|fuzz|bench]" >&2; exit 2 ;;
esac
