// The personal-set file (web/personal-file.js): a round trip keeps every drawing exactly,
// and a damaged, foreign, oversized or malformed file is refused with a message that says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  MAX_FILE_BYTES, checkFileSize, crc32Hex, decodePersonalFile, encodePersonalFile,
} from '../../web/personal-file.js';

function drawing(label, seed) {
  const features = new Float32Array(64);
  for (let i = 0; i < 64; i++) features[i] = ((i * 7 + seed) % 17) / 16;
  features[3] = 0.1;  // not a multiple of 1/16: a float32 that must come back bit for bit
  return { label, features, strokes: [[[0.1, 0.2], [0.33333, 0.5]], [[0.9, 0.9]]] };
}

test('personal file: CRC-32 is zlib\'s', () => {
  assert.equal(crc32Hex('123456789'), 'cbf43926');
  assert.equal(crc32Hex(''), '00000000');
});

test('personal file: a round trip keeps labels, features (exactly) and strokes', () => {
  const drawings = [drawing(3, 1), drawing(0, 5), drawing(9, 2)];
  const back = decodePersonalFile(encodePersonalFile(drawings));
  assert.equal(back.length, 3);
  back.forEach((d, i) => {
    assert.equal(d.label, drawings[i].label);
    assert.ok(d.features instanceof Float32Array);
    assert.deepEqual(Array.from(d.features), Array.from(drawings[i].features));
  });
  assert.deepEqual(back[0].strokes, [[[0.1, 0.2], [0.3333, 0.5]], [[0.9, 0.9]]]);
  assert.deepEqual(decodePersonalFile(encodePersonalFile([])), []);
});

test('personal file: damaged or foreign files are refused, saying why', () => {
  const good = encodePersonalFile([drawing(3, 1), drawing(4, 2)]);
  assert.throws(() => decodePersonalFile(good.slice(0, good.length - 20)), /not valid JSON/);
  assert.throws(() => decodePersonalFile('{"hello": 1}'), /not a personal-set file/);
  assert.throws(() => decodePersonalFile('null'), /not a personal-set file/);
  assert.throws(() => decodePersonalFile(good.replace('"version":1', '"version":2')), /version 2; this page reads version 1/);
  assert.throws(() => decodePersonalFile(good.replace('"label":3', '"label":5')), /checksum does not match/);
  assert.throws(() => decodePersonalFile(good.replace('"count":2', '"count":3')), /says it holds 3 drawings but has 2/);
  // A well-formed file with a bad drawing (its checksum recomputed) names the drawing.
  const bad = JSON.parse(good);
  bad.drawings[1].label = 12;
  bad.crc32 = crc32Hex(JSON.stringify(bad.drawings));
  assert.throws(() => decodePersonalFile(JSON.stringify(bad)), /Drawing 2 of the file has the label 12/);
  bad.drawings[1].label = 1;
  bad.drawings[1].features[0] = 2;
  bad.crc32 = crc32Hex(JSON.stringify(bad.drawings));
  assert.throws(() => decodePersonalFile(JSON.stringify(bad)), /outside 0..1/);
  bad.drawings[1].features = [0.5];
  bad.crc32 = crc32Hex(JSON.stringify(bad.drawings));
  assert.throws(() => decodePersonalFile(JSON.stringify(bad)), /64 features/);
  bad.drawings[1].features = Array(64).fill(0);
  bad.drawings[1].strokes = [[[0, 'x']]];
  bad.crc32 = crc32Hex(JSON.stringify(bad.drawings));
  assert.throws(() => decodePersonalFile(JSON.stringify(bad)), /not \[x, y\]/);
});

test('personal file: sizes are refused before reading', () => {
  assert.throws(() => checkFileSize(100 * 1024 * 1024), /100\.0 MB; a personal-set file is at most 4 MB/);
  assert.throws(() => checkFileSize(0), /empty/);
  checkFileSize(MAX_FILE_BYTES);
  assert.throws(() => encodePersonalFile([{ label: 10, features: new Float32Array(64), strokes: [] }]), /label 10/);
});
