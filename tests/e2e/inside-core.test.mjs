// The inside view end to end in headless Chromium (issue "see inside", items 1, 2 and 7):
// the header's view switch; Step runs exactly one batch of a fresh run of the form's
// settings, the same batch and numbers the engine gives in Node for those settings, and
// its stages walk forward and back; the gradient check on a conv weight reads a relative
// error under 1e-2; a run that blows up names the layer whose gradients blew up and offers
// a smaller learning rate. The tests share one page and run in order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, launchBrowser, prepareWeb, serveWeb, watchPage } from './harness.mjs';

const { loadDigitlab } = await import(path.join(ROOT, 'web', 'digitlab.js'));
const { DEFAULT_SETTINGS, trainOptions } = await import(path.join(ROOT, 'web', 'state.js'));

const TIMEOUT = 120_000;
let browser, page, server, url, record;

before(async () => {
  prepareWeb();
  ({ server, url } = await serveWeb());
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  record = watchPage(page, url.replace(/\/$/, ''));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('engine-status').classList.contains('ok'), null, { timeout: TIMEOUT });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function stage() {
  return page.getByTestId('step-stage').getAttribute('data-stage');
}

async function status() {
  return page.getByTestId('step-status').evaluate((el) => ({ ...el.dataset }));
}

test('views: the header switches between train and inside; the draw card shows in both', async () => {
  assert.equal(await page.locator('.train-card').isVisible(), true);
  assert.equal(await page.getByTestId('view-inside').isVisible(), false);
  await page.getByTestId('nav-inside').click();
  assert.equal(await page.getByTestId('view-inside').isVisible(), true);
  assert.equal(await page.locator('.train-card').isVisible(), false);
  assert.equal(await page.locator('.results-card').isVisible(), false);
  assert.equal(await page.getByTestId('draw-canvas').isVisible(), true);
  assert.equal(await page.getByTestId('nav-inside').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('#inside-drawing-panels').count(), 1);
  assert.match(page.url(), /#inside$/);
  await page.getByTestId('nav-train').click();
  assert.equal(await page.locator('.train-card').isVisible(), true);
  assert.equal(await page.getByTestId('view-inside').isVisible(), false);
  // The address opens a view, after a reload too.
  await page.goto(`${url}#inside`);
  await page.reload();
  await page.waitForFunction(() => document.getElementById('engine-status').classList.contains('ok'), null, { timeout: TIMEOUT });
  assert.equal(await page.getByTestId('view-inside').isVisible(), true);
});

test('step: one batch of a fresh run, the engine\'s numbers, stages forward and back', async () => {
  await page.getByTestId('step-batch').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="step-status"]').dataset.batch === '1',
    null, { timeout: TIMEOUT });
  assert.equal(await stage(), 'input');
  const first = await status();
  assert.equal(first.epoch, '1');
  assert.equal(await page.getByTestId('step-sample').count(), DEFAULT_SETTINGS.batchSize);

  // The same settings in Node: the same batch, the same losses, bit for bit.
  const dl = await loadDigitlab();
  dl.loadDigits(readFileSync(path.join(ROOT, 'data', 'digits.bin')));
  dl.loadFontDigits(readFileSync(path.join(ROOT, 'data', 'font-digits.bin')));
  dl.loadStrokeDigits(readFileSync(path.join(ROOT, 'data', 'stroke-digits.bin')));
  const trainer = dl.createTrainer(trainOptions(DEFAULT_SETTINGS, dl.presetArchitecture('mlp', DEFAULT_SETTINGS.dropout)));
  const one = trainer.step().batch;
  assert.equal(Number(first.lossBefore), one.lossBefore);
  assert.equal(Number(first.lossAfter), one.lossAfter);

  // Walk every stage forward, then back to the start.
  const summary = trainer.summary();
  const layers = summary.layers.length;
  const seen = [await stage()];
  for (;;) {
    await page.getByTestId('step-stage-next').click();
    const now = await stage();
    if (now === seen.at(-1)) break;
    seen.push(now);
  }
  const backward = summary.layers.map((_, n) => `backward-${layers - 1 - n}`);
  assert.deepEqual(seen, ['input', ...summary.layers.map((_, n) => `layer-${n}`), 'loss', ...backward, 'update']);
  await page.getByTestId('step-stage-prev').click();
  assert.equal(await stage(), `backward-0`);

  // A second step: the run's next batch; sample 3 of it, at the loss and update stages.
  await page.getByTestId('step-batch').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="step-status"]').dataset.batch === '2');
  const two = trainer.step().batch;
  assert.equal(Number((await status()).lossBefore), two.lossBefore);
  await page.locator('[data-testid="step-sample"][data-row="3"]').click();
  await page.locator('.stage-list button[data-stage="loss"]').click();
  const expected = trainer.stepSample(3).loss;
  await page.waitForFunction((formula) => document.querySelector('[data-testid="step-stage"] .formula')?.textContent === formula,
    expected.formula);
  const loss = await page.locator('[data-testid="step-stage"] .formula').evaluate((el) => ({ ...el.dataset }));
  assert.ok(Math.abs(-Math.log(Number(loss.probability)) - Number(loss.loss)) < 1e-4, JSON.stringify(loss));
  await page.locator('.stage-list button[data-stage="update"]').click();
  const weight = trainer.stepWeight(0, 'weight', -1, 3);
  const update = page.locator('[data-testid="step-stage"] .formula').nth(1);
  assert.equal(await update.textContent(), weight.updateFormula);
  assert.match(weight.updateFormula, /^m = b1 m \+ \(1-b1\) g = .*; step = lr m\^ \/ \(sqrt\(v\^\) \+ eps\)/);
  assert.equal(Number(await update.getAttribute('data-after')), weight.valueAfter);
  trainer.delete();

  // The stepped run is the Train view's run, paused: Resume trains on from it.
  await page.getByTestId('nav-train').click();
  assert.equal(await page.getByTestId('train-pause').textContent(), 'Resume');
  await page.getByTestId('train-reset').click();
  await page.getByTestId('nav-inside').click();
});

