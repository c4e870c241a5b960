// The inside view's panels for a drawing, end to end in headless Chromium (issue 13 items
// 3-6): how the drawing becomes 8x8 (each step as an image, the naive downscale and its
// guess), what the model looks at (the occlusion map and the confidence curves), every
// layer's activations (for an ensemble member and for the user's own CNN), and the live
// confusion matrix whose cells list their digits, which open inside the network.
// The tests share one page and run in order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { SIMPLE_DIGITS, drawAndRead, launchBrowser, prepareWeb, serveWeb, watchPage } from './harness.mjs';

const TIMEOUT = 150_000;
const STEPS = ['ink', 'crop', 'deskewed', 'thickness', 'box', 'blocks'];
let browser, page, server, url, record;

before(async () => {
  prepareWeb();
  ({ server, url } = await serveWeb());
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  record = watchPage(page, url.replace(/\/$/, ''));
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]').dataset.final === 'true',
    null, { timeout: TIMEOUT });
});

after(async () => {
  await browser?.close();
  server?.close();
});

// The inside panels' answer for what is on the pad now (they follow each guess).
async function waitForInside(source = 'drawing') {
  await page.waitForFunction((want) => {
    const host = document.getElementById('inside-drawing-panels');
    const map = document.querySelector('[data-testid="occlusion-map"]');
    return host.dataset.source === want && map?.dataset.topClass !== undefined
      && document.querySelector('[data-testid="prediction"]').dataset.pending === 'false';
  }, source, { timeout: 60_000 });
}

// The RGBA pixels of a canvas, as a plain array.
async function canvasPixels(selector) {
  return page.locator(selector).evaluate((canvas) => Array.from(canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data));
}

test('prep steps: every step of the drawing as an image, the last the 8x8 the network sees, and the naive downscale', async () => {
  assert.equal(await drawAndRead(page, SIMPLE_DIGITS[7]), '7');
  await page.getByTestId('nav-inside').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="view-inside"]').hidden);
  await waitForInside();
  const steps = await page.getByTestId('prep-steps').evaluate((el) => [...el.children].map((c) => c.dataset.step));
  assert.deepEqual(steps, STEPS);
  // The blocks step is painted from the engine's 8x8: exactly the image beside the guess.
  assert.deepEqual(await canvasPixels('[data-testid="prep-steps"] [data-step="blocks"] canvas'), await canvasPixels('#seen-digit'));
  // The 32x32 box is 32x32; the ink is the whole pad, scaled down.
  assert.deepEqual(await page.locator('[data-step="box"] canvas').evaluate((c) => [c.width, c.height]), [32, 32]);
  const ink = await page.locator('[data-step="ink"] canvas').evaluate((c) => [c.width, c.height]);
  assert.ok(Math.max(...ink) <= 64 && Math.min(...ink) > 0, `ink image ${ink}`);
  // Beside them: the plain downscale and what the model reads from it.
  const naive = page.getByTestId('naive-downscale');
  assert.match(await naive.getAttribute('data-guess'), /^\d$/);
  assert.match(await naive.textContent(), /the model reads \d/);
  // A stroke more: the steps follow the drawing.
  const before = await canvasPixels('[data-step="crop"] canvas');
  await page.getByTestId('draw-canvas').scrollIntoViewIfNeeded();
  const box = await page.getByTestId('draw-canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 12 });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]').dataset.pending === 'false');
  await page.waitForFunction((old) => {
    const c = document.querySelector('[data-step="crop"] canvas');
    const now = Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
    return now.length !== old.length || now.some((v, i) => v !== old[i]);
  }, before, { timeout: 30_000 });
});

test('occlusion map: 64 blocks for the guessed digit, no drop where there is no ink; confidence curves', async () => {
  assert.equal(await drawAndRead(page, SIMPLE_DIGITS[0]), '0');
  await waitForInside();
  const map = page.getByTestId('occlusion-map');
  assert.equal(await map.getAttribute('data-top-class'), '0');
  const drops = await map.evaluate((el) => [...el.children].map((c) => [Number(c.dataset.block), Number(c.dataset.drop)]));
  assert.equal(drops.length, 64);
  assert.deepEqual(drops.map(([b]) => b), [...Array(64).keys()]);
  // The 8x8 the model reads (the blocks step: paper-white where a block has no ink).
  const pixels = await canvasPixels('[data-step="blocks"] canvas');
  const inked = Array.from({ length: 64 }, (_, i) => pixels[i * 4] < 255);
  for (const [block, drop] of drops) {
    if (!inked[block]) assert.equal(drop, 0, `block ${block} has no ink`);
  }
  assert.ok(drops.some(([, d]) => d !== 0), 'blanking some inked block changes the confidence');
  assert.ok(drops.every(([, d]) => d <= 1 && d >= -1));
  const curves = await page.getByTestId('confidence-curves').evaluate((el) => [...el.children].map((c) => c.dataset.curve));
  assert.deepEqual(curves, ['shift_x', 'shift_y', 'rotate', 'thickness']);
});

