// The lesson, live (issue 14) in headless Chromium: the lesson's widgets answer their
// controls with numbers the engine computed (the neuron's gradients equal finite differences
// of its own activation, the loss readouts equal -ln p and the squared error, an identity
// kernel copies the digit, a max-pool keeps block maxima); a comparison of three optimizers
// keeps three runs whose curves overlay, a run can be restored, the runs survive a reload; a
// copied URL reproduces a run's test accuracy exactly; a hostile URL falls back with a
// message; switching to 中文 translates every visible string and survives a reload; nothing
// overflows at 390 px in either language.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import path from 'node:path';

import { ROOT, launchBrowser, prepareWeb, serveWeb, watchPage } from './harness.mjs';

// The same wasm module in Node: what the page shows must be exactly what it computes.
const { loadDigitlab } = await import(path.join(ROOT, 'web', 'digitlab.js'));
const { LOOP, STARTS, TRAINING } = await import(path.join(ROOT, 'web', 'lesson', 'loss-training-widget.js'));

const TRAIN_TIMEOUT = 180_000;
let browser, context, page, server, url, record;

before(async () => {
  prepareWeb();
  ({ server, url } = await serveWeb());
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  page = await context.newPage();
  record = watchPage(page, url.replace(/\/$/, ''));
  await page.goto(url);
  await page.waitForFunction(() => /ready/.test(document.getElementById('engine-status').textContent), null, { timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function openLesson(target = page) {
  await target.locator('nav [data-view="lesson"]').click();
  await target.waitForFunction(() => document.querySelectorAll('[data-testid="lesson"] [data-section]').length === 8, null, { timeout: 30_000 });
}

// Sets a control (range, select, number) of a widget and waits for the widget's next answer.
async function setControl(widget, name, value) {
  await page.evaluate(({ widget, name, value }) => new Promise((resolve) => {
    const root = document.querySelector(`[data-widget="${widget}"]`);
    const before = root.dataset.computed;
    const control = root.querySelector(`[name="${name}"]`);
    control.value = String(value);
    control.dispatchEvent(new Event(control.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
    const check = () => (root.dataset.computed !== before ? resolve() : setTimeout(check, 10));
    check();
  }), { widget, name, value });
}

async function outputs(widget) {
  return page.evaluate((w) => Object.fromEntries([...document.querySelectorAll(`[data-widget="${w}"] [data-output]`)]
    .map((el) => [el.dataset.output, Number(el.dataset.value)])), widget);
}

test('lesson: one section per topic, in order', async () => {
  await openLesson();
  const sections = await page.$$eval('[data-testid="lesson"] [data-section]', (els) => els.map((el) => el.dataset.section));
  assert.deepEqual(sections, ['neuron', 'layers', 'activations', 'losses', 'backprop', 'loop', 'exercises', 'questions']);
  assert.match(page.url(), /view=lesson/);
  assert.equal(await page.locator('.train-card').isVisible(), false);
  assert.equal(await page.locator('.runs-card').isVisible(), false);
  assert.equal(await page.getByTestId('lesson').isVisible(), true);
});

test('lesson: the neuron\'s gradients equal finite differences of its activation', async () => {
  await page.locator('[data-widget="neuron"]').scrollIntoViewIfNeeded();
  for (const activation of ['sigmoid', 'tanh', 'relu']) {
    await setControl('neuron', 'activation', activation);
    await setControl('neuron', 'upstream', 1.5);
    await setControl('neuron', 'w0', 0.4);
    await setControl('neuron', 'bias', 0.3);
    const at = await outputs('neuron');
    const h = 0.01;   // the slider's step
    await setControl('neuron', 'w0', 0.4 + h);
    const plus = await outputs('neuron');
    await setControl('neuron', 'w0', 0.4 - h);
    const minus = await outputs('neuron');
    const dw = (1.5 * (plus.a - minus.a)) / (2 * h);
    assert.ok(Math.abs(at.dw0 - dw) <= 2e-3 * Math.max(1, Math.abs(dw)), `${activation}: dL/dw0 ${at.dw0} vs finite difference ${dw}`);
    await setControl('neuron', 'w0', 0.4);
    await setControl('neuron', 'bias', 0.3 + h);
    const bPlus = await outputs('neuron');
    await setControl('neuron', 'bias', 0.3 - h);
    const bMinus = await outputs('neuron');
    const db = (1.5 * (bPlus.a - bMinus.a)) / (2 * h);
    assert.ok(Math.abs(at.db - db) <= 2e-3 * Math.max(1, Math.abs(db)), `${activation}: dL/db ${at.db} vs ${db}`);
    // z = w.x + b, and dL/dx_i = w_i dL/dz (dL/dz = dL/db).
    assert.ok(Math.abs(at.z - (at.w0 * at.x0 + at.w1 * at.x1 + at.w2 * at.x2 + at.w3 * at.x3 + 0.3)) < 1e-5);
    assert.ok(Math.abs(at.dx1 - at.w1 * at.db) < 1e-5);
    assert.ok(Math.abs(at.dw2 - at.x2 * at.db) < 1e-5);
  }
});

test('lesson: activation readouts are the engine\'s function and derivative', async () => {
  await setControl('activations', 'function', 'sigmoid');
  await setControl('activations', 'x', 0);
  let out = await outputs('activations');
  assert.ok(Math.abs(out.value - 0.5) < 1e-6 && Math.abs(out.derivative - 0.25) < 1e-6, JSON.stringify(out));
  await setControl('activations', 'function', 'relu');
  await setControl('activations', 'x', 2);
  out = await outputs('activations');
  assert.deepEqual(out, { value: 2, derivative: 1 });
  await setControl('activations', 'x', -1);
  out = await outputs('activations');
  assert.deepEqual(out, { value: 0, derivative: 0 });
});

test('lesson: loss readouts equal cross-entropy -ln p, gradient p - 1, and the squared error', async () => {
  for (const p of [0.2, 0.5, 0.9]) {
    await setControl('losses', 'p', p);
    const out = await outputs('losses');
    const other = (1 - p) / 9;
    assert.ok(Math.abs(out['softmax_cross_entropy-value'] + Math.log(p)) < 1e-5, JSON.stringify(out));
    assert.ok(Math.abs(out['softmax_cross_entropy-gradient'] - (p - 1)) < 1e-5);
    assert.ok(Math.abs(out['mse-value'] - ((1 - p) ** 2 + 9 * other * other)) < 1e-5);
    assert.ok(Math.abs(out['mse-gradient'] - 2 * (p - 1)) < 1e-5);
  }
});

test('lesson: layers on a real digit (identity kernel copies it, max-pool keeps block maxima)', async () => {
  const read = () => page.$eval('[data-widget="layers"]', (el) => ({ input: JSON.parse(el.dataset.input), output: JSON.parse(el.dataset.output) }));
  await setControl('layers', 'kernel', 'identity');
  let { input, output } = await read();
  assert.equal(output.length, 64);
  output.forEach((v, i) => assert.ok(Math.abs(v - input[i]) < 1e-6));
  await setControl('layers', 'layer', 'maxpool2d');
  ({ input, output } = await read());
  assert.equal(output.length, 16);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      const block = [input[16 * r + 2 * c], input[16 * r + 2 * c + 1], input[16 * r + 8 + 2 * c], input[16 * r + 9 + 2 * c]];
      assert.equal(output[4 * r + c], Math.max(...block));
    }
  }
  assert.equal(await page.$eval('[data-widget="layers"] [data-output="shape"]', (el) => el.textContent), '1 × 4 × 4');
});

// The table of the training comparison: each head's cells, as the engine's exact numbers.
async function trainedTable() {
  return page.$$eval('[data-widget="loss-training"] tbody tr', (rows) => rows.map((tr) => ({
    head: tr.dataset.head,
    ...Object.fromEntries([...tr.querySelectorAll('[data-output]')].map((td) => [td.dataset.output.split('-').at(-1), Number(td.dataset.value)])),
    overflow: Number(tr.lastElementChild.dataset.value),
  })));
}

test('losses: sigmoid outputs, a clipped log and the fused loss, trained by the engine; the page shows its numbers', async () => {
  const node = await loadDigitlab();
  const { readFileSync } = await import('node:fs');
  node.loadDigits(new Uint8Array(readFileSync(path.join(ROOT, 'data', 'digits.bin'))));
  await page.locator('[data-widget="loss-training"]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('[data-widget="loss-training"]').dataset.computed, null, { timeout: 30_000 });
  for (const start of ['ordinary', 'confident']) {
    if (start !== 'ordinary') await setControl('loss-training', 'start', start);
    const expected = node.lessonLossComparison({ ...TRAINING, ...STARTS[start] });
    const shown = await trainedTable();
    assert.deepEqual(shown.map((r) => r.head), expected.runs.map((r) => r.head));
    expected.runs.forEach((run, i) => {
      const last = run.loss.length - 1;
      assert.deepEqual(shown[i], { head: run.head, accuracy: run.testAccuracy[last], loss: run.loss[last], stuck: run.stuck[last],
        push: run.wrongPush[last], overflow: run.nonfiniteEpoch }, `${start}: ${run.head}`);
    });
    const [fused, , chapter, naive] = shown;
    assert.ok(fused.accuracy > 0.9, JSON.stringify(fused));
    assert.equal(fused.stuck, 0);
    if (start === 'ordinary') {
      assert.ok(chapter.accuracy < 0.3 && chapter.loss < 0.01, JSON.stringify(chapter));   // a tiny loss, a poor network
      assert.equal(naive.accuracy, fused.accuracy);   // the clip never bites
    } else {
      assert.equal(naive.stuck, 1296);   // every digit that is not a 0 passes no gradient
      assert.ok(naive.accuracy < 0.15, JSON.stringify(naive));
    }
  }
  assert.match(await page.locator('[data-widget="loss-training"] [data-output="status"]').textContent(), /1,438 digits/);

  await page.locator('[data-widget="loss-loop"] button').click();
  await page.waitForFunction(() => document.querySelector('[data-widget="loss-loop"]').dataset.computed, null, { timeout: 30_000 });
  const loop = await page.$eval('[data-widget="loss-loop"]', (box) => ({ ...box.dataset,
    ...Object.fromEntries([...box.querySelectorAll('[data-output]')].map((o) => [o.dataset.output, Number(o.dataset.value)])) }));
  const expected = node.lessonLoopVersusBatch(LOOP.samples, 1, LOOP.seed);
  assert.equal(Number(loop.samples), expected.samples);
  assert.equal(Number(loop.loopLoss), expected.loopLoss);     // the same numbers, computed the same way
  assert.equal(Number(loop.batchLoss), expected.batchLoss);
  assert.equal(loop.maxDifference, expected.maxDifference);
  assert.equal(loop.maxGradient, expected.maxGradient);
  assert.ok(loop.maxDifference < 1e-6 && loop.maxGradient > 1e-3, JSON.stringify(loop));
  assert.ok(loop.loopMs > 0 && loop.batchMs > 0);
});

let lastRun;
test('exercises: SGD vs momentum vs Adam trains three runs whose curves overlay; a run is restored', async () => {
  await page.locator('[data-exercise="optimizers"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="runs-table"] tbody tr').length === 3
    && /3/.test(document.querySelector('[data-widget="exercises"] [data-output="status"]').textContent)
    && !document.querySelector('[data-exercise="optimizers"]').disabled, null, { timeout: TRAIN_TIMEOUT });
  assert.equal(await page.$eval('#runs-chart', (el) => el.dataset.curves), '3');
  // The training loop section followed the runs live, to the last epoch of the last one.
  assert.equal(await page.$eval('[data-widget="loop"]', (el) => el.dataset.epoch), '8');
  const rows = await page.$$eval('[data-testid="runs-table"] tbody tr', (trs) => trs.map((tr) => ({
    run: tr.dataset.run, accuracy: tr.querySelector('[data-accuracy]').dataset.accuracy, text: tr.textContent,
  })));
  assert.match(rows[0].text, /SGD/);
  assert.match(rows[1].text, /Momentum/);
  assert.match(rows[2].text, /Adam/);
  lastRun = rows[2];
  await page.locator('nav [data-view="train"]').click();
  const first = page.locator(`[data-testid="runs-table"] tr[data-run="${rows[0].run}"] [data-testid="run-restore"]`);
  await first.click();
  await page.waitForFunction((run) => document.getElementById('model-origin').textContent.includes(`run ${run}`), rows[0].run);
  const shown = await page.getByTestId('test-accuracy').textContent();
  assert.equal(shown, `${(Number(rows[0].accuracy) * 100).toFixed(1)}%`);
});

test('activations: the model in use\'s pre-activations, traced by the engine, with its dead ReLUs counted', async () => {
  await openLesson();
  await page.locator('[data-widget="preactivations"] button').click();
  await page.waitForFunction(() => document.querySelector('[data-widget="preactivations"]').dataset.computed, null, { timeout: 30_000 });
  const layers = await page.$$eval('[data-widget="preactivations"] li', (lis) => lis.map((li) => ({ ...li.dataset, text: li.textContent })));
  assert.equal(layers.length, 1, JSON.stringify(layers));   // the mlp: dense 128, relu, dense 10
  const dead = Number(layers[0].dead);
  assert.ok(Number.isInteger(dead) && dead >= 0 && dead < 128, JSON.stringify(layers[0]));
  assert.match(layers[0].text, new RegExp(`${dead} of 128 ReLU units`));
  await page.locator('nav [data-view="train"]').click();
});

test('runs: kept across a reload', async () => {
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="runs-table"] tbody tr').length === 3, null, { timeout: 30_000 });
  await page.locator('nav [data-view="train"]').click();
  assert.equal(await page.$eval('#runs-chart', (el) => el.dataset.curves), '3');
  await page.locator('[data-testid="runs-table"] tbody tr:first-child [data-testid="run-delete"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="runs-table"] tbody tr').length === 2);
});

test('url: a copied link reproduces a run\'s final test accuracy exactly', async () => {
  // The page holds the restored run's settings; put the last run's back by restoring it.
  await page.locator('nav [data-view="train"]').click();
  await page.locator(`[data-testid="runs-table"] tr[data-run="${lastRun.run}"] [data-testid="run-restore"]`).click();
  await page.waitForFunction((run) => document.getElementById('model-origin').textContent.includes(`run ${run}`), lastRun.run);
  await page.waitForURL(/optimizer=adam/);
  const link = page.url();
  const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const fresh = await other.newPage();
  await fresh.goto(link);
  await fresh.waitForFunction(() => /ready/.test(document.getElementById('engine-status').textContent), null, { timeout: 60_000 });
  await fresh.getByTestId('train-start').click();
  await fresh.waitForFunction(() => document.querySelectorAll('[data-testid="runs-table"] tbody tr').length === 1, null, { timeout: TRAIN_TIMEOUT });
  const accuracy = await fresh.$eval('[data-testid="runs-table"] [data-accuracy]', (el) => el.dataset.accuracy);
  assert.equal(accuracy, lastRun.accuracy);
  await other.close();
});

test('url: a malformed or hostile link falls back to the defaults with a message', async () => {
  const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const bad = await other.newPage();
  const errors = [];
  bad.on('pageerror', (err) => errors.push(String(err)));
  await bad.goto(`${url}?epochs=1e999&optimizer=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&seed=5&lang=xx&view=%22%3E&__proto__=1`);
  await bad.waitForFunction(() => /link/.test(document.getElementById('train-message').textContent), null, { timeout: 60_000 });
  const message = await bad.locator('#train-message').textContent();
  for (const name of ['epochs', 'optimizer', 'lang', 'view', '__proto__']) assert.ok(message.includes(name), message);
  assert.equal(await bad.locator('#epochs').inputValue(), '10');
  assert.equal(await bad.locator('#optimizer').inputValue(), 'adam');
  assert.equal(await bad.locator('#seed').inputValue(), '5');   // the good value is kept
  assert.equal(await bad.$$eval('img', (imgs) => imgs.length), 0);
  assert.deepEqual(errors, []);
  await other.close();
});

// Visible text nodes that still hold an English word (names and units excepted).
const ENGLISH_LEFT = () => {
  const NAMES = /^(digitlab|ReLU|Leaky|Sigmoid|Tanh|Softmax|SGD|Adam|Nesterov|Dropout|MLP|CNN|mlp|cnn|deep_mlp|linear|English|UCI|Alpaydin|Kaynak|scikit|learn|CC|BY|WebAssembly|dlm|NaN|logit|logits|dL|dw|dx|db|da|Conv|conv|pool|Tab|exp|log|max)$/;  // names, maths functions, and the Tab key
  const left = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, [hidden], option') || !el.getClientRects().length) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    for (const word of node.textContent.match(/[A-Za-z]{3,}/g) ?? []) {
      if (!NAMES.test(word)) left.push(`${word} in "${node.textContent.trim().slice(0, 60)}"`);
    }
  }
  // The choices of the visible selects (an option has no box of its own).
  for (const select of document.querySelectorAll('select')) {
    if (!select.getClientRects().length || select.closest('[hidden]')) continue;
    for (const option of select.options) {
      for (const word of option.textContent.match(/[A-Za-z]{3,}/g) ?? []) {
        if (!NAMES.test(word) && option.value !== 'en') left.push(`${word} in option "${option.textContent}"`);
      }
    }
  }
  return left;
};

