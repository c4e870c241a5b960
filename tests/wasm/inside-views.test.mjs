// The inside views' bindings (wasm/inside_views.cpp): preprocessStages gives typed-array
// images whose last is preprocess's 8x8 exactly; occlusion maps and confidence curves come
// alike from a model and from a one-member ensemble of it; an ensemble member's trace is the
// loaded model's; a trainer with testEveryEpoch carries each epoch's test evaluation.
import test from 'node:test';
import assert from 'node:assert/strict';
import { errorMessage, loadModuleWithDigits, QUICK_MLP } from './helpers.mjs';

const { lab } = await loadModuleWithDigits();

// A drawn-looking "1": a thick vertical bar on a 200x200 RGBA canvas, dark on transparent.
function barDrawing() {
  const w = 200, h = 200, rgba = new Uint8ClampedArray(w * h * 4);
  for (let y = 30; y < 170; y++) {
    for (let x = 90; x < 108; x++) rgba.set([0, 0, 0, 255], (y * w + x) * 4);
  }
  return { rgba, w, h };
}

const trainer = lab.createTrainer({ ...QUICK_MLP, epochs: 2, testEveryEpoch: true, architecture: lab.presetArchitecture('cnn') });

test('a trainer with testEveryEpoch carries each epoch\'s test evaluation with every digit\'s probabilities', () => {
  assert.equal(trainer.epochEvaluation(), null);
  let progress;
  const seen = [];
  do {
    progress = trainer.train(5);
    const e = trainer.epochEvaluation();
    if (e && seen.at(-1) !== e.epoch) seen.push(e.epoch);
  } while (!progress.done);
  assert.deepEqual(seen, [1, 2]);
  const e = trainer.epochEvaluation();
  const n = trainer.testLabels().length;
  assert.ok(e.probabilities instanceof Float32Array && e.probabilities.length === n * 10);
  assert.ok(e.predicted instanceof Int32Array && e.predicted.length === n);
  assert.deepEqual(Array.from(e.labels), Array.from(trainer.testLabels()));
  assert.equal(e.accuracy, progress.testAccuracies.at(-1));
  assert.equal(e.confusion.flat().reduce((a, b) => a + b, 0), n);
  const final = trainer.evaluate();
  assert.deepEqual(final.confusion, e.confusion);
  assert.deepEqual(Array.from(final.predicted), Array.from(e.predicted));
});

test('preprocessStages: each step a Float32Array image, the last exactly preprocess\'s features', () => {
  const { rgba, w, h } = barDrawing();
  const traced = lab.preprocessStages(rgba, w, h);
  const plain = lab.preprocess(rgba, w, h);
  assert.equal(traced.blank, false);
  assert.deepEqual(Array.from(traced.features), Array.from(plain.features));
  assert.deepEqual(traced.stages.map((s) => s.name), ['ink', 'crop', 'deskewed', 'thickness', 'box', 'blocks']);
  for (const s of traced.stages) {
    assert.ok(s.pixels instanceof Float32Array);
    assert.equal(s.pixels.length, s.width * s.height);
  }
  assert.deepEqual(Array.from(traced.stages.at(-1).pixels), Array.from(plain.features));
  assert.deepEqual(traced.inkBox, { x0: 90, y0: 30, x1: 107, y1: 169 });
  assert.ok(traced.naive instanceof Float32Array && traced.naive.length === 64);
  // The bar covers 18 x 140 of 40,000 pixels: the naive 8x8 holds exactly that much ink.
  const total = traced.naive.reduce((a, b) => a + b, 0) / 64;
  assert.ok(Math.abs(total - (18 * 140) / 40000) < 1e-5, `mean ink ${total}`);
  const blank = lab.preprocessStages(new Uint8Array(100), 10, 10);
  assert.equal(blank.blank, true);
  assert.equal(blank.inkBox, null);
  assert.deepEqual(blank.stages.map((s) => s.name), ['ink']);
  assert.match(errorMessage(() => lab.preprocessStages(new Uint8Array(7), 10, 10)), /preprocessStages: 10 x 10 pixels need/);
});

test('occlusion and confidence curves: a model and its one-member ensemble agree; bad input throws', () => {
  const bytes = trainer.save();
  const model = lab.loadModel(bytes);
  const ensemble = lab.createEnsemble();
  ensemble.add(bytes);
  const features = model.testFeatures().slice(0, 64);
  const a = model.occlusion(features);
  const b = ensemble.occlusion(features);
  assert.ok(a.drop instanceof Float32Array && a.drop.length === 64);
  assert.equal(a.topClass, b.topClass);
  assert.deepEqual(Array.from(a.drop), Array.from(b.drop));
  const probabilities = model.predict(features);
  assert.ok(Math.abs(a.topProbability - Math.max(...probabilities)) < 1e-6);
  features.forEach((f, i) => { if (f === 0) assert.equal(a.drop[i], 0); });
  const curves = model.confidenceCurves(features);
  assert.deepEqual(curves.curves.map((c) => c.name), ['shift_x', 'shift_y', 'rotate', 'thickness']);
  for (const c of curves.curves) {
    assert.ok(c.steps instanceof Float32Array && c.confidence.length === c.steps.length && c.predicted instanceof Int32Array);
  }
  assert.deepEqual(Array.from(ensemble.confidenceCurves(features).curves[2].confidence), Array.from(curves.curves[2].confidence));
  // The member's trace is the model's own.
  const own = model.traceForward(features);
  const member = ensemble.traceForward(features, 0);
  assert.deepEqual(member.map((l) => l.name), own.map((l) => l.name));
  assert.deepEqual(Array.from(member.at(-1).values), Array.from(own.at(-1).values));
  assert.match(errorMessage(() => ensemble.traceForward(features, 1)), /member 1 is not in the ensemble of 1/);
  assert.match(errorMessage(() => model.occlusion(new Float32Array(63))), /expected the 64 features of one digit, got 63/);
  assert.match(errorMessage(() => model.occlusion(new Float32Array(64).fill(NaN))), /not finite/);
  const empty = lab.createEnsemble();
  assert.match(errorMessage(() => empty.occlusion(features)), /no members yet/);
  empty.delete();
  ensemble.delete();
  model.delete();
});
