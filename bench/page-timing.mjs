// The page's first visit in headless Chromium with a fresh profile each time: seconds from
// the load event until a first model can predict (the prediction hook's data-ready) and
// until the whole default ensemble has trained (data-final), and the longest main-thread
// task in between, from the load event and from the first model ready (0: none over the
// browser's 50 ms long-task threshold). models_at_s: when each run's count of predicting
// models changed (0, 1, 2: the stand-in, then the next member; the last one to join takes
// the stand-in's place, at load_to_final). Prints one JSON line: the median of `runs` loads, and every run's times.
// Usage: node bench/page-timing.mjs [runs (default 3)]
import { PAGE_TIMING, launchBrowser, pageTiming, prepareWeb, serveWeb } from '../tests/e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 3);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (v) => Math.round(v * 1000) / 1000;

prepareWeb();
const { server, url } = await serveWeb();
const browser = await launchBrowser();
const first = [], final = [], longest = [], longestReady = [], modelsAt = [];
let models = 0;
try {
  for (let i = 0; i < runs; ++i) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });  // a fresh profile
    await context.addInitScript(PAGE_TIMING);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(url);
    const timing = await pageTiming(page);
    first.push(timing.first);
    final.push(timing.final);
    longest.push(timing.longestTask);
    longestReady.push(timing.longestTaskReady);
    modelsAt.push(timing.modelsAt.map(round));
    models = Number(await page.getByTestId('prediction').getAttribute('data-models'));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify({
  engine: 'digitlab-page-chromium', model: 'default-ensemble',
  load_to_first_prediction_s: round(median(first)), load_to_final_s: round(median(final)), models,
  longest_main_thread_task_ms: median(longest), longest_task_after_first_ms: median(longestReady), runs, first_s: first.map(round), final_s: final.map(round),
  models_at_s: modelsAt,
}));
