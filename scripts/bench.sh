#!/usr/bin/env bash
# `npm run bench`: set-up (as npm test does), builds the native benchmark (build/bench/native)
# and brings the wasm module up to date, then prints one JSON line per measurement (format in README.md "Benchmarks"):
# digitlab native and its yardstick (a plain Eigen mlp loop) / wasm in Node / wasm in headless Chromium, and the TF.js cpu and wasm
# peers in Node and Chromium, all on the engine's own train/test split.
# Last, the page itself: seconds from its load event to a first model and to the full default ensemble.
# The machine should be otherwise idle: every number is a wall-clock rate.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(( $(nproc) < 2 ? $(nproc) : 2 ))
{
  bash scripts/setup.sh
  cmake -S . -B build/bench/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/bench/native --target nn_bench nn_bench_reference -j "$jobs" >/dev/null
  bash scripts/build-wasm.sh >/dev/null
} 1>&2
mkdir -p build/bench
./build/bench/native/bench/nn_bench --export-split build/bench/split.json
./build/bench/native/bench/nn_bench_reference 100  # more epochs than the mlp line: it has no accuracy to hold fixed, and a longer median is steadier
node bench/wasm-node.mjs
node bench/tfjs-node.mjs cpu wasm 2>/dev/null
node bench/chromium.mjs digitlab tfjs-cpu tfjs-wasm
node bench/page-timing.mjs
