// Prepended inside the module factory (--pre-js). Emscripten 3.1.6 emits CommonJS names
// (__dirname, require) on its Node path even in an ES-module build, where they do not exist.
// They are only used to read nn.wasm from disk, which web/digitlab.js does itself (it passes
// wasmBinary), so these stand-ins just keep the Node path from crashing.
var __dirname = "";
var require = function () {
  throw new Error("digitlab: in Node, load the module through web/digitlab.js (it passes wasmBinary)");
};