test('gradient check: a conv weight of a fresh cnn agrees with its finite difference', async () => {
  await page.getByTestId('nav-train').click();
  await page.selectOption('#preset', 'cnn');
  await page.getByTestId('nav-inside').click();
  await page.getByTestId('grad-check').click();
  const result = page.getByTestId('grad-check-result');
  await result.waitFor({ state: 'visible', timeout: TIMEOUT });
  const data = await result.evaluate((el) => ({ ...el.dataset }));
  assert.equal(data.layer, 'conv2d_1');
  assert.equal(data.param, 'weight');
  const analytic = Number(data.analytic);
  const numeric = Number(data.numeric);
  const relative = Number(data.relativeError);
  assert.ok(Math.abs(analytic) > 1e-4, `a real gradient: ${analytic}`);
  assert.ok(relative < 1e-2, `relative error ${relative}`);
  assert.ok(Math.abs(Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric)) - relative) < 1e-9);
  assert.match(await result.textContent(), /agree to \de-0\d/);
  // Another layer and the bias: the choices are the run's layers with parameters.
  const layers = await page.locator('#grad-check [data-role="layer"] option').allTextContents();
  assert.ok(layers.length >= 3 && layers[0].startsWith('conv2d_1'), layers.join(', '));
  await page.locator('#grad-check [data-role="layer"]').selectOption({ index: layers.length - 1 });
  await page.locator('#grad-check [data-role="param"]').selectOption('bias');
  await page.getByTestId('grad-check').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="grad-check-result"]').dataset.param === 'bias');
  assert.ok(Number(await result.getAttribute('data-relative-error')) < 1e-2);
  assert.match(await result.getAttribute('data-layer'), /^dense_/);
});

test('blow-up: a run whose loss explodes stops, names its layer and offers a smaller rate', async () => {
  await page.getByTestId('nav-train').click();
  await page.selectOption('#preset', 'mlp');
  await page.selectOption('#optimizer', 'adam');  // at rate 10 every weight moves by ~10 a step
  await page.selectOption('#lrSchedule', 'constant');
  await page.fill('#learningRate', '10');
  await page.getByTestId('train-start').click();
  const message = page.locator('#train-message');
  await page.waitForFunction(() => document.getElementById('train-message').dataset.divergedLayer, null, { timeout: TIMEOUT });
  const layer = await message.getAttribute('data-diverged-layer');
  assert.match(layer, /^dense_\d$/);
  const text = await message.textContent();
  assert.match(text, /the loss (became NaN|became infinite|exploded to)/);
  assert.match(text, new RegExp(`(The gradients of ${layer} blew up first|the largest growth was ${layer}'s|the largest were ${layer}'s)`));
  // The progress line says where it stopped, not that it is done.
  assert.match(await page.locator('#progress-text').textContent(), /stopped at batch \d+: training diverged/);
  assert.match(text, /Try a lower learning rate \(it is 10\), e\.g\. 1\./);
  assert.equal(await page.getByTestId('train-pause').isDisabled(), true, 'the run stopped');
  await page.getByTestId('use-suggested-rate').click();
  assert.equal(await page.inputValue('#learningRate'), '1');
});

test('no console error occurred and nothing left the page\'s origin', () => {
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.foreign, []);
});
