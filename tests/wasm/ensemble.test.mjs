// The wasm Ensemble (engine/ensemble.h through wasm/ensemble_handle.cpp): its predict is the
// mean of its members' predicts over the test-time variants, each member's top class comes
// with it, a bad model file or variant list throws and leaves it unchanged, and the page's
// default recipe is readable from the module.
import test from 'node:test';
import assert from 'node:assert/strict';
import { denseModelBytes, errorMessage, loadModuleWithDigits, QUICK_MLP } from './helpers.mjs';

const { lab } = await loadModuleWithDigits();

function trainedBytes(preset, seed) {
  const trainer = lab.createTrainer({ ...QUICK_MLP, seed, architecture: lab.presetArchitecture(preset) });
  while (!trainer.train(200).done);
  const bytes = trainer.save();
  trainer.delete();
  return bytes;
}

const MEMBERS = [trainedBytes('mlp', 1), trainedBytes('linear', 2), trainedBytes('cnn', 3)];
const testSet = lab.createEnsemble();
testSet.add(MEMBERS[0]);
const FEATURES = testSet.testFeatures().slice(0, 64 * 12);  // 12 test digits
testSet.delete();
const ROWS = FEATURES.length / 64;

function ensembleOf(members, variants) {
  const ensemble = lab.createEnsemble();
  if (variants) ensemble.setVariants(variants);
  for (const bytes of members) ensemble.add(bytes);
  return ensemble;
}

