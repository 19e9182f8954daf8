#!/usr/bin/env bash
# The project's one build helper. Usage:
#   ./build.sh demo    install missing Debian packages, build Release, run the offline demo: the
#                      live engine against the local simulator (mde demo), then replays
#   ./build.sh test    install missing packages, build, run every test: Release (-Werror);
#                      ASan+UBSan with assertions on, from a copy of the repository alone; mde as
#                      an add_subdirectory subproject; the example strategy projects against the
#                      installed package (the live one against the installed mde sim); TSan over
#                      the queue, session and pipeline tests, and a bounded libFuzzer run of each
#                      decoder when clang is installed
#   ./build.sh bench   build Release and run the benchmarks (figures for docs/PERFORMANCE.md)
#   ./build.sh deps    only install missing packages
# Environment: MDE_DEMO_SECONDS (default 10), MDE_FUZZ_SECONDS (default 30), MDE_JOBS (default:
# nproc), MDE_PORTABLE=1 for a build without -march=native, MDE_SANITIZER_CXX (default clang++)
# for the ASan and TSan builds.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(g++ cmake ninja-build pkgconf libsimdjson-dev libboost-dev libssl-dev
          libconcurrentqueue-dev libreaderwriterqueue-dev libbenchmark-dev libgtest-dev
          rapidjson-dev nlohmann-json3-dev clang libclang-rt-dev libcli11-dev
          libtomlplusplus-dev)
JOBS=${MDE_JOBS:-$(nproc)}
NATIVE=$([ "${MDE_PORTABLE:-0}" = 1 ] && echo OFF || echo ON)

# Sanitizer builds: -O1 keeps reports exact and the tests quick, -g1 keeps file:line in them; both
# halve the compile of the Beast/OpenSSL translation units against -O2 -g.
SANITIZER_OPT="-O1 -g1"
# ... and they compile with clang (installed for the fuzzers anyway): it builds the instrumented
# Beast/OpenSSL code in about half GCC's time, and its -Werror warnings add to GCC's from the
# Release build. MDE_SANITIZER_CXX=g++ builds them with GCC instead.
sanitizer_cxx() {
  local cxx=${MDE_SANITIZER_CXX:-clang++}
  command -v "$cxx" >/dev/null || cxx=g++
  echo "$cxx"
}

log() { printf '\n== [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }  # time since start

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
  log "demo 1/3: the live engine against the local exchange simulator over TLS (mde demo)"
  "$mde" demo --duration "${MDE_DEMO_SECONDS:-10}"
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

# copy_repo <dir>: the repository's own files (tracked, plus untracked ones not ignored) into
# <dir>, nothing else: no build directories, nothing from beside the repository.
copy_repo() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
      xargs -0 cp --parents -t "$1"
  else
    tar --exclude=./build --exclude='./build-*' -cf - . | tar -xf - -C "$1"
  fi
}

