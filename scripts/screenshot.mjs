// `npm run screenshot`: remakes docs/screenshot.png, the README's picture of the page after
// its first-visit training (the whole default ensemble), with the misread digits of one confusion cell open and a 7 drawn;
// then docs/inside.png, the inside view: a cnn stepped one batch (its first conv layer's
// feature maps for one digit) and a gradient check of a conv weight.
// Needs the wasm build (bash scripts/build-wasm.sh) and Chromium, like the e2e tests.
import path from 'node:path';

import {
  ROOT, SIMPLE_DIGITS, drawAndRead, launchBrowser, prepareWeb, serveWeb,
} from '../tests/e2e/harness.mjs';

const OUT = path.join(ROOT, 'docs', 'screenshot.png');
const INSIDE = path.join(ROOT, 'docs', 'inside.png');

prepareWeb();
const { server, url } = await serveWeb();
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(url);
  // The whole first-visit ensemble, as a visitor sees it a few seconds after the load.
  await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]').dataset.final === 'true'
    && /^default ensemble, (\d) of \1 models$/.test(document.querySelector('#model-origin').textContent)
    && /^\d+(\.\d)?%$/.test(document.querySelector('[data-testid="test-accuracy"]').textContent), null, { timeout: 150_000 });
  await page.locator('.confusion-grid .cell.off:not([disabled])').first().click();
  const read = await drawAndRead(page, SIMPLE_DIGITS[7]);
  if (read !== '7') throw new Error(`the drawn 7 was read as "${read}"; not taking the picture`);
  await page.screenshot({ path: OUT });
  console.log(`wrote ${path.relative(ROOT, OUT)}`);

  await page.selectOption('#preset', 'cnn');
  await page.getByTestId('nav-inside').click();
  await page.getByTestId('step-batch').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="step-status"]').dataset.batch === '1',
    null, { timeout: 60_000 });
  await page.locator('[data-testid="step-sample"][data-row="2"]').click();
  await page.locator('.stage-list button[data-stage="layer-1"]').click();
  await page.getByTestId('grad-check').click();
  await page.getByTestId('grad-check-result').waitFor({ state: 'visible', timeout: 60_000 });
  await page.screenshot({ path: INSIDE, fullPage: true });
  console.log(`wrote ${path.relative(ROOT, INSIDE)}`);
} finally {
  await browser.close();
  server.close();
}
