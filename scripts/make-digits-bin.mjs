// Makes data/digits.bin (the shipped digits file) from the original scikit-learn CSV,
// data/digits.csv.gz, using only node's zlib. Format (see engine/digits_file.h):
// "DGTS", u32 LE version 1, u32 count, u32 features (64), count*64 pixel bytes, count label bytes.
// Usage: node scripts/make-digits-bin.mjs [input.csv.gz] [output.bin]
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FEATURES = 64;
const input = process.argv[2] ?? join(ROOT, 'data', 'digits.csv.gz');
const output = process.argv[3] ?? join(ROOT, 'data', 'digits.bin');

const lines = gunzipSync(readFileSync(input)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
const count = lines.length;
const pixels = new Uint8Array(count * FEATURES);
const labels = new Uint8Array(count);
lines.forEach((line, row) => {
  const fields = line.split(',').map(Number);
  if (fields.length !== FEATURES + 1) throw new Error(`line ${row + 1}: ${fields.length} fields, expected 65`);
  fields.forEach((v, i) => {
    const max = i < FEATURES ? 16 : 9;
    if (!Number.isInteger(v) || v < 0 || v > max) throw new Error(`line ${row + 1}, field ${i + 1}: ${v} not in 0..${max}`);
  });
  pixels.set(fields.slice(0, FEATURES), row * FEATURES);
  labels[row] = fields[FEATURES];
});

const header = Buffer.alloc(16);
header.write('DGTS', 0, 'ascii');
header.writeUInt32LE(1, 4);
header.writeUInt32LE(count, 8);
header.writeUInt32LE(FEATURES, 12);
writeFileSync(output, Buffer.concat([header, pixels, labels]));
console.log(`wrote ${output}: ${count} digits, ${16 + pixels.length + labels.length} bytes`);
