// Training in wasm: an mlp reaches >= 97% test accuracy, slices add up to whole epochs,
// the same seed gives the same run, and a saved model reloads with the same predictions.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadModuleWithDigits } from './helpers.mjs';

const { lab } = await loadModuleWithDigits();
const MLP = lab.presetArchitecture('mlp');

function trainToEnd(trainer, slice = 50) {
  let progress;
  do progress = trainer.train(slice); while (!progress.done);
  return progress;
}

test('train: mlp reaches at least 97% test accuracy', () => {
  const trainer = lab.createTrainer({ architecture: MLP, epochs: 30, seed: 42 });
  try {
    const progress = trainToEnd(trainer);
    assert.equal(progress.epoch, 30);
    assert.equal(progress.history.length, 30);
    assert.equal(progress.diverged, false);
    const first = progress.history[0], last = progress.history[29];
    assert.ok(last.trainLoss < first.trainLoss / 3, `loss ${first.trainLoss} -> ${last.trainLoss}`);
    assert.ok(last.samplesPerSec > 0);
    const evaluation = trainer.evaluate();
    assert.ok(evaluation.accuracy >= 0.97, `test accuracy ${evaluation.accuracy}`);
    const total = evaluation.confusion.flat().reduce((s, v) => s + v, 0);
    assert.equal(total, trainer.testLabels().length);
    const diagonal = evaluation.confusion.reduce((s, row, k) => s + row[k], 0);
    assert.equal(evaluation.misclassified.length, total - diagonal);
    assert.ok(Math.abs(diagonal / total - evaluation.accuracy) < 1e-6);
    for (const miss of evaluation.misclassified) {
      assert.notEqual(miss.label, miss.predicted);
      assert.equal(trainer.testLabels()[miss.index], miss.label);
    }
    console.log(`# wasm mlp: test accuracy ${(evaluation.accuracy * 100).toFixed(2)}%, ` +
                `${Math.round(last.samplesPerSec)} samples/s in the last epoch`);
  } finally {
    trainer.delete();
  }
});

test('train: slices report batches and epochs consistently', () => {
  const trainer = lab.createTrainer({ architecture: MLP, epochs: 2, batchSize: 32, seed: 5 });
  try {
    const first = trainer.train(3);
    // 1797 digits: 20% test, then 10% of the rest for validation; ceil(train / 32) batches.
    assert.ok(first.batchesPerEpoch >= 40 && first.batchesPerEpoch <= 41, `batches ${first.batchesPerEpoch}`);
    assert.equal(first.batch, 3);
    assert.equal(first.epoch, 0);
    assert.equal(first.samplesSeen, 96);
    assert.equal(first.done, false);
    assert.deepEqual(trainer.progress().batch, 3);
    const end = trainToEnd(trainer, 7);
    assert.equal(end.epoch, 2);
    assert.equal(end.epochs, 2);
    assert.equal(end.history.length, 2);
  } finally {
    trainer.delete();
  }
});

test('train: the same seed gives the same run, another seed a different one', () => {
  const run = (seed) => {
    const trainer = lab.createTrainer({ architecture: MLP, epochs: 1, seed });
    try {
      trainToEnd(trainer);
      return trainer.predict(trainer.testFeatures().slice(0, 64 * 5));
    } finally {
      trainer.delete();
    }
  };
  const a = run(11), b = run(11), c = run(12);
  assert.deepEqual([...a], [...b]);
  assert.notDeepEqual([...a], [...c]);
});

test('train: a saved model reloads with identical predictions and evaluation', () => {
  const trainer = lab.createTrainer({ architecture: lab.presetArchitecture('cnn'), epochs: 1, seed: 9 });
  try {
    trainToEnd(trainer);
    const bytes = trainer.save();
    assert.ok(bytes instanceof Uint8Array);
    const model = lab.loadModel(bytes, { seed: 9 });
    try {
      const x = trainer.testFeatures();
      assert.deepEqual([...model.predict(x)], [...trainer.predict(x)]);
      assert.equal(model.evaluate().accuracy, trainer.evaluate().accuracy);
      assert.equal(model.architecture(), trainer.architecture());
      assert.deepEqual(model.summary().layers, trainer.summary().layers);
    } finally {
      model.delete();
    }
  } finally {
    trainer.delete();
  }
});

test('train: probabilities of every sample sum to 1', () => {
  const trainer = lab.createTrainer({ architecture: MLP, epochs: 1 });
  try {
    const probs = trainer.predict(trainer.testFeatures().slice(0, 64 * 20));
    assert.equal(probs.length, 200);
    for (let i = 0; i < 20; ++i) {
      const sum = probs.slice(i * 10, i * 10 + 10).reduce((s, v) => s + v, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5, `row ${i} sums to ${sum}`);
    }
  } finally {
    trainer.delete();
  }
});

test('train: a diverging run stops with a message and keeps finite, usable weights', () => {
  // MSE on a ReLU net with SGD at lr 10: every step overshoots further until the loss is inf.
  const architecture = JSON.stringify({
    input: 64, loss: 'mse', layers: [{ type: 'dense', units: 64 }, { type: 'relu' }, { type: 'dense', units: 10 }],
  });
  const trainer = lab.createTrainer({ architecture, optimizer: 'sgd', learningRate: 10, epochs: 20, seed: 42 });
  try {
    const progress = trainToEnd(trainer);
    assert.equal(progress.diverged, true);
    assert.equal(progress.done, true);
    assert.ok(progress.epoch < 20);
    assert.match(progress.message, /diverged/);
    assert.match(progress.message, /lower learning rate/);
    const weights = trainer.firstWeights().weight;
    assert.ok(weights.every(Number.isFinite), 'restored weights are finite');
    const probabilities = trainer.predict(trainer.testFeatures().slice(0, 64));
    assert.equal(probabilities.length, 10);
    assert.ok(probabilities.every(Number.isFinite), 'the restored model still predicts');
  } finally {
    trainer.delete();
  }
});
