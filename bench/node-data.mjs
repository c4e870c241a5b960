// Node-only data loading for the benchmarks: the digits (from the shared CSV) and the
// train/test split. The split indices come from the engine (native_bench --export-split
// writes build/bench/split.json) so that every engine trains on exactly the same rows;
// without that file a JS stratified split is used and the lines say so.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { fallbackSplit, gatherRows, SEED, TEST_SHARE } from './common.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SPLIT_FILE = process.env.DIGITLAB_SPLIT_FILE || path.join(REPO, 'build/bench/split.json');
const CSV = process.env.DIGITLAB_DIGITS_CSV || path.join(REPO, '../shared/data/digits.csv.gz');

// All 1797 digits: x (N*64 floats in [0, 1]) and y (N labels).
export function loadDigitsCsv() {
  const text = zlib.gunzipSync(fs.readFileSync(CSV)).toString('utf8');
  const lines = text.split('\n').filter((l) => l.trim());
  const x = new Float32Array(lines.length * 64);
  const y = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const v = line.split(',').map(Number);
    if (v.length !== 65) throw new Error(`${CSV} line ${i + 1}: expected 65 values, got ${v.length}`);
    for (let j = 0; j < 64; j++) x[i * 64 + j] = v[j] / 16;
    y[i] = v[64];
  });
  return { x, y };
}

// {train: {x, y}, test: {x, y}, splitSource}
export function loadSplitDigits() {
  const all = loadDigitsCsv();
  let split, splitSource;
  if (fs.existsSync(SPLIT_FILE)) {
    split = JSON.parse(fs.readFileSync(SPLIT_FILE, 'utf8'));
    splitSource = 'engine';
  } else {
    split = fallbackSplit(Array.from(all.y), TEST_SHARE, SEED);
    splitSource = 'js-fallback';
  }
  return { train: gatherRows(all.x, all.y, split.train), test: gatherRows(all.x, all.y, split.test), splitSource };
}
