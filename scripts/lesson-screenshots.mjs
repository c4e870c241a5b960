// Remakes docs/lesson-en.png and docs/lesson-zh.png, the README's pictures of the lesson view
// (its first sections: the neuron, layers and activations widgets) in each language.
// Needs the wasm build and Chromium like the e2e tests, and a CJK font for the Chinese one
// (Debian: fonts-wqy-microhei).
import path from 'node:path';

import { ROOT, launchBrowser, prepareWeb, serveWeb } from '../tests/e2e/harness.mjs';

prepareWeb();
const { server, url } = await serveWeb();
const browser = await launchBrowser();
try {
  for (const lang of ['en', 'zh']) {
    const page = await (await browser.newContext({ viewport: { width: 1000, height: 1500 } })).newPage();
    await page.goto(`${url}?lang=${lang}&view=lesson`);
    await page.waitForFunction(() => document.querySelector('[data-widget="activations"]')?.dataset.computed
      && document.querySelector('[data-widget="neuron"]')?.dataset.computed, null, { timeout: 60_000 });
    await page.waitForTimeout(300);
    const out = path.join(ROOT, 'docs', `lesson-${lang}.png`);
    await page.screenshot({ path: out });
    console.log(`wrote ${path.relative(ROOT, out)}`);
  }
} finally {
  await browser.close();
  server.close();
}
