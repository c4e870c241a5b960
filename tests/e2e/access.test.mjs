// Model links, keyboard drawing and the accessibility check, end to end in headless
// Chromium: a link made by the sender reproduces the sender's predictions exactly in a
// fresh browser; a link with one changed character, and a 1 MB link, are refused with a
// clear message and change nothing that was kept; a digit drawn on the keyboard grid is
// read; axe-core reports no serious or critical violation on the page, and every control is
// reachable with a visible focus.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, SIMPLE_DIGITS, drawAndRead, launchBrowser, prepareWeb, serveWeb } from './harness.mjs';
import { exactProbabilities, trainSmallModel, waitReady } from './e2e-helpers.mjs';

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const VIEWPORT = { width: 1280, height: 900 };
let browser, server, url, sender, page, errors;

before(async () => {
  prepareWeb();
  ({ server, url } = await serveWeb());
  browser = await launchBrowser();
  sender = await browser.newContext({ viewport: VIEWPORT });
  page = await sender.newPage();
  errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function readAll(target) {
  const out = [];
  for (const digit of ['1', '7', '0']) {
    const guess = await drawAndRead(target, SIMPLE_DIGITS[digit]);
    out.push({ guess, probabilities: await exactProbabilities(target) });
  }
  return out;
}

test('a digit drawn on the keyboard grid is read, and the guess is in a live region', async () => {
  await page.goto(url);
  await waitReady(page);
  await page.locator('.keyboard-draw summary').focus();
  await page.keyboard.press('Enter');  // opens the details with the grid
  const grid = page.getByTestId('keyboard-grid');
  assert.equal(await grid.getAttribute('role'), 'grid');
  await grid.locator('[tabindex="0"]').focus();
  // A "1": from the centre cell (row 9, column 9) up to row 3, then a stem down to row 14,
  // with a short flag to the left at the top.
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Space');
  for (let i = 0; i < 11; i++) {
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
  }
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Space');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
  assert.equal(focused, 'row 4, column 8, ink');
  assert.equal(await grid.locator('[aria-selected="true"]').count(), 13);
  await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]').dataset.pending === 'false');
  const prediction = page.getByTestId('prediction');
  assert.equal(await prediction.textContent(), '1');
  assert.equal(await prediction.getAttribute('aria-live'), 'polite');
  // Clearing the pad clears the grid.
  await page.getByTestId('clear-drawing').click();
  assert.equal(await grid.locator('[aria-selected="true"]').count(), 0);
  assert.equal(await prediction.textContent(), '');
});

test('a shared link reproduces the sender\'s predictions exactly in a fresh browser', async () => {
  // The default ensemble is several models; a link carries one.
  await page.locator('#share-make').click();
  await page.waitForFunction(() => !document.getElementById('share-message').hidden);
  assert.match(await page.locator('#share-message').textContent(), /^No link made: The default ensemble is \d models and a link carries one/);
  assert.equal(await page.getByTestId('share-link').inputValue(), '');
  await trainSmallModel(page);
  // The curves' table: one row per epoch, built when it is opened.
  await page.locator('.chart-table summary').click();
  await page.waitForFunction(() => document.querySelectorAll('#chart-table tbody tr').length === 3);
  assert.match(await page.locator('#chart-table tbody tr').first().textContent(), /^1\d+\.\d{4}/);
  await page.locator('#share-make').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="share-link"]').value.includes('#model='));
  const link = await page.getByTestId('share-link').inputValue();
  assert.ok(link.startsWith(url), link.slice(0, 80));
  // 650 parameters at one byte each plus the architecture: under 1.2 KB after the "#" (before
  // it, the page's address carries the settings of the URL state).
  const fragment = link.slice(link.indexOf('#'));
  assert.ok(fragment.length < 1200, `the link's fragment is ${fragment.length} characters`);
  assert.match(await page.locator('#share-message').textContent(), /650 parameters in 8 bits each, checksum [0-9a-f]{8}/);
  const sent = await readAll(page);

  const receiver = await browser.newContext({ viewport: VIEWPORT });
  const other = await receiver.newPage();
  await other.goto(link);
  await waitReady(other);
  assert.match(await other.getByTestId('model-in-use').textContent(), /^Predicting: a shared model \(650 parameters\)$/);
  assert.match(await other.locator('#share-source').textContent(), /opened from a model link: 650 parameters in 8 bits each, checksum [0-9a-f]{8} \(verified\)/);
  assert.match(await other.locator('#share-source').textContent(), /dense/);
  const received = await readAll(other);
  assert.deepEqual(received, sent);
  assert.ok(sent.every(({ probabilities }) => probabilities.some((p) => p !== '0')));
  await receiver.close();
});

test('a link with one changed character, or of 1 MB, is refused clearly and changes nothing', async () => {
  const link = await page.getByTestId('share-link').inputValue();
  const at = link.indexOf('#model=') + 7 + 200;
  const flipped = link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);
  const kept = await page.getByTestId('model-in-use').textContent();
  for (const [bad, reason] of [[flipped, /checksum does not match/], [`${url}#model=${'A'.repeat(1 << 20)}`, /1048576 characters long; a model link holds at most 262144/]]) {
    await page.goto('about:blank');
    await page.goto(bad);
    await page.waitForFunction(() => !document.getElementById('link-message').hidden, null, { timeout: 60_000 });
    const message = await page.locator('#link-message').textContent();
    assert.match(message, reason);
    assert.match(message, /Nothing was changed/);
    assert.equal(await page.locator('#link-message').getAttribute('role'), 'alert');
    // The stored model (the float one the sender trained) is the one in use.
    await page.waitForFunction(() => /^Predicting: your model: linear/.test(document.querySelector('[data-testid="model-in-use"]').textContent));
    assert.match(await page.getByTestId('model-in-use').textContent(), /^Predicting: your model: linear, 3 epochs/);
  }
  await page.goto('about:blank');
  await page.goto(url);
  await waitReady(page);
  assert.match(await page.getByTestId('model-in-use').textContent(), /^Predicting: your model: linear, 3 epochs/);
  assert.ok(kept.startsWith('Predicting: your model: linear'));
  assert.deepEqual(errors, []);
});

test('axe-core finds no serious or critical violation; every control can be reached by keyboard with a visible focus', async () => {
  const context = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });  // to inject axe
  const checked = await context.newPage();
  await checked.goto(url);
  await waitReady(checked);
  await checked.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  await checked.addScriptTag({ path: AXE });
  const { violations } = await checked.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(serious, []);
  // Tab through the page: every stop is a control with a name and a visible outline.
  const stops = [];
  for (let i = 0; i < 60; i++) {
    await checked.keyboard.press('Tab');
    const stop = await checked.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      const label = el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || el.id;
      return { tag: el.tagName, label: label.trim().slice(0, 40), outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
    });
    if (stop.tag === 'BODY') break;
    stops.push(stop);
  }
  assert.ok(stops.length > 20, `${stops.length} tab stops`);
  assert.deepEqual(stops.filter((s) => !s.outline || !s.label), []);
  await context.close();
});
