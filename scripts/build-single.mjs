// Builds dist/digitlab.html: the whole page in one file that works opened straight from disk
// (file://), where a browser loads no module, worker, wasm or data file next to the page.
// No bundler: the page's ES modules go into the file as text with each relative import
// replaced by a placeholder, and a small loader in the page turns them into blob: URLs
// (dependencies first) and fills the placeholders in, so the very same modules run. The
// workers start from a classic script holding the worker's modules, nn.js, the wasm module
// and the data files (base64), which makes its own blob: URLs of them and hands them to the
// modules through globalThis.DIGITLAB_ASSETS (web/asset-urls.js). The styles are inlined.
// Usage: node scripts/build-single.mjs [--out dist/digitlab.html]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'web');
const ENTRIES = ['main.js', 'worker.js'];
// name in DIGITLAB_ASSETS -> [file, MIME type]
const ASSETS = {
  'nn.js': ['web/nn.js', 'text/javascript'],
  'nn.wasm': ['web/nn.wasm', 'application/wasm'],
  'generated/digits.bin': ['data/digits.bin', 'application/octet-stream'],
  'generated/font-digits.bin': ['data/font-digits.bin', 'application/octet-stream'],
  'generated/stroke-digits.bin': ['data/stroke-digits.bin', 'application/octet-stream'],
};
const PLACEHOLDER = (module) => `__DIGITLAB_MODULE__${module}__`;
// Static imports and re-exports with a relative specifier: `from './x.js'`, `import './x.js'`.
const IMPORT = /(\bfrom\s*|\bimport\s*)(['"])(\.{1,2}\/[^'"]+)\2/g;

// Every module reachable from the entries: {path: {source (imports as placeholders), deps}}.
export function collectModules(web = WEB, entries = ENTRIES) {
  const modules = {};
  const visit = (file) => {
    if (modules[file]) return;
    const full = path.join(web, file);
    if (!existsSync(full)) throw new Error(`build-single: web/${file} is missing`);
    const deps = [];
    const source = readFileSync(full, 'utf8').replace(IMPORT, (all, keyword, quote, specifier) => {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      deps.push(target);
      return `${keyword}${quote}${PLACEHOLDER(target)}${quote}`;
    });
    // A dynamic import of a relative path could not be resolved from a blob: URL.
    const dynamic = source.match(/\bimport\(\s*['"]\.{1,2}\//);
    if (dynamic) throw new Error(`build-single: web/${file} has a dynamic import of a relative path; load it through assetUrl()`);
    modules[file] = { source, deps };
    deps.forEach(visit);
  };
  entries.forEach(visit);
  return modules;
}

// blob: URLs for a bundle's assets and modules (dependencies before dependents). Runs in
// the page and, as text, in the worker: a file:// page's blob: URLs are not readable from
// its workers (they get another opaque origin), so each side makes its own.
function bundleUrls(bundle) {
  const blobUrl = (parts, type) => URL.createObjectURL(new Blob(parts, { type }));
  const assets = {};
  for (const [name, { base64, type }] of Object.entries(bundle.assets)) {
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    assets[name] = blobUrl([bytes], type);
  }
  const urls = {};
  const moduleUrl = (file) => {
    if (!urls[file]) {
      const { source, deps } = bundle.modules[file];
      let text = source;
      for (const dep of deps) text = text.split(`__DIGITLAB_MODULE__${dep}__`).join(moduleUrl(dep));
      urls[file] = blobUrl([text], 'text/javascript');
    }
    return urls[file];
  };
  return { assets, moduleUrl, blobUrl };
}

// The worker's first script (a classic one: a file:// page cannot start a module worker
// from a blob: URL, but a classic worker can import modules from its own blob: URLs).
// Messages that arrive before worker.js has set its handler are kept and handed to it; a
// failure to load is thrown as the worker's error event (the page says the engine failed).
function workerLoader(bundle) {
  const early = [];
  self.onmessage = (event) => early.push(event);
  const { assets, moduleUrl } = bundleUrls(bundle);
  globalThis.DIGITLAB_ASSETS = assets;
  import(moduleUrl('worker.js')).then(() => {
    for (const event of early) self.onmessage(event);
  }, (err) => setTimeout(() => { throw new Error(`the engine worker could not start: ${err.message}`); }));  // the page's onerror
}

// The page's loader (runs first, as an inline module): the page's modules as blob: URLs,
// the worker's script with its part of the bundle inside, then the page's main module.
function loader() {
  const bundle = JSON.parse(document.getElementById('digitlab-bundle').textContent);
  const { moduleUrl, blobUrl } = bundleUrls({ modules: bundle.modules, assets: {} });
  const workerBundle = { assets: bundle.assets, modules: {} };
  for (const file of bundle.workerModules) workerBundle.modules[file] = bundle.modules[file];
  const worker = blobUrl([`${bundle.bundleUrls}\n(${bundle.workerLoader})(${JSON.stringify(workerBundle)});\n`], 'text/javascript');
  globalThis.DIGITLAB_ASSETS = { 'worker.js': worker, workerType: 'classic' };
  import(moduleUrl('main.js'));
}

export function buildSingle({ out = path.join(ROOT, 'dist', 'digitlab.html') } = {}) {
  for (const [, [file]] of Object.entries(ASSETS)) {
    if (!existsSync(path.join(ROOT, file))) throw new Error(`build-single: ${file} is missing: run bash scripts/build-wasm.sh first`);
  }
  const assets = {};
  for (const [name, [file, type]] of Object.entries(ASSETS)) {
    assets[name] = { type, base64: readFileSync(path.join(ROOT, file)).toString('base64') };
  }
  const modules = collectModules();
  const bundle = {
    modules, assets, workerModules: Object.keys(collectModules(WEB, ['worker.js'])),
    bundleUrls: bundleUrls.toString(), workerLoader: workerLoader.toString(),
  };
  // JSON inside a <script> element: no "<" may appear, or "</script>" in a module would end it.
  const json = JSON.stringify(bundle).replace(/</g, '\\u003c');
  let html = readFileSync(path.join(WEB, 'index.html'), 'utf8');
  const css = readFileSync(path.join(WEB, 'styles.css'), 'utf8');
  const replace = (from, to) => {
    if (!html.includes(from)) throw new Error(`build-single: web/index.html no longer has ${from}`);
    html = html.replace(from, () => to);
  };
  replace('<link rel="stylesheet" href="styles.css">', `<style>\n${css}</style>`);
  // Its workers would load worker.js by URL, which file:// cannot: the WorkerClients start the
  // bundle's own workers instead.
  replace('<script src="engine-start.js"></script>\n', '');
  replace('<script type="module" src="main.js"></script>',
    `<script type="application/json" id="digitlab-bundle">${json}</script>\n`
    + `  <script type="module">${bundleUrls.toString()}\n(${loader.toString()})();</script>`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, html);
  return { out, bytes: Buffer.byteLength(html), modules: Object.keys(modules).length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const args = process.argv.slice(2);
    const at = args.indexOf('--out');
    const { out, bytes, modules } = buildSingle(at >= 0 ? { out: path.resolve(args[at + 1]) } : {});
    console.log(`wrote ${path.relative(process.cwd(), out)}: ${(bytes / 1048576).toFixed(2)} MiB, ${modules} modules, `
      + 'the wasm module and the data inside; open it in a browser (file:// works)');
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
