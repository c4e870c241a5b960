#!/usr/bin/env bash
# Installs everything digitlab needs on Debian 12 and is a no-op when it is all there.
# As root it installs the missing Debian packages with apt-get; as another user it names
# them and stops. Then it installs the npm packages if node_modules is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages and why: cmake/g++ build the engine; clang + libclang-rt-14-dev give
# libFuzzer and the sanitizers; libeigen3-dev is the linear algebra; catch2 (v2) the unit
# tests; nlohmann-json3-dev parses architecture descriptions; emscripten (3.1.6) and
# node-acorn build the wasm module; chromium runs the page in the end-to-end tests, and
# fonts-dejavu-core gives it a font to draw the page's text with (fonts-wqy-microhei the Chinese
# page's, so its layout is measured with real glyphs); strace kills the CLI mid-save in
# the CLI tests.
PACKAGES=(cmake make g++ clang libclang-rt-14-dev libeigen3-dev catch2 nlohmann-json3-dev strace
          emscripten node-acorn binaryen chromium fonts-dejavu-core fonts-wqy-microhei)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "digitlab needs these Debian packages, which are not installed:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    echo "Run that (or run this command as root), then try again." >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages (playwright-core for browser tests, TF.js peers for the benchmark).
if [ ! -d node_modules ] || [ package.json -nt node_modules ] || \
   { [ -f package-lock.json ] && [ package-lock.json -nt node_modules ]; }; then
  echo "setup: installing npm packages"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
  touch node_modules
fi
