#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build/fuzz, with the flags of the
# sanitizer suite of scripts/test.sh so the two share one engine build, replays every input that
# ever crashed them (tests/fuzz/regressions/<target>/), then fuzzes each target for
# FUZZ_SECONDS (default 30) from its seed corpus. Exits non-zero on the first crash and prints
# the path of the crashing input; copy it into tests/fuzz/regressions/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
JOBS="${FUZZ_JOBS:-2}"
BUILD=build/fuzz
TARGETS=(model_file architecture)
declare -A MAX_LEN=([model_file]=65536 [architecture]=4096)

CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DDIGITLAB_FUZZ=ON -DDIGITLAB_NATIVE_ARCH=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$JOBS" --target "${TARGETS[@]/#/fuzz_}"

# Fail loudly when a fuzzer cannot allocate: a hostile input must never make us allocate GBs.
export ASAN_OPTIONS="${ASAN_OPTIONS:-allocator_may_return_null=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

for t in "${TARGETS[@]}"; do
  exe="$BUILD/tests/fuzz/fuzz_$t"
  regressions="tests/fuzz/regressions/$t"
  mapfile -t inputs < <(find "$regressions" -type f ! -name '.*' 2>/dev/null | sort)
  if [ ${#inputs[@]} -gt 0 ]; then
    echo "fuzz: replaying ${#inputs[@]} regression input(s) for $t"
    for input in "${inputs[@]}"; do
      if ! "$exe" -rss_limit_mb=2048 "$input" >"$BUILD/replay-$t.log" 2>&1; then
        cat "$BUILD/replay-$t.log" >&2
        echo "fuzz: REGRESSION: $t crashes on $input" >&2
        exit 1
      fi
    done
  fi

  # New inputs go to a scratch corpus; the checked-in seeds stay small and hand-picked.
  work="$BUILD/corpus-$t"
  artifacts="$BUILD/artifacts-$t/"
  mkdir -p "$work" "$artifacts"
  echo "fuzz: $t for ${FUZZ_SECONDS}s"
  dict=(); [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  if ! "$exe" "$work" "tests/fuzz/corpus/$t" "${dict[@]}" -max_total_time="$FUZZ_SECONDS" -max_len="${MAX_LEN[$t]}" \
      -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 -artifact_prefix="$artifacts" \
      -print_final_stats=1 >"$BUILD/fuzz-$t.log" 2>&1; then
    tail -n 60 "$BUILD/fuzz-$t.log" >&2
    crash=$(grep -o "Test unit written to .*" "$BUILD/fuzz-$t.log" | tail -n 1 | sed 's/Test unit written to //')
    echo "fuzz: CRASH in $t: ${crash:-see $BUILD/fuzz-$t.log}" >&2
    exit 1
  fi
  grep -E "^(stat::number_of_executed_units|stat::new_units_added)" "$BUILD/fuzz-$t.log" | sed "s/^/fuzz: $t /" || true
done
echo "fuzz: no crashes"
