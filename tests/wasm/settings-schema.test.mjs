// The settings schema through the bindings: the files made from it are current, native and
// wasm agree on it, createTrainer's defaults are its "defaults" profile, and every limit is
// enforced at the JS boundary with a message naming the option, the limit and the value.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { DTS, SCHEMA_MODULE, schemaModuleText, withTrainOptions } from '../../scripts/settings-schema-files.mjs';
import { errorMessage, loadModuleWithDigits, ROOT, runNative } from './helpers.mjs';

const { lab } = await loadModuleWithDigits();
const schema = lab.settingsSchema();
const MLP = lab.presetArchitecture('mlp');
const STALE = 'is stale: run node scripts/write-settings-schema.mjs';

test('schema: web/settings-schema.js and the TrainOptions of digitlab.d.ts are generated from the current schema', () => {
  assert.equal(readFileSync(path.join(ROOT, SCHEMA_MODULE), 'utf8'), schemaModuleText(schema), `${SCHEMA_MODULE} ${STALE}`);
  const dts = readFileSync(path.join(ROOT, DTS), 'utf8');
  assert.equal(dts, withTrainOptions(dts, schema), `${DTS} ${STALE}`);
  for (const f of schema.fields) assert.match(dts, new RegExp(`^  ${f.jsName}\\?: `, 'm'), `${DTS} lacks ${f.jsName}`);
});

test('schema: the native CLI and the wasm module report the same schema', () => {
  assert.deepEqual(JSON.parse(runNative(['--settings-schema'])), schema);
  assert.ok(Object.isFrozen(schema.fields[0]));
});

test('schema: createTrainer fills every option left out from the "defaults" profile', () => {
  const d = schema.profiles.defaults;
  const t = lab.createTrainer({ architecture: MLP });
  try {
    const p = t.progress();
    assert.equal(p.epochs, d.epochs);
    assert.equal(p.testTarget, Math.fround(d.testTarget));
    assert.equal(p.batchesPerEpoch, Math.ceil(1293 / d.batchSize));  // the 0.2 / 0.1 split of 1797 digits
    assert.equal(t.testLabels().length, 359);
    assert.equal(p.toPrepare, 0);  // no augmentation by default
  } finally {
    t.delete();
  }
  assert.match(errorMessage(() => lab.createTrainer({ architecture: MLP, learnigRate: 0.1 })),
    /createTrainer: unknown option "learnigRate" \(expected one of architecture, epochs, batchSize/);
});

test('schema: every limit is enforced at the JS boundary, naming the option, the limit and the value', () => {
  for (const f of schema.fields.filter((x) => x.max !== undefined)) {
    const above = f.maxOpen ? f.max : f.max * 2 + 1;
    const message = errorMessage(() => lab.createTrainer({ architecture: MLP, [f.jsName]: above }));
    assert.ok(message.startsWith(`createTrainer: ${f.jsName} `), message);
    assert.ok(message.includes(`it must be ${f.maxOpen ? 'below' : 'at most'} ${f.max}`), message);
    const below = f.minOpen ? f.min : f.min - 1;
    assert.match(errorMessage(() => lab.createTrainer({ architecture: MLP, [f.jsName]: below })),
      new RegExp(`^createTrainer: ${f.jsName} -?[\\d.]+ is invalid: it must be (above|at least) ${f.min}`));
  }
  for (const f of schema.fields.filter((x) => x.type === 'choice')) {
    assert.match(errorMessage(() => lab.createTrainer({ architecture: MLP, [f.jsName]: 'bogus' })),
      new RegExp(`${f.jsName} "bogus" is unknown: expected ${f.choices.slice(0, -1).join(', ')} or ${f.choices.at(-1)}`));
  }
  assert.match(errorMessage(() => lab.loadModel(new Uint8Array([1]), { testShare: 2 })), /loadModel: testShare 2 is invalid/);
});

test('schema: with testEveryEpoch the trainer reports the test accuracy of every epoch and when it reached the target', () => {
  const t = lab.createTrainer({ architecture: MLP, epochs: 3, seed: 3, learningRate: 0.01, testEveryEpoch: true,
    testTarget: 0.9 });
  try {
    let p = t.progress();
    while (!p.done) p = t.train(17);
    assert.equal(p.testAccuracies.length, 3);
    assert.equal(p.testAccuracies[2], t.evaluate().accuracy);
    assert.ok(p.targetReached, JSON.stringify(p.testAccuracies));
    assert.ok(p.testAccuracies[p.targetReached.epoch - 1] >= Math.fround(0.9));
    assert.ok(p.targetReached.seconds > 0 && p.targetReached.seconds <= p.trainSeconds);
  } finally {
    t.delete();
  }
});
