// Shared pieces of the end-to-end tests: the built page (wasm + dataset in place), a
// static server on a free port, headless Debian Chromium, real pointer input, and a
// monitor of main-thread stalls (long tasks and gaps between animation frames).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';
import { writeBuildId } from '../../scripts/write-build-id.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WEB = path.join(ROOT, 'web');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu-vsync',
  '--disable-frame-rate-limit'];

// Checks the wasm build is there and copies the datasets next to the page, as start.sh does.
export function prepareWeb() {
  for (const file of ['web/nn.js', 'web/nn.wasm', 'data/digits.bin', 'data/font-digits.bin', 'data/stroke-digits.bin']) {
    if (!existsSync(path.join(ROOT, file))) {
      throw new Error(`${file} is missing: run bash scripts/build-wasm.sh (data/*.bin ship with the repo)`);
    }
  }
  mkdirSync(path.join(WEB, 'generated'), { recursive: true });
  for (const name of ['digits.bin', 'font-digits.bin', 'stroke-digits.bin']) {
    copyFileSync(path.join(ROOT, 'data', name), path.join(WEB, 'generated', name));
  }
  writeBuildId(WEB);  // the service worker's file list (web/sw.js), as start.sh writes it
}

export async function serveWeb() {
  return startServer({ root: WEB, port: 0 });
}

// A fresh browser (Playwright gives it a new temporary profile).
export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

// Records everything a test wants to assert about a page: console errors, uncaught
// exceptions and requests to anything but the page's own origin.
export function watchPage(page, origin) {
  const record = { errors: [], foreign: [] };
  page.on('console', (msg) => { if (msg.type() === 'error') record.errors.push(msg.text()); });
  page.on('pageerror', (err) => record.errors.push(String(err)));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) record.foreign.push(url);
  });
  return record;
}

// Injected before the page's scripts: the longest long task and the longest gap between
// animation frames, in ms (window.__stalls).
export const STALL_MONITOR = () => {
  window.__stalls = { longestTask: 0, longestFrameGap: 0 };
  window.__resetStalls = () => { window.__stalls = { longestTask: 0, longestFrameGap: 0 }; };
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__stalls.longestTask = Math.max(window.__stalls.longestTask, entry.duration);
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no longtask support: the frame-gap monitor still runs
  }
  let last = performance.now();
  const frame = (now) => {
    if (document.visibilityState === 'visible') {
      window.__stalls.longestFrameGap = Math.max(window.__stalls.longestFrameGap, now - last);
    }
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
};

// Draws strokes (lists of [x, y] in 0..1 of the canvas) with real mouse events, one at a
// time and awaited, with in-between points so fast moves still make dense strokes.
export async function drawStrokes(page, strokes) {
  // Filling a field low on the page scrolls the pad away; the mouse only reaches what is in view.
  await page.getByTestId('draw-canvas').scrollIntoViewIfNeeded();
  const box = await page.getByTestId('draw-canvas').boundingBox();
  const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
  for (const stroke of strokes) {
    const [x0, y0] = at(stroke[0]);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let i = 1; i < stroke.length; i++) {
      const [xa, ya] = at(stroke[i - 1]);
      const [xb, yb] = at(stroke[i]);
      const steps = Math.max(1, Math.ceil(Math.hypot(xb - xa, yb - ya) / 12));
      for (let s = 1; s <= steps; s++) await page.mouse.move(xa + ((xb - xa) * s) / steps, ya + ((yb - ya) * s) / steps);
    }
    await page.mouse.up();
  }
}

// Simple, clearly written digits (unit coordinates on the pad).
export const SIMPLE_DIGITS = {
  1: [[[0.42, 0.24], [0.54, 0.14], [0.54, 0.86]]],
  7: [[[0.26, 0.16], [0.74, 0.16], [0.62, 0.4], [0.46, 0.86]]],
  0: [Array.from({ length: 33 }, (_, i) => {
    const a = (i / 32) * 2 * Math.PI;
    return [0.5 + 0.22 * Math.sin(a), 0.5 - 0.34 * Math.cos(a)];
  })],
};

