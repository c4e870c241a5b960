// Offline and one-file use, end to end in headless Chromium: after a first visit the page,
// reloaded with the network switched off and the server gone, still trains and predicts
// (the service worker web/sw.js serves this version's files); a new version replaces the
// old cleanly (its own cache, the old one deleted once it takes over); dist/digitlab.html
// (scripts/build-single.mjs) opened from file:// trains, predicts, downloads a model file
// and keeps its model in the browser's storage.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';

import { startServer } from '../../scripts/serve.mjs';
import { buildSingle } from '../../scripts/build-single.mjs';
import { ROOT, SIMPLE_DIGITS, drawAndRead, launchBrowser, prepareWeb } from './harness.mjs';
import { trainSmallModel, waitReady } from './e2e-helpers.mjs';

const VIEWPORT = { width: 1280, height: 900 };
let browser, work;

before(async () => {
  prepareWeb();
  // A copy of web/ to serve, so this test can change a version without touching web/.
  work = mkdtempSync(path.join(tmpdir(), 'digitlab-offline-'));
  cpSync(path.join(ROOT, 'web'), path.join(work, 'web'), { recursive: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function controlled(page) {
  await page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller !== null;
  }, null, { timeout: 60_000 });
}

test('after the first visit, the page reloaded with no network trains and predicts', async () => {
  const { server, url } = await startServer({ root: path.join(work, 'web'), port: 0 });
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(url);
  await waitReady(page);
  await controlled(page);
  const build = readFileSync(path.join(work, 'web', 'generated', 'build-id.js'), 'utf8').match(/"id": "([0-9a-f]+)"/)[1];
  assert.deepEqual(await page.evaluate(() => caches.keys()), [`digitlab-${build}`]);

  // No network, and no server either.
  await context.setOffline(true);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  const failed = [];
  page.on('requestfailed', (request) => failed.push(request.url()));
  await page.reload();
  await waitReady(page);
  assert.match(await page.locator('#engine-status').textContent(), /Engine ready · 1,797 digits/);
  assert.equal(await drawAndRead(page, SIMPLE_DIGITS[7]), '7');
  await trainSmallModel(page);
  assert.match(await page.getByTestId('test-accuracy').textContent(), /^\d+(\.\d)?%$/);
  assert.match(await drawAndRead(page, SIMPLE_DIGITS[1]), /^\d$/);
  assert.deepEqual(failed, []);
  await context.close();
});

test('a new version installs beside the old, takes over when asked, and the old cache is deleted', async () => {
  const { server, url } = await startServer({ root: path.join(work, 'web'), port: 0 });
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(url);
  await controlled(page);
  const [before] = await page.evaluate(() => caches.keys());
  // A new build: the same files with a different id (as any change to any file gives).
  const idFile = path.join(work, 'web', 'generated', 'build-id.js');
  writeFileSync(idFile, readFileSync(idFile, 'utf8').replace(/"id": "([0-9a-f]+)"/, '"id": "0000$1"'));
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await page.locator('#update-banner button').waitFor({ timeout: 60_000 });
  // Until it is asked, the old version serves the page (no mixing of the two).
  assert.deepEqual((await page.evaluate(() => caches.keys())).sort(), [before, `digitlab-0000${before.slice(9)}`].sort());
  await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), page.locator('#update-banner button').click()]);
  await page.waitForFunction(async () => (await caches.keys()).length === 1);
  assert.deepEqual(await page.evaluate(() => caches.keys()), [`digitlab-0000${before.slice(9)}`]);
  await waitReady(page);
  await context.close();
  server.close();
});

test('dist/digitlab.html opened from file:// trains, predicts and saves models', async () => {
  const out = path.join(work, 'dist', 'digitlab.html');
  const { bytes } = buildSingle({ out });
  assert.ok(bytes > 500_000 && bytes < 4_000_000, `${bytes} bytes`);
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(out).href);
  await waitReady(page);
  assert.equal(await drawAndRead(page, SIMPLE_DIGITS[1]), '1');
  await trainSmallModel(page);
  assert.match(await page.getByTestId('test-accuracy').textContent(), /^\d+(\.\d)?%$/);
  // A model file, downloaded.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#model-download').click()]);
  const file = readFileSync(await download.path());
  assert.equal(file.subarray(0, 8).toString('latin1'), 'DGTLMODL');
  // The page's stored model: back after a reload.
  await page.reload();
  await waitReady(page);
  assert.match(await page.getByTestId('model-in-use').textContent(), /^Predicting: your model: linear, 3 epochs/);
  assert.deepEqual(errors, []);
  // Nothing but the file itself and the blob:/data: URLs made from it.
  assert.deepEqual(requests.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:') && u.split('?')[0] !== pathToFileURL(out).href), []);  // a reload keeps the URL's settings
  await context.close();
});
