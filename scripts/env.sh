# Sourced by the build scripts: the environment Debian's Emscripten 3.1.6 needs.
# Its tools run under Node and need Debian's shared module folder (node-acorn lives there).
export NODE_PATH="/usr/share/nodejs:/usr/lib/nodejs${NODE_PATH:+:$NODE_PATH}"
DIGITLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Emscripten builds missing system libraries into its cache on first use; when Debian's
# cache is not writable (not root), work on a private copy of it.
if [ -z "${EM_CACHE:-}" ] && [ -d /usr/share/emscripten/cache ] && [ ! -w /usr/share/emscripten/cache ]; then
  export EM_CACHE="$HOME/.cache/digitlab-emcache"
  [ -d "$EM_CACHE" ] || { mkdir -p "$(dirname "$EM_CACHE")"; cp -r /usr/share/emscripten/cache "$EM_CACHE"; }
fi
