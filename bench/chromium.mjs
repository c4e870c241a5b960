// Benchmarks in headless Chromium (Debian's /usr/bin/chromium through playwright-core):
// digitlab's wasm module in a module Web Worker, as the page uses it, and the TF.js cpu and
// wasm backends in the same browser. A tiny static server on 127.0.0.1 serves the repository
// plus the split data at /__bench/data.json. Prints JSON lines.
// Usage: node bench/chromium.mjs [digitlab] [tfjs-cpu] [tfjs-wasm] [--models mlp,cnn,augment]
// ("augment", the distortion rate, is digitlab's only: the TF.js peers skip it)
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { loadSplitDigits, REPO } from './node-data.mjs';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
                '.wasm': 'application/wasm', '.json': 'application/json', '.bin': 'application/octet-stream' };
const args = process.argv.slice(2);
const modelsArg = args.indexOf('--models');
const models = modelsArg >= 0 ? args[modelsArg + 1].split(',') : ['mlp', 'cnn', 'augment'];
const tasks = args.filter((a, i) => !a.startsWith('--') && (modelsArg < 0 || i !== modelsArg + 1));

function startServer() {
  const split = loadSplitDigits();
  const plain = (p) => ({ x: Array.from(p.x), y: Array.from(p.y) });
  const dataJson = JSON.stringify({ train: plain(split.train), test: plain(split.test), splitSource: split.splitSource });
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (url === '/__bench/data.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(dataJson);
    }
    const file = path.join(REPO, path.normalize(url));
    if (!file.startsWith(REPO + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
                         'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const server = await startServer();
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'digitlab-bench-'));
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/web/index.html`);
  await page.waitForFunction(() => window.benchReady === true);
  for (const task of tasks.length ? tasks : ['digitlab', 'tfjs-cpu', 'tfjs-wasm']) {
    const spec = task === 'digitlab' ? { kind: 'digitlab', models }
      : { kind: 'tfjs', backend: task.replace('tfjs-', ''), models: models.filter((m) => m !== 'augment') };
    const lines = await page.evaluate((t) => window.runBench(t), spec);
    for (const line of lines) console.log(JSON.stringify(line));
  }
} finally {
  await browser.close();
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
