#!/usr/bin/env bash
# `npm test`: set-up, then every suite: native Catch2 tests (under CTest), the same tests
# under AddressSanitizer + UBSan, bounded libFuzzer runs, the wasm build and its Node tests,
# the CLI tests, and the end-to-end tests in headless Chromium. Each suite's log is kept in
# build/logs/, with its machine-readable report (JUnit or Catch2 XML) that the counts come
# from; the last line sums up the test cases of every suite: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

bash scripts/setup.sh || exit 1
mkdir -p build/logs

passed=0
failed=0
summary=()
start_all=$(date +%s)

# run_suite NAME COMMAND...: runs a suite, shows its output, and records the counts of its
# reports, build/logs/NAME*.xml (a suite without tests of its own, like a build, has none).
run_suite() {
  local name=$1; shift
  local log="build/logs/$name.log" t0 rc p=0 f=0 reports
  echo
  echo "=== $name: $*"
  rm -f build/logs/"$name"*.xml
  t0=$(date +%s)
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  reports=(build/logs/"$name"*.xml)
  if [ "$REPORTS_EXPECTED" = yes ]; then
    read -r p f < <(node scripts/count-results.mjs "${reports[@]}" 2> >(tee -a "$log" >&2))
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi  # a build or crash failure counts once
  passed=$((passed + p)); failed=$((failed + f))
  summary+=("$(printf '%-10s %-4s %4d passed %3d failed %4ds' "$name" "$([ "$rc" -eq 0 ] && echo ok || echo FAIL)" "$p" "$f" "$(( $(date +%s) - t0 ))")")
  return "$rc"
}

native_tests() {
  bash scripts/build-native.sh &&
  ctest --test-dir build/native --output-on-failure -j "$(nproc)" --output-junit "$ROOT/build/logs/native.xml"
}

sanitized_tests() {
  # One clang build serves both the sanitizer run of the Catch2 suite and the fuzzers
  # (scripts/fuzz.sh reuses build/fuzz): the engine is compiled with ASan + UBSan once.
  # The whole suite runs but the [slow] training runs (they run in the Release suite above).
  # Built for the host CPU, so the SIMD GEMM kernel (AVX2/AVX-512) runs under the sanitizers too.
  CC=clang CXX=clang++ cmake -S . -B build/fuzz -DDIGITLAB_FUZZ=ON -DDIGITLAB_NATIVE_ARCH=ON \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" >/dev/null &&
  cmake --build build/fuzz -j "$(nproc)" --target nn_tests &&
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    build/fuzz/nn_tests "~[slow]" -r xml -o build/logs/sanitize.xml
}

node_tests() {
  local dirs=()
  for d in tests/wasm tests/js tests/cli; do
    compgen -G "$d/*.test.mjs" >/dev/null && dirs+=("$d"/*.test.mjs)
  done
  node_test build/logs/node.xml "${dirs[@]}"
}

e2e_tests() {
  node_test build/logs/e2e.xml tests/e2e/*.test.mjs
}

# node_test REPORT FILES...: node:test, readable on the terminal and as JUnit in REPORT.
node_test() {
  local report=$1; shift
  node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination="$report" "$@"
}

status=0
REPORTS_EXPECTED=yes run_suite native native_tests || status=1
REPORTS_EXPECTED=yes run_suite sanitize sanitized_tests || status=1
if [ -x scripts/fuzz.sh ]; then REPORTS_EXPECTED=no run_suite fuzz bash scripts/fuzz.sh || status=1; fi
REPORTS_EXPECTED=no run_suite wasm-build bash scripts/build-wasm.sh || status=1
REPORTS_EXPECTED=yes run_suite node node_tests || status=1
if compgen -G "tests/e2e/*.test.mjs" >/dev/null; then REPORTS_EXPECTED=yes run_suite e2e e2e_tests || status=1; fi

echo
echo "=== summary ($(( $(date +%s) - start_all ))s)"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
exit $status