function assertClose(actual, expected, tolerance) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; ++i) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `value ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

function mean(arrays) {
  const out = new Float64Array(arrays[0].length);
  for (const a of arrays) a.forEach((v, i) => { out[i] += v / arrays.length; });
  return out;
}

function argmaxRows(probabilities) {
  return Array.from({ length: probabilities.length / 10 }, (_, row) => {
    const slice = Array.from(probabilities.subarray(row * 10, row * 10 + 10));
    return slice.indexOf(Math.max(...slice));
  });
}

test('ensemble: with the identity variant, predict is the mean of the members\' own predicts', () => {
  const ensemble = ensembleOf(MEMBERS);
  assert.equal(ensemble.size, 3);
  assert.equal(ensemble.variants(), 'identity');
  const models = MEMBERS.map((bytes) => lab.loadModel(bytes));
  const { probabilities, memberClasses } = ensemble.predict(FEATURES);
  const own = models.map((m) => m.predict(FEATURES));
  assertClose(probabilities, mean(own), 1e-6);
  const tops = own.map(argmaxRows);
  assert.deepEqual(Array.from(memberClasses), Array.from({ length: ROWS * 3 }, (_, i) => tops[i % 3][Math.floor(i / 3)]));
  models.forEach((m) => m.delete());
  ensemble.delete();
});

test('ensemble: over variants, predict is the mean of each member read over the same variants', () => {
  const variants = 'identity,left,right';
  const ensemble = ensembleOf(MEMBERS, variants);
  assert.equal(ensemble.variants(), variants);
  const singles = MEMBERS.map((bytes) => ensembleOf([bytes], variants));
  const own = singles.map((s) => s.predict(FEATURES).probabilities);
  const { probabilities, memberClasses } = ensemble.predict(FEATURES);
  assertClose(probabilities, mean(own), 1e-6);
  const tops = own.map(argmaxRows);
  assert.deepEqual(Array.from(memberClasses), Array.from({ length: ROWS * 3 }, (_, i) => tops[i % 3][Math.floor(i / 3)]));
  // The variants change the reading: a member over three variants is not the member alone.
  const alone = lab.loadModel(MEMBERS[0]);
  const plain = alone.predict(FEATURES);
  assert.ok(own[0].some((v, i) => Math.abs(v - plain[i]) > 1e-4));
  alone.delete();
  singles.forEach((s) => s.delete());
  ensemble.delete();
});

test('ensemble: a one-member ensemble with the identity variant is exactly that model', () => {
  const ensemble = ensembleOf([MEMBERS[2]]);
  const model = lab.loadModel(MEMBERS[2]);
  assert.deepEqual(Array.from(ensemble.predict(FEATURES).probabilities), Array.from(model.predict(FEATURES)));
  model.delete();
  ensemble.delete();
});

test('ensemble: bad model bytes give an Error and leave the ensemble unchanged', () => {
  const ensemble = ensembleOf(MEMBERS.slice(0, 2), 'identity,left');
  const before = ensemble.predict(FEATURES).probabilities;
  const corrupt = MEMBERS[0].slice();
  corrupt[corrupt.length - 10] ^= 0xff;
  assert.match(errorMessage(() => ensemble.add(corrupt)), /checksum|crc|corrupt/i);
  assert.match(errorMessage(() => ensemble.add(new Uint8Array(0))), /ensemble\.add: the model file is empty/);
  assert.match(errorMessage(() => ensemble.add(new Uint8Array([1, 2, 3]))), /model/i);
  // A valid file of a model that is not a digit reader (11 classes) is refused too.
  assert.match(errorMessage(() => ensemble.add(denseModelBytes(11, 0.01))), /10 outputs|classes|11/);
  assert.match(errorMessage(() => ensemble.setVariants('identity,sideways')), /sideways/);
  assert.match(errorMessage(() => ensemble.predict(new Float32Array(63))), /64 features per sample, got 63/);
  assert.equal(ensemble.size, 2);
  assert.equal(ensemble.variants(), 'identity,left');
  assert.deepEqual(Array.from(ensemble.predict(FEATURES).probabilities), Array.from(before));
  ensemble.delete();
  assert.match(errorMessage(() => ensemble.predict(FEATURES)), /deleted/);
});

test('ensemble: remove takes a member out; the rest read as an ensemble of them alone', () => {
  const ensemble = ensembleOf(MEMBERS, 'identity,left,right');
  ensemble.predict(FEATURES);  // the variants of these rows are kept: still right after a removal
  assert.equal(ensemble.remove(0), MEMBERS.length - 1);
  const rest = ensembleOf(MEMBERS.slice(1), 'identity,left,right');
  assert.deepEqual(ensemble.predict(FEATURES).probabilities, rest.predict(FEATURES).probabilities);
  assert.equal(errorMessage(() => ensemble.remove(MEMBERS.length - 1)),
    `ensemble: no member ${MEMBERS.length} to remove (it has ${MEMBERS.length - 1})`);
  assert.match(errorMessage(() => ensemble.remove(-1)), /ensemble\.remove: no member -1/);
  assert.match(errorMessage(() => ensemble.remove('0')), /ensemble\.remove: expected a member index/);
  assert.match(errorMessage(() => ensemble.remove(0.5)), /ensemble\.remove: expected a member index/);
  assert.equal(ensemble.size, MEMBERS.length - 1, 'refusals change nothing');
  ensemble.delete();
  rest.delete();
});

test('ensemble: an empty ensemble refuses to predict and names why', () => {
  const ensemble = lab.createEnsemble();
  assert.equal(ensemble.size, 0);
  assert.match(errorMessage(() => ensemble.predict(FEATURES)), /no members yet/);
  assert.match(errorMessage(() => ensemble.evaluate()), /no members yet/);
  ensemble.delete();
});

test('ensemble: evaluate scores the averaged reading on the test split of the given seed', () => {
  const ensemble = ensembleOf(MEMBERS, 'identity,left,right');
  const evaluation = ensemble.evaluate();
  const test = ensemble.testFeatures();
  const { probabilities } = ensemble.predict(test);
  const model = lab.loadModel(MEMBERS[0]);
  const labels = model.testLabels();  // the same split: default seed, shares
  const guesses = argmaxRows(probabilities);
  const correct = guesses.filter((g, i) => g === labels[i]).length;
  assert.equal(evaluation.accuracy, Math.fround(correct / labels.length));
  assert.equal(evaluation.confusion.flat().reduce((a, b) => a + b, 0), labels.length);
  model.delete();
  ensemble.delete();
  assert.match(errorMessage(() => lab.createEnsemble({ testShare: 2 })), /testShare 2 is invalid/);
});

test('ensemble: the test split\'s variants made a few digits a step score exactly as made at once', () => {
  const variants = 'identity,left,bolder,cw';
  const atOnce = ensembleOf(MEMBERS, variants);
  const expected = atOnce.evaluate();
  atOnce.delete();
  const steps = ensembleOf(MEMBERS, variants);
  const digits = steps.testFeatures().length / 64;
  let calls = 1;
  while (!steps.prepareTest(50)) calls += 1;
  assert.equal(calls, Math.ceil(digits / 50));
  assert.equal(steps.prepareTest(1), true);
  const got = steps.evaluate();
  assert.deepEqual(got.probabilities, expected.probabilities);
  assert.equal(got.accuracy, expected.accuracy);
  assert.match(errorMessage(() => steps.prepareTest(0)), /rows 0 is not a positive count/);
  assert.match(errorMessage(() => steps.prepareTest(2.5)), /expected a count of digits/);
  steps.delete();
});

test('ensemble: the default recipe comes from the engine: a quick mlp, an mlp and a cnn over seven variants', () => {
  const recipe = lab.defaultEnsemble();
  assert.deepEqual(recipe.members.map((m) => m.preset), ['mlp', 'mlp', 'cnn']);
  assert.equal(recipe.variants, 'identity,left,right,bolder,lighter,cw,ccw');
  // The two slow members distort the font digits too; the quick one takes them as they are.
  assert.deepEqual(recipe.members.map((m) => m.settings.fontDigitCopies), [0, 4, 2]);
  assert.deepEqual(recipe.members.map((m) => m.settings.augmentCopies), [0, 8, 6]);
  assert.deepEqual(recipe.members.map((m) => m.settings.epochs), [4, 10, 2]);
  assert.deepEqual(recipe.members.map((m) => m.settings.strokeDigits), [true, true, true]);
  // The quick one is a stand-in: it leaves once the other two have joined.
  assert.deepEqual(recipe.members.map((m) => m.standIn), [true, false, false]);
  const first = recipe.members[0].settings;
  assert.equal(first.augmentCopies, 0);
  assert.equal(first.epochs, 4);
  assert.equal(first.fontDigits, true);
  assert.equal(first.learningRate, lab.settingsSchema().profiles.page.learningRate);
});