test('layer activations: one child per layer of the ensemble member chosen, input first, probabilities last', async () => {
  await waitForInside();
  const layers = page.getByTestId('layer-activations');
  const first = await layers.evaluate((el) => [...el.children].map((c) => [c.dataset.layer, c.dataset.type]));
  assert.equal(first[0][0], 'input');
  assert.equal(first.at(-1)[1], 'softmax');
  assert.ok(first.some(([, type]) => type === 'dense'), JSON.stringify(first));
  // The default ensemble's last member is the cnn (the slowest joins last, as the stand-in
  // leaves): its conv outputs are feature maps.
  assert.equal(await page.locator('.act-member').isVisible(), true);
  const members = await page.locator('.act-member select option').count();
  await page.selectOption('.act-member select', String(members - 1));
  await page.waitForFunction(() => document.querySelector('[data-testid="layer-activations"] [data-type="conv2d"]'),
    null, { timeout: 30_000 });
  const cnn = await layers.evaluate((el) => [...el.children].map((c) => [c.dataset.type, c.querySelectorAll('canvas').length]));
  const conv = cnn.find(([type]) => type === 'conv2d');
  assert.ok(conv[1] >= 8, `conv2d maps: ${conv[1]}`);
  assert.ok(cnn.some(([type]) => type === 'maxpool2d'));
  assert.ok(cnn.some(([type]) => type === 'relu'));
});

test('live errors: the confusion matrix updates after every epoch; a cell lists its digits, which open inside', async () => {
  await page.getByTestId('nav-train').click();
  // Every data-epoch the confusion matrix shows, in order (the run is short, so record them).
  await page.evaluate(() => {
    window.__epochs = [];
    const box = document.querySelector('[data-testid="confusion-matrix"]');
    new MutationObserver(() => {
      if (window.__epochs.at(-1) !== box.dataset.epoch) window.__epochs.push(box.dataset.epoch);
    }).observe(box, { attributes: true, attributeFilter: ['data-epoch'] });
  });
  await page.selectOption('#preset', 'cnn');
  await page.fill('#epochs', '3');
  await page.fill('#augmentCopies', '1');
  await page.getByTestId('train-start').click();
  await page.waitForFunction(() => window.__epochs.includes('final'), null, { timeout: TIMEOUT });
  const epochs = await page.evaluate(() => window.__epochs);
  assert.deepEqual(epochs.slice(0, 3), ['1', '2', '3'], `epochs seen: ${epochs}`);
  assert.equal(epochs.at(-1), 'final');
  // A diagonal cell lists the digits read right, each with its probability.
  const cell = page.locator('.confusion-grid .cell.diagonal:not([disabled])').first();
  const [, t, , count] = (await cell.getAttribute('aria-label')).match(/^true (\d), predicted (\d): (\d+)$/);
  await cell.click();
  const tiles = page.locator('#mistakes .sample-tile');
  assert.equal(await tiles.count(), Number(count));
  const p = Number(await tiles.first().getAttribute('data-probability'));
  assert.ok(p > 0 && p <= 1, `probability ${p}`);
  assert.equal(await page.locator(`#mistakes canvas[aria-label="a ${t} read correctly"]`).count(), Number(count));
  // Choosing one opens it in the inside view, and tells the step-through panel too.
  await page.evaluate(() => {
    document.addEventListener('inside:sample', (e) => { window.__sample = { n: e.detail.features.length, label: e.detail.label }; }, { once: true });
  });
  await tiles.first().click();
  await page.waitForFunction(() => document.body.dataset.view === 'inside');
  assert.deepEqual(await page.evaluate(() => window.__sample), { n: 64, label: Number(t) });
  await waitForInside('sample');
  assert.match(await page.getByTestId('inside-source').textContent(), /test digit/);
  const layers = await page.getByTestId('layer-activations').evaluate((el) => [...el.children].map((c) => c.dataset.type));
  assert.equal(layers[0], 'input');
  assert.ok(layers.includes('conv2d') && layers.includes('maxpool2d') && layers.at(-1) === 'softmax', layers.join());
  // The user's cnn predicts now: its softmax's top class is the guess of the test digit.
  const top = await page.locator('[data-testid="layer-activations"] [data-type="softmax"] .act-bar.top b').textContent();
  assert.equal(await page.getByTestId('occlusion-map').getAttribute('data-top-class'), top);
  assert.equal(await page.getByTestId('prep-steps').evaluate((el) => el.children.length), 0);  // no drawing steps for a test digit
});

test('layer activations follow the drawing for the single model: its softmax top is the guess', async () => {
  const guess = await drawAndRead(page, SIMPLE_DIGITS[1]);
  assert.match(guess, /^\d$/);
  await waitForInside('drawing');
  const top = await page.locator('[data-testid="layer-activations"] [data-type="softmax"] .act-bar.top b').textContent();
  assert.equal(top, guess);
  assert.equal(await page.getByTestId('occlusion-map').getAttribute('data-top-class'), guess);
  // One model: no choice of ensemble member is shown (the hidden attribute beats its display).
  assert.equal(await page.locator('.act-member').isVisible(), false);
  assert.deepEqual(record.errors, []);
});