# The engine as others get it, from a copy of the repository alone in a temporary directory (so a
# test or a build reading anything outside the repository fails here): the test suite under
# ASan+UBSan with assertions on, which also runs the debug-only checks (the queues'
# single-producer/consumer role asserts);
# mde as an add_subdirectory subproject; the example strategy projects built with find_package
# against the engine installed from build/release (replay_top_of_book without Boost and OpenSSL;
# live_top_of_book run for 2 s against the installed `mde sim`).
embedding_tests() {
  local tmp
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/mde-test.XXXXXX")
  trap "rm -rf '$tmp'" EXIT
  local src=$tmp/mde
  mkdir "$src"
  copy_repo "$src"

  # One configuration proves three things: the suite passes from the repository's own files alone
  # (nothing of the project's surroundings beside the copy), under AddressSanitizer + UndefinedBehaviorSanitizer, and with
  # assertions on (no NDEBUG), so the queues' debug-only single-producer/consumer checks run.
  log "tests under ASan+UBSan with assertions on, from a copy of the repository alone"
  cmake -S "$src" -B "$tmp/asan" -G Ninja -DMDE_NATIVE="$NATIVE" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="$(sanitizer_cxx)" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$SANITIZER_OPT" -DMDE_SANITIZE=address,undefined \
    -DMDE_WERROR=ON -DMDE_BUILD_BENCH=OFF -DMDE_BUILD_TOOLS=OFF -DMDE_INSTALL=OFF >/dev/null
  cmake --build "$tmp/asan" -j "$JOBS"
  ASAN_OPTIONS=detect_leaks=1 run_ctest "$tmp/asan"
  local debug_only
  debug_only=$(ctest --test-dir "$tmp/asan" -N -R DebugBuilds | grep -c 'Test *#' || true)
  [ "$debug_only" -gt 0 ] || { echo "the assertions-on build has no debug-only tests" >&2; exit 1; }

  log "mde as a subproject (add_subdirectory), without test or benchmark packages"
  local off=()
  for p in GTest benchmark nlohmann_json RapidJSON Boost OpenSSL; do
    off+=("-DCMAKE_DISABLE_FIND_PACKAGE_$p=ON")
  done
  cmake -S "$src/examples/subproject" -B "$tmp/subproject" -G Ninja --no-warn-unused-cli \
    -DMDE_NATIVE="$NATIVE" "${off[@]}" >/dev/null
  cmake --build "$tmp/subproject" -j "$JOBS"
  "$tmp/subproject/subproject_example" | tee "$tmp/subproject.out"
  grep -qx 'XRP-KRW 688.3 x 290.745' "$tmp/subproject.out"

  log "the example strategy project against the installed package"
  cmake --install build/release --prefix "$tmp/prefix" >/dev/null
  check_umbrella_header "$tmp/prefix/include"
  PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --cflags --libs mde >"$tmp/pc_flags"
  echo '#include <mde/mde.hpp>
int main() { return static_cast<int>(mde::InstrumentRegistry{}.size()); }' |
    "${CXX:-g++}" -x c++ - -o "$tmp/pc_example" $(cat "$tmp/pc_flags")
  "$tmp/pc_example"
  local example=$src/examples/replay_top_of_book
  # A replay-only project needs neither Boost nor OpenSSL, even from a package with the live layer.
  cmake -S "$example" -B "$tmp/example" -G Ninja -DCMAKE_BUILD_TYPE=Release --no-warn-unused-cli \
    -DCMAKE_PREFIX_PATH="$tmp/prefix" "${off[@]}" >/dev/null
  cmake --build "$tmp/example" -j "$JOBS"
  local sample=$src/tests/data/samples/coinone_sample.jsonl
  "$tmp/prefix/bin/mde" capture convert "$sample" "$tmp/sample.mdecap" >/dev/null
  for input in "$sample" "$tmp/sample.mdecap"; do
    "$tmp/example/replay_top_of_book" "$input" | tee "$tmp/top.out"
    diff -u "$example/coinone_sample.expected" "$tmp/top.out"
  done

  log "the live example project against the installed package and the installed mde sim"
  cmake -S "$src/examples/live_top_of_book" -B "$tmp/live_example" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
  cmake --build "$tmp/live_example" -j "$JOBS"
  PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --cflags --libs mde-live >"$tmp/pc_live_flags"
  "${CXX:-g++}" "$src/examples/live_top_of_book/main.cpp" -o "$tmp/pc_live_example" \
    $(cat "$tmp/pc_live_flags")  # the same program without CMake: links through mde-live.pc
  local sim_pid
  "$tmp/prefix/bin/mde" sim --listen 127.0.0.1:0 --cert-dir "$tmp/sim-cert" \
    >"$tmp/sim.out" 2>"$tmp/sim.err" &
  sim_pid=$!
  trap "kill $sim_pid 2>/dev/null; rm -rf '$tmp'" EXIT  # the simulator stops, also on failure
  local deadline=$((SECONDS + 10))
  until grep -qs '^CA file' "$tmp/sim.out"; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$sim_pid" 2>/dev/null; then
      echo "mde sim printed no URL and CA file" >&2; cat "$tmp/sim.err" >&2; exit 1
    fi
    sleep 0.1
  done
  "$tmp/live_example/live_top_of_book" "$(awk '/^coinone public/ {print $3}' "$tmp/sim.out")" \
    "$(awk '/^CA file/ {print $3}' "$tmp/sim.out")" --market XRP-KRW --seconds 2 |
    tee "$tmp/live_top.out"
  grep -qE '^XRP-KRW bid [0-9.]+ x [0-9.]+ ask [0-9.]+ x [0-9.]+ live$' "$tmp/live_top.out"
  kill "$sim_pid"
  wait "$sim_pid"  # exit 0 on SIGTERM
  rm -rf "$tmp"
  trap - EXIT
}

# check_umbrella_header <include dir>: every installed public header is in <mde/mde.hpp> (the
# replay layers) or <mde/live.hpp> (the live layer, installed with it).
check_umbrella_header() {
  local missing=0 h umbrellas=("$1/mde/mde.hpp")
  [ -f "$1/mde/live.hpp" ] && umbrellas+=("$1/mde/live.hpp")
  while IFS= read -r h; do
    if ! grep -qF "#include \"$h\"" "${umbrellas[@]}"; then
      echo "the public header $h is in neither tools/runtime/include/mde/mde.hpp nor" \
           "tools/runtime/live/include/mde/live.hpp" >&2
      missing=1
    fi
  done < <(cd "$1" && find mde -name '*.hpp' ! -path mde/mde.hpp ! -path mde/live.hpp | sort)
  [ "$missing" = 0 ]
}

test_all() {
  deps
  build_release
  log "tests (Release)"
  run_ctest build/release

  embedding_tests

  if ctest --test-dir build/release -N -L '^pipeline$' 2>/dev/null | grep -q 'Total Tests: [1-9]'; then
    log "queue, pipeline and live-session tests under ThreadSanitizer"
    configure build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$SANITIZER_OPT" \
      -DCMAKE_CXX_COMPILER="$(sanitizer_cxx)" \
      -DMDE_SANITIZE=thread \
      -DMDE_BUILD_BENCH=OFF -DMDE_BUILD_TOOLS=OFF
    cmake --build build/tsan -j "$JOBS" --target mde_core_pipeline_tests mde_pipeline_tests \
      mde_live_tests
    TSAN_OPTIONS=halt_on_error=1 run_ctest build/tsan -L '^(pipeline|live)$'
  fi

  if command -v clang++ >/dev/null && [ -d tests/fuzz ]; then
    log "fuzzing each decoder for ${MDE_FUZZ_SECONDS:-30} s (libFuzzer)"
    CXX=clang++ configure build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMDE_FUZZ=ON -DMDE_LIVE=OFF \
      -DMDE_BUILD_TESTS=OFF -DMDE_BUILD_BENCH=OFF -DMDE_BUILD_TOOLS=OFF
    cmake --build build/fuzz -j "$JOBS"
    tests/fuzz/run.sh build/fuzz "${MDE_FUZZ_SECONDS:-30}"
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
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
