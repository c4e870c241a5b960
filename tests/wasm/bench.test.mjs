// The benchmark's FLOP count (bench/common.mjs, used for every engine's GFLOP/s line, TF.js
// included) must be the engine's own count of the products it runs, model by model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModuleWithDigits } from './helpers.mjs';
import { trainingFlopsPerSample } from '../../bench/common.mjs';

test('bench: the JS FLOP count equals the engine\'s count of the products it runs', async () => {
  const { lab } = await loadModuleWithDigits();
  for (const model of ['mlp', 'cnn']) {
    const run = lab.benchTraining(model, 2, 42);
    assert.equal(trainingFlopsPerSample(model), run.flopsPerSample, model);
  }
  // The mlp's first dense layer skips its input gradient: 2*(2*64*128 + 3*128*10).
  assert.equal(trainingFlopsPerSample('mlp'), 40448);
  assert.throws(() => trainingFlopsPerSample('resnet'), /unknown benchmark model "resnet"/);
});
