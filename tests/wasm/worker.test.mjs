// The module in an ES-module Web Worker of headless Chromium, loaded the way the page's
// worker loads it: import web/digitlab.js, let it fetch nn.wasm next to itself, load the
// digits over HTTP, train a little, predict, and turn a bad input into an Error.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';
import { ROOT } from './helpers.mjs';

const CHROMIUM = '/usr/bin/chromium';

// Runs in the worker: everything it reports comes back as one message.
const WORKER_SOURCE = (origin) => `
import { loadDigitlab } from '${origin}/web/digitlab.js';
try {
  const lab = await loadDigitlab();
  const bytes = new Uint8Array(await (await fetch('${origin}/data/digits.bin')).arrayBuffer());
  const count = lab.loadDigits(bytes);
  const trainer = lab.createTrainer({ architecture: lab.presetArchitecture('mlp'), epochs: 3, seed: 3 });
  let progress;
  do progress = trainer.train(20); while (!progress.done);
  const probs = trainer.predict(trainer.testFeatures().slice(0, 64));
  let message = '';
  try { trainer.predict(new Float32Array(3)); } catch (error) { message = error instanceof Error ? error.message : 'not an Error'; }
  const accuracy = trainer.evaluate().accuracy;
  trainer.delete();
  postMessage({ count, epochs: progress.history.length, sum: probs.reduce((s, v) => s + v, 0), message, accuracy });
} catch (error) {
  postMessage({ failure: String(error && error.stack || error) });
}
`;

test('worker: the module trains and predicts in an ES-module Web Worker in Chromium', async () => {
  for (const file of ['web/nn.wasm', 'web/nn.js', 'data/digits.bin']) {
    assert.ok(existsSync(path.join(ROOT, file)), `${file} is missing: run bash scripts/build-wasm.sh`);
  }
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing (Debian package chromium)`);
  const { server, url } = await startServer({ root: ROOT, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const origin = new URL(url).origin;
    await page.route(`${origin}/wasm-worker-test.html`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>worker test</title>' }));
    await page.goto(`${origin}/wasm-worker-test.html`);
    const result = await page.evaluate((source) => new Promise((resolve) => {
      const blob = new Blob([source], { type: 'text/javascript' });
      const worker = new Worker(URL.createObjectURL(blob), { type: 'module' });
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => resolve({ failure: `worker error: ${event.message}` });
    }), WORKER_SOURCE(origin));
    assert.equal(result.failure, undefined, result.failure);
    assert.equal(result.count, 1797);
    assert.equal(result.epochs, 3);
    assert.ok(Math.abs(result.sum - 1) < 1e-5, `probabilities sum to ${result.sum}`);
    assert.match(result.message, /64 features per sample/);
    assert.ok(result.accuracy > 0.85, `three epochs in the worker gave ${result.accuracy}`);
  } finally {
    await browser.close();
    server.close();
  }
});
