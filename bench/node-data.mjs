// Node-only data loading for the benchmarks: the digits (data/digits.bin) and the
// train/test split. The split indices come from the engine (native_bench --export-split
// writes build/bench/split.json) so that every engine trains on exactly the same rows;
// without that file a JS stratified split is used and the lines say so.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fallbackSplit, gatherRows, SEED, TEST_SHARE } from './common.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SPLIT_FILE = process.env.DIGITLAB_SPLIT_FILE || path.join(REPO, 'build/bench/split.json');
export const DIGITS_FILE = path.join(REPO, 'data/digits.bin');

// All 1797 digits: x (N*64 floats in [0, 1]) and y (N labels), read from the digits file
// (format in data/README.md: "DGTS", version, count, features, pixel counts, labels).
export function loadDigits() {
  const bytes = fs.readFileSync(DIGITS_FILE);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const features = view.getUint32(12, true);
  if (bytes.toString('latin1', 0, 4) !== 'DGTS' || features !== 64 || bytes.length !== 16 + 65 * count) {
    throw new Error(`${DIGITS_FILE}: not a digits file of 64 features (see data/README.md)`);
  }
  const x = new Float32Array(count * 64);
  for (let i = 0; i < count * 64; i++) x[i] = bytes[16 + i] / 16;
  const y = Int32Array.from(bytes.subarray(16 + count * 64));
  return { x, y };
}

// {train: {x, y}, test: {x, y}, splitSource}
export function loadSplitDigits() {
  const all = loadDigits();
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