// Draws a digit and waits for the guess to the finished drawing.
export async function drawAndRead(page, strokes) {
  await page.getByTestId('clear-drawing').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]').textContent === '');
  await drawStrokes(page, strokes);
  // data-pending turns false once the answer to the last stroke is on screen (the text
  // stays empty when the engine finds too little ink to read).
  await page.waitForFunction(() => document.querySelector('[data-testid="prediction"]').dataset.pending === 'false',
    null, { timeout: 60_000 });
  return page.getByTestId('prediction').textContent();
}

// Injected before the page's scripts: when (performance.now(), ms) the prediction hook
// first said data-ready="true" and data-final="true", the page's load event (loadAt: the
// navigation entry's loadEventStart), every value data-models took, and the main thread's
// long tasks ([start, duration] each) (window.__timing).
export const PAGE_TIMING = () => {
  window.__timing = { readyAt: null, finalAt: null, loadAt: null, models: [], changedAt: [], longTasks: [] };
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__timing.longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no longtask support: longestTask stays 0
  }
  const watch = () => {
    const element = document.querySelector('[data-testid="prediction"]');
    if (!element) return false;
    const check = () => {
      const t = performance.now();
      // The marks let a trace of the load find the same moments (mainThreadTasks).
      if (window.__timing.readyAt === null && element.dataset.ready === 'true') {
        window.__timing.readyAt = t;
        performance.mark('digitlab-ready');
      }
      if (window.__timing.finalAt === null && element.dataset.final === 'true') {
        window.__timing.finalAt = t;
        performance.mark('digitlab-final');
      }
      const models = Number(element.dataset.models);
      const seen = window.__timing.models;
      if (seen[seen.length - 1] !== models) {
        seen.push(models);
        window.__timing.changedAt.push(t);
      }
    };
    new MutationObserver(check).observe(element, { attributes: true });
    check();
    return true;
  };
  document.addEventListener('DOMContentLoaded', watch);
  window.addEventListener('load', () => {
    window.__timing.loadAt = performance.getEntriesByType('navigation')[0]?.loadEventStart ?? performance.now();
  });
};

// What a Chromium trace (browser.startTracing with TRACE_CATEGORIES) saw of the page's main
// thread between two of its performance marks: each task's wall time and its own CPU time, in
// ms. The long-task API counts wall time, which on a busy 2-core machine also counts the time
// the main thread waited for a core that the two training workers and the host held; the CPU
// time is the page's own work.
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'];

export function mainThreadTasks(trace, fromMark, toMark) {
  const { traceEvents } = JSON.parse(trace);
  const mark = (name) => {
    const found = traceEvents.find((event) => event.name === name && event.cat === 'blink.user_timing');
    if (!found) throw new Error(`the trace has no mark ${name}`);
    return found;
  };
  const from = mark(fromMark);
  const to = mark(toMark);
  return traceEvents
    .filter((event) => event.name === 'RunTask' && event.ph === 'X' && event.pid === from.pid && event.tid === from.tid
      && event.ts >= from.ts && event.ts <= to.ts)
    .map((event) => ({ wall: event.dur / 1000, cpu: (event.tdur ?? event.dur) / 1000 }));
}

// Seconds from the load event to the first model ready and to the full default ensemble,
// the values data-models took (and when, modelsAt), and the longest main-thread task (ms) from the load event
// until the ensemble was complete (longestTask; it includes the page's own first layout
// and the charts' first paint) and from the first model ready until then (longestTaskReady).
export async function pageTiming(page, timeout = 60_000) {
  await page.waitForFunction(() => window.__timing?.finalAt !== null && window.__timing.loadAt !== null, null, { timeout });
  const { readyAt, finalAt, loadAt, models, changedAt, longTasks } = await page.evaluate(() => window.__timing);
  const longest = (from) => Math.max(0, ...longTasks.filter(([start]) => start >= from && start <= finalAt).map(([, d]) => d));
  return {
    first: (readyAt - loadAt) / 1000, final: (finalAt - loadAt) / 1000, models,
    modelsAt: changedAt.map((t) => (t - loadAt) / 1000),
    longestTask: longest(loadAt), longestTaskReady: longest(readyAt),
  };
}
