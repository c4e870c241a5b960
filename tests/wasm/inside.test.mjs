// Seeing inside from JS: traceForward's layout and its end in predict's probabilities; step
// is the run's next batch (the same weights as train(1)); stepSample / stepWeight /
// gradientCheck return the engine's numbers as typed arrays and plain objects, and refuse
// bad choices with the engine's message; a run that blows up names its layer.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadModuleWithDigits } from './helpers.mjs';
import { divergenceMessage, gradientReading } from '../../web/engine-text.js';
import { t } from '../../web/i18n.js';

const { lab } = await loadModuleWithDigits();
const CNN = lab.presetArchitecture('cnn');

test('traceForward: the input, every layer, then the softmax that predict reports', () => {
  const trainer = lab.createTrainer({ architecture: CNN, epochs: 1, seed: 3 });
  try {
    const features = trainer.testFeatures().slice(0, 64);
    const trace = trainer.traceForward(features);
    const { layers } = trainer.summary();
    assert.equal(trace.length, layers.length + 2);
    assert.deepEqual(trace[0].shape, [1, 8, 8]);
    assert.deepEqual(Array.from(trace[0].values), Array.from(features));
    layers.forEach((layer, i) => {
      assert.equal(trace[i + 1].name, layer.name);
      assert.deepEqual(trace[i + 1].shape, layer.outputShape);
      assert.ok(trace[i + 1].values instanceof Float32Array);
    });
    assert.equal(trace.at(-1).name, 'softmax');
    assert.deepEqual(Array.from(trace.at(-1).values), Array.from(trainer.predict(features)));
    assert.throws(() => trainer.traceForward(new Float32Array(63)), /expected one sample of 64 features/);
  } finally {
    trainer.delete();
  }
});

test('step: the run\'s next batch, like train(1), with its stages and weight update', () => {
  const options = { architecture: CNN, epochs: 1, seed: 5, optimizer: 'momentum', learningRate: 0.05 };
  const stepped = lab.createTrainer(options);
  const trained = lab.createTrainer(options);
  try {
    const { batch, progress } = stepped.step();
    trained.train(1);
    assert.equal(progress.batch, 1);
    assert.equal(batch.size, 32);
    assert.equal(batch.inputs.length, 32 * 64);
    assert.ok(batch.samples instanceof Int32Array);
    assert.deepEqual(stepped.layerWeights(0).weight, trained.layerWeights(0).weight);
    const sample = stepped.stepSample(5);
    assert.equal(sample.loss.label, batch.labels[5]);
    assert.ok(Math.abs(-Math.log(sample.loss.probability) - sample.loss.loss) < 1e-5);
    assert.equal(sample.backward[0].name, 'd dense_1');
    const weight = stepped.stepWeight(0, 'weight', -1, 5);
    const w = weight.updateTerms.find((q) => q.name === "w'").value;
    assert.equal(Math.fround(w), Math.fround(weight.valueAfter));
    assert.match(weight.updateFormula, /^v = mu \* v \+ g = /);
    assert.throws(() => stepped.stepSample(32), /not in the batch \(rows 0\.\.31\)/);
    assert.throws(() => stepped.stepWeight(1, 'weight'), /no parameters/);
  } finally {
    stepped.delete();
    trained.delete();
  }
});

test('gradientCheck: a conv weight agrees with its finite difference; bad choices are refused', () => {
  const trainer = lab.createTrainer({ architecture: CNN, epochs: 1, seed: 7 });
  try {
    const check = trainer.gradientCheck(0, 'weight', -1);
    assert.equal(check.layerName, 'conv2d_1');
    assert.ok(Math.abs(check.analytic) > 1e-4);
    assert.ok(check.relativeError < 1e-2, JSON.stringify(check));
    assert.match(check.reading, /^agree to /);
    // The page's verdict from the same numbers is the engine's, word for word, for every
    // element of its dense layer too (some agree, some may be 0 and 0).
    const say = (c) => { const m = gradientReading(c); return t(m.key, m.params, 'en'); };
    assert.equal(say(check), check.reading);
    for (let element = 0; element < 20; ++element) {
      const dense = trainer.gradientCheck(7, 'weight', element);
      assert.equal(say(dense), dense.reading, JSON.stringify(dense));
    }
    assert.throws(() => trainer.gradientCheck(0, 'kernel'), /no parameter "kernel"/);
    assert.throws(() => trainer.gradientCheck(0, 'weight', 1.5), /element must be an integer/);
    assert.throws(() => trainer.stepSample(0), /no step taken yet/);
  } finally {
    trainer.delete();
  }
});

test('blow-up: adam at learning rate 10 stops, names its layer and suggests 1', () => {
  const trainer = lab.createTrainer({ architecture: lab.presetArchitecture('mlp'), epochs: 20, seed: 1, optimizer: 'adam', learningRate: 10 });
  try {
    let progress;
    do progress = trainer.train(100); while (!progress.done);
    assert.equal(progress.diverged, true, progress.message);
    assert.match(progress.divergedLayer, /^dense_\d$/);
    assert.equal(progress.suggestedLearningRate, 1);
    assert.equal(progress.divergedCause, 'loss_exploded');
    assert.ok(progress.divergedLoss > 1000 * Math.max(1, progress.divergedReferenceLoss), JSON.stringify(progress));
    assert.match(progress.message, /the loss exploded to \S+ \(the first batch's was \S+\)/);
    assert.match(progress.message, new RegExp(`(The gradients of ${progress.divergedLayer} blew up first|the largest growth was ${progress.divergedLayer}'s|the largest were ${progress.divergedLayer}'s)`));
  } finally {
    trainer.delete();
  }
});

test('a diverged run\'s data makes the engine\'s sentence word for word (the page says it in its language from them)', () => {
  const runs = [
    { architecture: lab.presetArchitecture('mlp'), optimizer: 'adam', learningRate: 10 },
    { architecture: lab.presetArchitecture('mlp'), optimizer: 'adam', learningRate: 3 },
    { architecture: lab.presetArchitecture('deep_mlp'), optimizer: 'momentum', learningRate: 3 },
    { architecture: lab.presetArchitecture('deep_mlp'), optimizer: 'sgd', learningRate: 10 },
  ];
  const forms = new Set();
  for (const options of runs) {
    const trainer = lab.createTrainer({ epochs: 30, seed: 3, ...options });
    try {
      let progress;
      do progress = trainer.train(500); while (!progress.done);
      assert.equal(progress.diverged, true, `${options.optimizer} at ${options.learningRate} did not diverge`);
      forms.add(progress.divergedRatio > 0 ? 'grew' : 'largest');
      const message = divergenceMessage(progress, options.learningRate, false);
      assert.equal(t(message.key, message.params, 'en'), progress.message);
      const zh = t(message.key, message.params, 'zh');
      assert.match(zh, /^训练在第 \d+ 轮第 \d+ 批发散：/);
      assert.doesNotMatch(zh, /[{}]|undefined/);
    } finally {
      trainer.delete();
    }
  }
  // Both ways of naming the layer: the one whose gradients grew most, and (on the second
  // batch, with nothing to grow from) the one whose gradients were largest.
  assert.deepEqual([...forms].sort(), ['grew', 'largest']);
});
