// Number formatting for the page (web/format.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { estimateSecondsLeft, formatCount, formatDuration, formatPercent } from '../../web/format.js';

test('format: percent, duration and counts', () => {
  assert.equal(formatPercent(0.9783), '97.8%');
  assert.equal(formatPercent(1), '100.0%');
  assert.equal(formatPercent(NaN), '–');
  assert.equal(formatDuration(4.4), '4.4 s');
  assert.equal(formatDuration(0.2683), '0.27 s');
  assert.equal(formatDuration(0), '0.00 s');
  assert.equal(formatDuration(42.4), '42 s');
  assert.equal(formatDuration(185), '3 min 05 s');
  assert.equal(formatDuration(-1), '–');
  assert.equal(formatCount(12), '12');
  assert.equal(formatCount(1234), '1.2k');
  assert.equal(formatCount(123456), '123k');
  assert.equal(formatCount(2500000), '2.5M');
});

test('format: time left scales the time so far by the work still to do', () => {
  // 2.5 of 10 epochs done in 5 s -> 15 s to go.
  const progress = { epoch: 2, epochs: 10, batch: 20, batchesPerEpoch: 40, trainSeconds: 5 };
  assert.equal(estimateSecondsLeft(progress), 15);
  assert.ok(Number.isNaN(estimateSecondsLeft({ ...progress, epoch: 0, batch: 0 })));
});
