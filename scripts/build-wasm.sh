#!/usr/bin/env bash
# WebAssembly build with Debian's Emscripten into build/wasm; copies nn.js + nn.wasm to web/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j 2
