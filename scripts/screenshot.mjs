// `npm run screenshot`: remakes docs/screenshot.png, the README's picture of the page after
// its first-visit training, with the misread digits of one confusion cell open and a 7 drawn.
// Needs the wasm build (bash scripts/build-wasm.sh) and Chromium, like the e2e tests.
import path from 'node:path';

import {
  ROOT, SIMPLE_DIGITS, drawAndRead, launchBrowser, prepareWeb, serveWeb,
} from '../tests/e2e/harness.mjs';

const OUT = path.join(ROOT, 'docs', 'screenshot.png');

prepareWeb();
const { server, url } = await serveWeb();
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(url);
  await page.waitForFunction(() => /^\d+(\.\d)?%$/.test(
    document.querySelector('[data-testid="test-accuracy"]').textContent), null, { timeout: 150_000 });
  await page.locator('.confusion-grid .cell.off:not([disabled])').first().click();
  const read = await drawAndRead(page, SIMPLE_DIGITS[7]);
  if (read !== '7') throw new Error(`the drawn 7 was read as "${read}"; not taking the picture`);
  await page.screenshot({ path: OUT });
  console.log(`wrote ${path.relative(ROOT, OUT)}`);
} finally {
  await browser.close();
  server.close();
}
