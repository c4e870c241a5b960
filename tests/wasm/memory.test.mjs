// Every object the module hands out is freed by delete(): creating, training and deleting
// a trainer 100 times returns the wasm heap in use (malloc's bytes) to where it was.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadModuleWithDigits } from './helpers.mjs';

const { lab } = await loadModuleWithDigits();

test('memory: 100 trainers created, trained and deleted leak nothing', () => {
  const options = { architecture: lab.presetArchitecture('mlp'), epochs: 1, seed: 1 };
  const cycle = () => {
    const trainer = lab.createTrainer(options);
    trainer.train(5);
    trainer.evaluate();
    trainer.predict(trainer.testFeatures());
    const model = lab.loadModel(trainer.save());
    model.predict(new Float32Array(64));
    model.delete();
    trainer.delete();
  };
  cycle();  // warm-up: lazily created statics are allocated once
  const before = lab.heapBytes();
  for (let i = 0; i < 100; ++i) cycle();
  const after = lab.heapBytes();
  assert.ok(before > 0);
  assert.equal(after, before, `heap in use went from ${before} to ${after} bytes`);
});