test('language: 中文 translates every visible string, sets <html lang>, and survives a reload', async () => {
  await page.locator('nav [data-view="train"]').click();
  // The check sees the page: in English it finds plenty of English words.
  assert.ok((await page.evaluate(ENGLISH_LEFT)).length > 50);
  await page.getByTestId('lang-select').selectOption('zh');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.deepEqual(await page.evaluate(ENGLISH_LEFT), []);
  await openLesson();
  assert.deepEqual(await page.evaluate(ENGLISH_LEFT), []);
  assert.match(await page.locator('[data-section="neuron"] h2').textContent(), /神经元/);
  await page.goto(url);   // no lang in the link: the remembered choice
  await page.waitForFunction(() => /就绪/.test(document.getElementById('engine-status').textContent), null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal(await page.getByTestId('lang-select').inputValue(), 'zh');
  assert.deepEqual(await page.evaluate(ENGLISH_LEFT), []);
});

test('layout: nothing overflows at 390 px in either language, in either view', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const lang of ['zh', 'en']) {
    await page.getByTestId('lang-select').selectOption(lang);
    for (const view of ['train', 'lesson']) {
      await page.locator(`nav [data-view="${view}"]`).click();
      if (view === 'lesson') await page.waitForSelector('[data-section="questions"]');
      const wide = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        offenders: [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > 391
          && !el.closest('.table-scroll') && el.getClientRects().length).map((el) => el.tagName + '.' + el.className).slice(0, 5),
      }));
      assert.ok(wide.scroll <= 390, `${lang}/${view}: ${wide.scroll}px wide; ${wide.offenders.join(', ')}`);
    }
  }
});

test('exercises: the same MLP trained with softmax, sigmoid outputs and MSE lands three more runs', async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const before = await page.$$eval('[data-testid="runs-table"] tbody tr', (trs) => trs.length);
  await openLesson();
  await page.locator('[data-exercise="losses"]').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="runs-table"] tbody tr').length === n
    && !document.querySelector('[data-exercise="losses"]').disabled, before + 3, { timeout: TRAIN_TIMEOUT });
  assert.equal(await page.$eval('#runs-chart', (el) => el.dataset.curves), String(before + 3));
  const accuracies = await page.$$eval('[data-testid="runs-table"] [data-accuracy]', (cells) => cells.map((c) => Number(c.dataset.accuracy)));
  for (const a of accuracies.slice(-3)) assert.ok(a > 0.5 && a <= 1, String(a));
});

test('no console error and no foreign request', () => {
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.foreign, []);
});
