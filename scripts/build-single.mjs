// Builds dist/digitlab.html: the whole page in one file that works opened straight from disk
// (file://), where a browser loads no module, worker, wasm or data file next to the page.
// No bundler: the page's ES modules go into the file as text with each relative import
// replaced by a placeholder, and a small loader in the page turns them into blob: URLs
// (dependencies first) and fills the placeholders in, so the very same modules run. The
// wasm module, nn.js and the data files go in as base64 and become blob: URLs too, handed
// to the modules through globalThis.DIGITLAB_ASSETS (web/asset-urls.js); the worker gets
// them from a first module that sets that global in the worker. The styles are inlined.
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

// The page's loader (runs first, as an inline module): blob: URLs for the assets and the
// modules, dependencies before dependents, then the page's main module.
function loader() {
  const bundle = JSON.parse(document.getElementById('digitlab-bundle').textContent);
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
  // The worker's first module sets the worker's own DIGITLAB_ASSETS, then the worker runs.
  const prelude = blobUrl([`globalThis.DIGITLAB_ASSETS = ${JSON.stringify(assets)};`], 'text/javascript');
  const worker = blobUrl([`import '${prelude}';\nimport '${moduleUrl('worker.js')}';\n`], 'text/javascript');
  globalThis.DIGITLAB_ASSETS = { ...assets, 'worker.js': worker };
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
  const bundle = { modules: collectModules(), assets };
  // JSON inside a <script> element: no "<" may appear, or "</script>" in a module would end it.
  const json = JSON.stringify(bundle).replace(/</g, '\\u003c');
  let html = readFileSync(path.join(WEB, 'index.html'), 'utf8');
  const css = readFileSync(path.join(WEB, 'styles.css'), 'utf8');
  const replace = (from, to) => {
    if (!html.includes(from)) throw new Error(`build-single: web/index.html no longer has ${from}`);
    html = html.replace(from, () => to);
  };
  replace('<link rel="stylesheet" href="styles.css">', `<style>\n${css}</style>`);
  replace('<script type="module" src="main.js"></script>',
    `<script type="application/json" id="digitlab-bundle">${json}</script>\n`
    + `  <script type="module">(${loader.toString()})();</script>`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, html);
  return { out, bytes: Buffer.byteLength(html), modules: Object.keys(bundle.modules).length };
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
