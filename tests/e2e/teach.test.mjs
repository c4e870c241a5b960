// "Teach it your handwriting" end to end in headless Chromium: ten drawings the default
// ensemble misreads are taught with one tap each, "Learn my handwriting" fine-tunes every
// member so it reads them as taught while its test split loses at most two digits,
// Undo brings back exactly the predictions of before, the set survives a reload, exports
// and imports, and bad files (corrupt, 100 MB) get a clear message and lose nothing.
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, ftruncateSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, drawAndRead, launchBrowser, prepareWeb, serveWeb, watchPage } from './harness.mjs';

const TIMEOUT = 600_000;  // the default ensemble and the fine-tune, on a loaded 2-core machine
let browser, context, page, server, url, record, scratch;

// Handwriting the ensemble misreads: the pen-stroke fixture's digits (a writer the dataset
// never saw), leaned over and squeezed as a hasty hand draws them; the first ten it reads
// wrongly are taught with the digit they are.
const FIXTURE = JSON.parse(readFileSync(path.join(ROOT, 'tests/fixtures/handwriting/strokes.json'), 'utf8'));
const STYLES = [
  { lean: 0.45, squeeze: 0.55 }, { lean: -0.4, squeeze: 0.6 }, { lean: 0.6, squeeze: 1 }, { lean: 0, squeeze: 0.4 },
];
function styled({ label, strokes }, { lean, squeeze }, k) {
  // The fixture draws in a 280 x 280 box; out: unit coordinates on the pad, about centred.
  const out = strokes.map((stroke) => stroke.map(([x, y]) => {
    const u = (x / 280 - 0.5) * squeeze, v = y / 280 - 0.5;
    return [0.5 + 0.8 * (u - lean * v), 0.5 + 0.8 * v];
  }));
  return { name: `fixture ${k} (a ${label}, lean ${lean}, squeeze ${squeeze})`, label, strokes: out };
}
const CANDIDATES = STYLES.flatMap((style) => FIXTURE.map((digit, k) => styled(digit, style, k)));
let SHAPES = [];     // the ten misread ones, found by the first test

before(async () => {
  prepareWeb();
  ({ server, url } = await serveWeb());
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  record = watchPage(page, url.replace(/\/$/, ''));
  scratch = mkdtempSync(path.join(tmpdir(), 'digitlab-teach-'));
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]').dataset.final === 'true',
    null, { timeout: TIMEOUT });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function count() {
  return Number(await page.getByTestId('personal-count').textContent());
}

async function probabilities() {
  return page.$$eval('[data-testid="probabilities"] > [data-digit]', (rows) => rows.map((r) => r.dataset.exact));
}

async function message() {
  return page.getByTestId('personal-message').textContent();
}

// Reads every shape; -> [{guess, probabilities}].
async function readAll() {
  const out = [];
  for (const shape of SHAPES) {
    const guess = await drawAndRead(page, shape.strokes);
    out.push({ guess, probabilities: await probabilities() });
  }
  return out;
}

const taught = [];   // the label each shape was taught with
let before_ = null;  // readings before learning

test('ten misread drawings are taught with one tap each and kept', async (t) => {
  assert.equal(await count(), 0);
  let tried = 0;
  for (const shape of CANDIDATES) {
    if (SHAPES.length === 10) break;
    tried += 1;
    const guess = await drawAndRead(page, shape.strokes);
    if (guess === '' || guess === String(shape.label)) continue;
    SHAPES.push(shape);
    taught.push(shape.label);
    await page.getByTestId('teach-label').locator(`[data-digit="${shape.label}"]`).click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="personal-count"]').textContent === String(n), SHAPES.length);
  }
  t.diagnostic(`${SHAPES.length} misread of ${tried} drawn: ${SHAPES.map((s) => s.name).join('; ')}`);
  assert.equal(SHAPES.length, 10, 'ten drawings were misread');
  assert.equal(await page.locator('[data-testid="personal-list"] > .personal-item').count(), 10);
  // The list says which drawings are held out to score (one in five, decided by the engine).
  await page.waitForFunction(() => document.querySelector('[data-testid="personal-list"]').dataset.scored === '10',
    null, { timeout: TIMEOUT });
  const score = await page.getByTestId('handwriting-score').evaluate((el) => ({ text: el.textContent, ...el.dataset }));
  const held = await page.locator('[data-testid="personal-list"] > .personal-item[data-held-out="true"]').count();
  assert.equal(Number(score.count), held, 'the score counts the held-out drawings the list marks');
  if (held > 0) assert.match(score.text, /^\d+\.\d%$/);
});

