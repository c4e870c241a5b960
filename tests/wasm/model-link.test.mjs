// Model links through the JS API (dl.shareModel / dl.openModelLink, engine/model_share.h):
// the sender's dequantised model file is byte for byte the receiver's, so their
// predictions are identical; a changed character, a truncation, a 1 MB text and a
// non-string are refused with the engine's message and the module stays usable.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadModuleWithDigits } from './helpers.mjs';

const { lab: dl } = await loadModuleWithDigits();

function trainedMlpBytes() {
  const arch = JSON.stringify({ input: 64, layers: [{ type: 'dense', units: 32 }, { type: 'relu' }, { type: 'dense', units: 10 }] });
  const trainer = dl.createTrainer({ architecture: arch, epochs: 2, augment: false, seed: 3 });
  let progress;
  do { progress = trainer.train(200); } while (!progress.done);
  const bytes = trainer.save();
  trainer.delete();
  return bytes;
}

test('model link: a 64-32-10 mlp makes a link of a few KB; the receiver predicts exactly as the sender', () => {
  const sent = dl.shareModel(trainedMlpBytes());
  assert.match(sent.text, /^[A-Za-z0-9_-]+$/);
  assert.ok(sent.text.length > 3000 && sent.text.length < 3600, `${sent.text.length} characters`);
  assert.equal(typeof sent.checksum, 'number');
  const received = dl.openModelLink(sent.text);
  assert.deepEqual(Buffer.from(received.bytes), Buffer.from(sent.bytes));
  assert.equal(received.checksum, sent.checksum);
  assert.equal(received.architecture, sent.architecture);
  const a = dl.loadModel(sent.bytes);
  const b = dl.loadModel(received.bytes);
  const features = new Float32Array(64 * 5).map((_, i) => (i * 7) % 17);
  assert.deepEqual(Array.from(b.predict(features)), Array.from(a.predict(features)));
  a.delete();
  b.delete();
});

test('model link: damaged, oversized and wrong-typed links are refused; the module stays usable', () => {
  const { text } = dl.shareModel(trainedMlpBytes());
  const at = 1000;
  const flipped = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  assert.throws(() => dl.openModelLink(flipped), /the model link is damaged: its checksum does not match/);
  assert.throws(() => dl.openModelLink(text.slice(0, -4)), /the model link is damaged/);
  assert.throws(() => dl.openModelLink(`${text.slice(0, -1)}*`), /not a base64url character/);
  assert.throws(() => dl.openModelLink('A'.repeat(1 << 20)), /1048576 characters long; a model link holds at most 262144/);
  assert.throws(() => dl.openModelLink(42), /expected the text of a model link/);
  assert.throws(() => dl.shareModel(new Uint8Array(0)), /empty/);
  assert.throws(() => dl.shareModel(new Uint8Array([1, 2, 3])), /not a digitlab model file/);
  assert.ok(dl.openModelLink(text).bytes.length > 0);
});
