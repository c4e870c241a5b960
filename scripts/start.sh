#!/usr/bin/env bash
# Builds what the page needs (setup, the wasm module, the datasets copied to
# web/generated/digits.bin, font-digits.bin and stroke-digits.bin, git-ignored, so web/ is self-contained for any static host) and
# serves web/ on 127.0.0.1. Options go to the server: `npm start -- --port 9000` or PORT=9000.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build-wasm.sh
for f in web/nn.js web/nn.wasm data/digits.bin data/font-digits.bin data/stroke-digits.bin; do
  [ -f "$f" ] || { echo "start: $f is missing; the build above should have made it" >&2; exit 1; }
done
mkdir -p web/generated
cp -p data/digits.bin web/generated/digits.bin
cp -p data/font-digits.bin web/generated/font-digits.bin
cp -p data/stroke-digits.bin web/generated/stroke-digits.bin
node scripts/write-build-id.mjs  # the service worker's version and file list (web/sw.js)
exec node scripts/serve.mjs --root web "$@"