test('learning reads the taught drawings as taught, at most two test digits lost; undo restores the exact predictions', async (t) => {
  before_ = await readAll();
  before_.forEach((r, i) => assert.notEqual(r.guess, String(taught[i]), `${SHAPES[i].name} is misread before learning`));
  await page.getByTestId('learn-handwriting').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="learn-undo"]').disabled
    || document.querySelector('[data-testid="personal-message"]').classList.contains('error'), null, { timeout: TIMEOUT });
  assert.doesNotMatch(await message(), /Could not/, await message());
  const scores = await page.getByTestId('learn-scores').evaluate((el) => ({ ...el.dataset }));
  const testBefore = Number(scores.beforeTest), testAfter = Number(scores.afterTest);
  t.diagnostic(`test ${testBefore} -> ${testAfter}; taught ${scores.beforePersonal} -> ${scores.afterPersonal}; `
    + `held out (${scores.heldOutSize}) ${scores.beforeHeldOut} -> ${scores.afterHeldOut}`);
  // Little forgotten: the test split loses at most two of its digits (it may gain). Ten odd
  // drawings taught as digits they resemble little move a boundary: measured with the default
  // ensemble (99.16%), constant or cosine rates and distorted rehearsal copies all lost the
  // same two test digits (98.61%) while learning all ten.
  const testSize = Number(scores.testSize);
  assert.ok(testSize > 300, `test split of ${scores.testSize}`);
  assert.ok(Math.round((testBefore - testAfter) * testSize) <= 2, `test accuracy ${testBefore} -> ${testAfter}`);
  assert.equal(Number(scores.afterPersonal), 1, 'every drawing learned from is read as taught');
  assert.match(await page.locator('#model-origin').textContent(), /taught your handwriting$/);

  const held = await page.$$eval('[data-testid="personal-list"] > .personal-item', (items) => items.map((i) => i.dataset.heldOut === 'true'));
  assert.equal(held.length, 10);
  const afterLearn = await readAll();
  afterLearn.forEach((r, i) => {
    if (!held[i]) assert.equal(r.guess, String(taught[i]), `${SHAPES[i].name} is read as the ${taught[i]} it was taught`);
  });
  t.diagnostic(`held out: ${held.map((h, i) => (h ? `${SHAPES[i].name} read ${afterLearn[i].guess}, taught ${taught[i]}` : '')).filter(Boolean).join('; ') || 'none'}`);

  await page.getByTestId('learn-undo').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="personal-message"]').textContent.startsWith('Back to'),
    null, { timeout: TIMEOUT });
  assert.ok(await page.getByTestId('learn-undo').isDisabled());
  assert.doesNotMatch(await page.locator('#model-origin').textContent(), /taught/);
  const undone = await readAll();
  undone.forEach((r, i) => assert.deepEqual(r.probabilities, before_[i].probabilities, `${SHAPES[i].name}: exactly as before`));
});

test('the set is kept over a reload, exports and imports; bad files lose nothing', async () => {
  await page.reload();
  await page.waitForFunction(() => document.querySelector('[data-testid="personal-count"]').textContent === '10', null, { timeout: TIMEOUT });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('personal-export').click()]);
  const exported = path.join(scratch, 'set.json');
  await download.saveAs(exported);
  const file = JSON.parse(readFileSync(exported, 'utf8'));
  assert.equal(file.format, 'digitlab-personal-set');
  assert.deepEqual(file.drawings.map((d) => d.label), taught);
  assert.ok(file.drawings.every((d) => d.features.length === 64 && d.strokes.length > 0));

  // A corrupt file: one label changed, the checksum not.
  const corrupt = path.join(scratch, 'corrupt.json');
  writeFileSync(corrupt, readFileSync(exported, 'utf8').replace(`"label":${taught[0]}`, `"label":${(taught[0] + 1) % 10}`));
  await page.getByTestId('personal-import').setInputFiles(corrupt);
  await page.waitForFunction(() => /damaged/.test(document.querySelector('[data-testid="personal-message"]').textContent));
  assert.equal(await count(), 10);
  // Not JSON at all.
  const garbage = path.join(scratch, 'garbage.json');
  writeFileSync(garbage, '\u0000\u0001not json');
  await page.getByTestId('personal-import').setInputFiles(garbage);
  await page.waitForFunction(() => /not valid JSON/.test(document.querySelector('[data-testid="personal-message"]').textContent));
  assert.equal(await count(), 10);
  // 100 MB: refused by its size, before it is read.
  const huge = path.join(scratch, 'huge.json');
  const fd = openSync(huge, 'w');
  ftruncateSync(fd, 100 * 1024 * 1024);
  closeSync(fd);
  await page.getByTestId('personal-import').setInputFiles(huge);
  await page.waitForFunction(() => /100\.0 MB; a personal-set file is at most 4 MB/.test(document.querySelector('[data-testid="personal-message"]').textContent));
  assert.equal(await count(), 10);

  // Clear asks first, then removes; the export brings every drawing back.
  await page.getByTestId('personal-clear').click();
  assert.equal(await count(), 10);
  await page.getByTestId('personal-clear').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="personal-count"]').textContent === '0');
  await page.getByTestId('personal-import').setInputFiles(exported);
  await page.waitForFunction(() => document.querySelector('[data-testid="personal-count"]').textContent === '10');
  const labels = await page.$$eval('[data-testid="personal-list"] > .personal-item', (items) => items.map((i) => Number(i.dataset.label)));
  assert.deepEqual(labels, taught);
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.foreign, []);
});
