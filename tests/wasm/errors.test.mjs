// Bad inputs raise real Errors with messages a user can act on, and the module keeps
// working afterwards (a C++ exception must never abort it or leave it unusable).
import test from 'node:test';
import assert from 'node:assert/strict';
import { errorMessage, loadModuleWithDigits } from './helpers.mjs';

const { lab } = await loadModuleWithDigits();
const MLP = lab.presetArchitecture('mlp');

// A model that must still predict after every failure.
const healthy = lab.createTrainer({ architecture: MLP, epochs: 1, seed: 3 });
const SAMPLE = new Float32Array(64).fill(0.5);
const reference = healthy.predict(SAMPLE);
function assertStillWorks() {
  assert.deepEqual([...healthy.predict(SAMPLE)], [...reference]);
  assert.equal(lab.checkArchitecture(MLP).totalParams, 9610);
}
test.after(() => healthy.delete());

test('errors: malformed architecture JSON', () => {
  assert.match(errorMessage(() => lab.checkArchitecture('{"input": 64, "layers": [')), /\S/);
  assertStillWorks();
});

test('errors: architecture whose shapes do not fit names the layer', () => {
  const bad = JSON.stringify({ input: [1, 8, 8], layers: [
    { type: 'conv2d', filters: 4, kernel: 3 }, { type: 'maxpool2d', size: 2 },
    { type: 'conv2d', filters: 4, kernel: 5 }, { type: 'dense', units: 10 }] });
  const message = errorMessage(() => lab.createTrainer({ architecture: bad }));
  assert.match(message, /conv2d/);
  assertStillWorks();
});

test('errors: unknown layer type', () => {
  const bad = JSON.stringify({ input: 64, layers: [{ type: 'densse', units: 10 }] });
  assert.match(errorMessage(() => lab.checkArchitecture(bad)), /densse/);
  assertStillWorks();
});

test('errors: NaN learning rate names the field', () => {
  assert.match(errorMessage(() => lab.createTrainer({ architecture: MLP, learningRate: NaN })), /learning.?rate/i);
  assertStillWorks();
});

test('errors: batch size 0 names the field', () => {
  assert.match(errorMessage(() => lab.createTrainer({ architecture: MLP, batchSize: 0 })), /batch/i);
  assertStillWorks();
});

test('errors: unknown optimizer and bad shares', () => {
  assert.match(errorMessage(() => lab.createTrainer({ architecture: MLP, optimizer: 'adamw' })), /adamw/);
  assert.match(errorMessage(() => lab.createTrainer({ architecture: MLP, testShare: 1.5 })), /testShare/);
  assert.match(errorMessage(() => lab.createTrainer({ architecture: MLP, seed: -1 })), /seed/);
  assert.match(errorMessage(() => lab.createTrainer({ architecture: MLP, lrSchedule: 'step' })),
               /lrSchedule "step" is unknown: expected constant or cosine/);
  assert.match(errorMessage(() => lab.createTrainer({ architecture: MLP, lrSchedule: 3 })), /lrSchedule must be/);
  assertStillWorks();
});

test('schedule: a cosine schedule trains, deterministically, and differently from a constant rate', () => {
  const run = (lrSchedule) => {
    const t = lab.createTrainer({ architecture: MLP, epochs: 2, seed: 5, lrSchedule });
    try {
      let p = t.progress();
      while (!p.done) p = t.train(1000);
      return [...t.predict(SAMPLE)];
    } finally {
      t.delete();
    }
  };
  const cosine = run('cosine');
  assert.ok(cosine.every(Number.isFinite));
  assert.notDeepEqual(cosine, run('constant'));
  assert.deepEqual(cosine, run('cosine'));
});

test('errors: wrong feature length for predict', () => {
  assert.match(errorMessage(() => healthy.predict(new Float32Array(65))), /64 features per sample.*65/);
  assert.match(errorMessage(() => healthy.predict(new Float32Array(0))), /64/);
  assert.match(errorMessage(() => healthy.predict('not an array')), /typed array/);
  assertStillWorks();
});

test('errors: garbage and truncated model bytes', () => {
  assert.match(errorMessage(() => lab.loadModel(new Uint8Array(0))), /empty/);
  const garbage = new Uint8Array(1000).map((_, i) => (i * 37 + 11) & 255);
  assert.ok(errorMessage(() => lab.loadModel(garbage)).length > 10);
  const good = healthy.save();
  assert.ok(errorMessage(() => lab.loadModel(good.slice(0, good.length - 7))).length > 10);
  const flipped = good.slice();
  flipped[Math.floor(flipped.length / 2)] ^= 0x40;
  assert.ok(errorMessage(() => lab.loadModel(flipped)).length > 10);
  assertStillWorks();
});

test('errors: zero-size and mis-sized drawings', () => {
  assert.match(errorMessage(() => lab.preprocess(new Uint8Array(0), 0, 0)), /width and height/);
  assert.match(errorMessage(() => lab.preprocess(new Uint8Array(10), 4, 4)), /16 gray bytes/);
  assertStillWorks();
});

test('errors: garbage digits file', () => {
  assert.ok(errorMessage(() => lab.loadDigits(new Uint8Array([1, 2, 3, 4, 5]))).length > 10);
  assertStillWorks();
});

test('errors: a deleted trainer says so instead of crashing', () => {
  const trainer = lab.createTrainer({ architecture: MLP, epochs: 1 });
  trainer.delete();
  trainer.delete();
  assert.match(errorMessage(() => trainer.train(1)), /deleted/);
  assertStillWorks();
});

test('errors: thousands of failures leave the module usable and leak no wasm heap', () => {
  const garbage = new Uint8Array(500).map((_, i) => (i * 13 + 5) & 255);
  const failures = [
    () => healthy.predict(new Float32Array(63)),
    () => lab.checkArchitecture('{"input": 64, "layers": [{"type": "nope"}]}'),
    () => lab.createTrainer({ architecture: MLP, batchSize: 0 }),
    () => lab.createTrainer({ architecture: '{"input": 64, "layers": [{"type": "dense", "units": 0}]}' }),
    () => lab.loadModel(garbage),
    () => lab.preprocess(new Uint8Array(7), 3, 3),
  ];
  for (const fail of failures) errorMessage(fail);  // warm-up: message buffers reach their size
  const before = lab.heapBytes();
  for (let i = 0; i < 500; ++i) for (const fail of failures) errorMessage(fail);
  assertStillWorks();
  assert.equal(lab.heapBytes(), before, 'wasm heap in use changed over 3000 failed calls');
});
