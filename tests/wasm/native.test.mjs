// wasm and the native build agree: the same model file gives the same probabilities to
// 1e-5 and the same test accuracy, in both directions (wasm --save -> native --load, and
// native --save -> wasm loadModel). Needs build/native/digitlab (scripts/build-native.sh):
// without it these tests fail, they are not skipped.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadModuleWithDigits, runNative } from './helpers.mjs';

const { lab } = await loadModuleWithDigits();
const dir = mkdtempSync(path.join(tmpdir(), 'digitlab-wasm-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const TOLERANCE = 1e-5;

// Features in [0, 1] are count / 16, so the CSV of counts is exact.
function writePixelCsv(file, features) {
  const rows = [];
  for (let i = 0; i < features.length; i += 64) {
    rows.push(Array.from(features.slice(i, i + 64), (v) => Math.round(v * 16)).join(','));
  }
  writeFileSync(file, rows.join('\n') + '\n');
}

function parseProbabilities(stdout) {
  const values = [];
  for (const line of stdout.trim().split('\n')) {
    const row = line.split(',').map(Number);
    assert.equal(row.length, 10, `native --predict printed a row of ${row.length} values: ${line}`);
    values.push(...row);
  }
  return values;
}

function assertClose(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: lengths differ`);
  let worst = 0;
  for (let i = 0; i < actual.length; ++i) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst <= TOLERANCE, `${what}: largest difference ${worst} > ${TOLERANCE}`);
  return worst;
}

// "test: loss 0.1234  accuracy 97.50% (...)" -> {loss, accuracy}
function parseTestLine(stdout) {
  const match = /test: loss ([\d.]+)\s+accuracy ([\d.]+)%/.exec(stdout);
  assert.ok(match, `no test line in the native output:\n${stdout}`);
  return { loss: Number(match[1]), accuracy: Number(match[2]) / 100 };
}

function trainInWasm(preset, epochs, seed) {
  const trainer = lab.createTrainer({ architecture: lab.presetArchitecture(preset), epochs, seed });
  let progress;
  do progress = trainer.train(100); while (!progress.done);
  return trainer;
}

for (const [preset, epochs] of [['mlp', 3], ['cnn', 1]]) {
  test(`native: a ${preset} trained and saved in wasm predicts the same natively`, () => {
    const seed = 21;
    const trainer = trainInWasm(preset, epochs, seed);
    try {
      const modelFile = path.join(dir, `wasm-${preset}.dlm`);
      const csvFile = path.join(dir, `wasm-${preset}.csv`);
      writeFileSync(modelFile, trainer.save());
      const features = trainer.testFeatures();
      writePixelCsv(csvFile, features);
      const native = parseProbabilities(runNative(['--load', modelFile, '--predict', csvFile]));
      const worst = assertClose(Array.from(trainer.predict(features)), native, `${preset} probabilities`);
      console.log(`# ${preset}: ${features.length / 64} test digits, largest wasm/native difference ${worst.toExponential(2)}`);

      // The native evaluation of the wasm file on the same seeded test split.
      const nativeTest = parseTestLine(runNative(['--load', modelFile, '--seed', String(seed), '--quiet']));
      const wasmTest = trainer.evaluate();
      assert.ok(Math.abs(nativeTest.accuracy - wasmTest.accuracy) <= 0.00005 + 1e-9,
                `accuracy: native ${nativeTest.accuracy}, wasm ${wasmTest.accuracy}`);
      assert.ok(Math.abs(nativeTest.loss - wasmTest.loss) <= 1e-4, `loss: native ${nativeTest.loss}, wasm ${wasmTest.loss}`);
    } finally {
      trainer.delete();
    }
  });
}

test('native: a model trained and saved natively loads in wasm and predicts the same', () => {
  const seed = 5;
  const modelFile = path.join(dir, 'native-mlp.dlm');
  const nativeTest = parseTestLine(runNative(['--model', 'mlp', '--epochs', '2', '--seed', String(seed),
                                              '--quiet', '--save', modelFile]));
  const model = lab.loadModel(new Uint8Array(readFileSync(modelFile)), { seed });
  try {
    const evaluation = model.evaluate();
    assert.ok(Math.abs(nativeTest.accuracy - evaluation.accuracy) <= 0.00005 + 1e-9,
              `accuracy: native ${nativeTest.accuracy}, wasm ${evaluation.accuracy}`);
    assert.ok(evaluation.accuracy > 0.8, `a 2-epoch mlp should do better than ${evaluation.accuracy}`);

    // Probabilities on a few hand-made rows and on real digits.
    const probe = lab.createTrainer({ architecture: lab.presetArchitecture('linear'), epochs: 1, seed });
    const features = probe.testFeatures().slice(0, 64 * 50);
    probe.delete();
    const ramp = Float32Array.from({ length: 64 * 2 }, (_, i) => ((i * 5) % 17) / 16);
    const all = new Float32Array(features.length + ramp.length);
    all.set(features);
    all.set(ramp, features.length);
    const csvFile = path.join(dir, 'native-mlp.csv');
    writePixelCsv(csvFile, all);
    const native = parseProbabilities(runNative(['--load', modelFile, '--predict', csvFile]));
    assertClose(Array.from(model.predict(all)), native, 'native-saved mlp probabilities');
    // Saving again in wasm gives a file the native side reads the same way.
    assert.deepEqual(model.save(), new Uint8Array(readFileSync(modelFile)));
  } finally {
    model.delete();
  }
});
