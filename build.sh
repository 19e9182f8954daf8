#!/usr/bin/env bash
# The project's one build helper. Usage:
#   ./build.sh demo    install missing Debian packages, build Release, run the offline demo
#   ./build.sh test    install missing packages, build, run every test: Release (-Werror),
#                      ASan+UBSan over the decoder/core tests, TSan over the pipeline tests,
#                      and a bounded libFuzzer run of the decoder when clang is installed
#   ./build.sh bench   build Release and run the benchmarks (figures for docs/PERFORMANCE.md)
#   ./build.sh deps    only install missing packages
# Environment: MDE_FUZZ_SECONDS (default 60), MDE_JOBS (default: nproc), MDE_PORTABLE=1 for a
# build without -march=native.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(g++ cmake ninja-build pkgconf libsimdjson-dev libboost-dev libssl-dev
          libconcurrentqueue-dev libreaderwriterqueue-dev libbenchmark-dev libgtest-dev
          rapidjson-dev nlohmann-json3-dev clang libclang-rt-dev)
JOBS=${MDE_JOBS:-$(nproc)}
NATIVE=$([ "${MDE_PORTABLE:-0}" = 1 ] && echo OFF || echo ON)

log() { printf '\n== %s\n' "$*"; }

deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

configure() {  # configure <dir> [cmake args...]
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DMDE_NATIVE="$NATIVE" "$@" >/dev/null
}

build_release() {
  log "build (Release)"
  configure build/release -DCMAKE_BUILD_TYPE=Release -DMDE_WERROR=ON
  cmake --build build/release -j "$JOBS"
}

demo() {
  deps
  build_release
  local mde=build/release/tools/mde out=build/demo
  mkdir -p "$out"
  log "demo 1/3: what the decoder makes of the documented example frames"
  "$mde" decode tests/data/coinone_protocol_frames.jsonl | tail -n 12
  log "demo 2/3: replay of the shipped sample capture through the full pipeline"
  "$mde" capture convert tests/data/samples/coinone_sample.jsonl "$out/coinone_sample.mdecap"
  "$mde" replay "$out/coinone_sample.mdecap" --stats --dump-state "$out/state.json"
  echo "final state written to $out/state.json"
  log "demo 3/3: flat-out replay of 1,000,000 synthetic trade-heavy frames"
  "$mde" gen --kind trade-heavy --frames 1000000 --seed 1 -o "$out/trade_heavy.mdecap"
  "$mde" replay "$out/trade_heavy.mdecap" --quiet --stats
}

run_ctest() {  # run_ctest <dir> [ctest args...]
  local dir=$1; shift
  ctest --test-dir "$dir" --output-on-failure -j "$JOBS" "$@"
}

test_all() {
  deps
  build_release
  log "tests (Release)"
  run_ctest build/release

  log "tests under AddressSanitizer + UndefinedBehaviorSanitizer"
  configure build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMDE_SANITIZE=address,undefined \
    -DMDE_BUILD_BENCH=OFF -DMDE_BUILD_TOOLS=OFF
  cmake --build build/asan -j "$JOBS"
  ASAN_OPTIONS=detect_leaks=1 run_ctest build/asan

  if ctest --test-dir build/release -N -L '^pipeline$' 2>/dev/null | grep -q 'Total Tests: [1-9]'; then
    log "queue and pipeline tests under ThreadSanitizer"
    configure build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMDE_SANITIZE=thread \
      -DMDE_BUILD_BENCH=OFF -DMDE_BUILD_TOOLS=OFF
    cmake --build build/tsan -j "$JOBS" --target mde_core_pipeline_tests mde_pipeline_tests
    TSAN_OPTIONS=halt_on_error=1 run_ctest build/tsan -L '^pipeline$'
  fi

  if command -v clang++ >/dev/null && [ -d tests/fuzz ]; then
    log "fuzzing each decoder for ${MDE_FUZZ_SECONDS:-60} s (libFuzzer)"
    CXX=clang++ configure build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMDE_FUZZ=ON \
      -DMDE_BUILD_TESTS=OFF -DMDE_BUILD_BENCH=OFF -DMDE_BUILD_TOOLS=OFF
    cmake --build build/fuzz -j "$JOBS"
    tests/fuzz/run.sh build/fuzz "${MDE_FUZZ_SECONDS:-60}"
  else
    log "clang++ not found: fuzzing skipped"
  fi
  log "all tests passed"
}

bench() {
  deps
  build_release
  for b in build/release/bench/*_bench; do
    [ -x "$b" ] || continue
    log "$b"
    "$b" --benchmark_min_time=0.5
  done
}

case "${1:-}" in
  demo) demo ;;
  test) test_all ;;
  bench) bench ;;
  deps) deps ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
