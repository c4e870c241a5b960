// The page's default-ensemble scheduler (web/default-ensemble.js) with fake workers: the
// predictor takes members from the front, the other worker (once the first member is done)
// from the back, each takes the next when one finishes, a member counts once it has joined, failures are named, stop()
// ends it, and restored members are not trained again.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DefaultEnsemble } from '../../web/default-ensemble.js';
import { SETTINGS_SCHEMA } from '../../web/settings-schema.js';

// A four-member recipe of the schema's shape (the scheduler's cases are about order, not
// about the product's recipe, which has its own tests).
const BASE = SETTINGS_SCHEMA.defaultEnsemble.members[0].settings;
const RECIPE = {
  members: ['mlp', 'mlp', 'deep_mlp', 'cnn'].map((preset, i) => ({ preset, settings: { ...BASE, epochs: 2 + i } })),
  variants: SETTINGS_SCHEMA.defaultEnsemble.variants,
};

// A WorkerClient stand-in: records requests; 'train' answers with a fresh run id.
function fakeClient(name, firstRun = 1) {
  const client = {
    name, trained: [], nextRun: firstRun,
    async request(type, payload) {
      if (type === 'train') {
        // The worker builds the preset's architecture: one request a member.
        assert.equal(payload.options.architecture, null);
        assert.equal(typeof payload.preset.dropout, 'number');
        client.trained.push(payload.preset.name);
        assert.equal(payload.member, true);
        return { run: client.nextRun++ };
      }
      throw new Error(`unexpected request ${type}`);
    },
  };
  return client;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(onMember = async () => {}) {
  const predictor = fakeClient('predictor');
  const trainer = fakeClient('trainer', 5);  // run ids are per worker
  const joined = [];
  let changes = 0;
  const ensemble = new DefaultEnsemble({
    recipe: RECIPE, predictor, trainer,
    onMember: async (index, bytes) => { joined.push([index, bytes[0]]); await onMember(index); },
    onChange: () => { changes += 1; },
  });
  return { ensemble, predictor, trainer, joined, changes: () => changes };
}

test('default ensemble: the predictor trains from the front, then the other worker from the back', async () => {
  const { ensemble, predictor, trainer, joined } = setup();
  ensemble.start();
  await settle();
  assert.deepEqual(predictor.trained, ['mlp']);  // member 1, the fast one, alone
  assert.deepEqual(trainer.trained, []);
  assert.deepEqual(ensemble.status().training.map((job) => job.index), [0]);
  // A progress event of the running member updates the status; other runs are not ours.
  assert.equal(ensemble.onEvent({ type: 'progress', run: 1, progress: { epoch: 2, epochs: 6, prepared: 9, toPrepare: 9 } }, predictor), true);
  assert.deepEqual(ensemble.status().training[0], { index: 0, preset: 'mlp', epoch: 2, epochs: 6, preparing: false });
  assert.equal(ensemble.onEvent({ type: 'progress', run: 7, progress: {} }, predictor), false);
  assert.equal(ensemble.onEvent({ type: 'member', run: 1, bytes: new Uint8Array([9]) }, trainer), false, 'the predictor\'s run id, but from the other worker');

  ensemble.onEvent({ type: 'member', run: 1, bytes: new Uint8Array([11]) }, predictor);
  await settle();
  assert.deepEqual(joined, [[0, 11]]);
  assert.equal(ensemble.status().ready, 1);
  assert.deepEqual(predictor.trained, ['mlp', 'mlp']);  // then member 2
  assert.deepEqual(trainer.trained, ['cnn']);           // and member 4, the slowest, beside it
  assert.deepEqual(ensemble.status().training.map((job) => job.index), [1, 3]);
  ensemble.onEvent({ type: 'member', run: 2, bytes: new Uint8Array([12]) }, predictor);
  await settle();
  assert.deepEqual(predictor.trained, ['mlp', 'mlp', 'deep_mlp']);  // member 3: the last one left
  assert.equal(ensemble.complete, false);
  ensemble.onEvent({ type: 'member', run: 5, bytes: new Uint8Array([14]) }, trainer);
  ensemble.onEvent({ type: 'member', run: 3, bytes: new Uint8Array([13]) }, predictor);
  await settle();
  assert.deepEqual(trainer.trained, ['cnn'], 'nothing was left for the other worker');
  assert.deepEqual(joined.map(([index]) => index), [0, 1, 3, 2]);
  assert.equal(ensemble.status().ready, 4);
  assert.deepEqual(ensemble.status().training, []);
  assert.equal(ensemble.complete, true);
});

test('default ensemble: a member is ready only once it joined; one that cannot join or train is named', async () => {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const { ensemble, predictor, trainer } = setup(async (index) => {
    if (index === 0) await gate;
    if (index === 3) throw new Error('bad bytes');
  });
  ensemble.start();
  await settle();
  ensemble.onEvent({ type: 'member', run: 1, bytes: new Uint8Array([1]) }, predictor);
  await settle();
  assert.equal(ensemble.status().ready, 0, 'not ready before it joined');
  release();
  await settle();
  assert.equal(ensemble.status().ready, 1);
  ensemble.onEvent({ type: 'member', run: 5, bytes: new Uint8Array([4]) }, trainer);
  ensemble.onEvent({ type: 'failed', run: 2, message: 'the loss diverged' }, predictor);
  await settle();
  assert.deepEqual(ensemble.status().failed, ['model 2 (mlp): the loss diverged', 'model 4 could not join: bad bytes']);
  assert.deepEqual(trainer.trained, ['cnn', 'deep_mlp']);  // the trainer took the last one
  ensemble.onEvent({ type: 'member', run: 6, bytes: new Uint8Array([3]) }, trainer);
  await settle();
  assert.equal(ensemble.status().ready, 2);
  assert.equal(ensemble.complete, true, 'every member trained or failed');
});

test('default ensemble: stop() ends it, and restored members are not trained again', async () => {
  const { ensemble, predictor, trainer } = setup();
  ensemble.start();
  await settle();
  ensemble.stop();
  assert.equal(ensemble.stopped, true);
  assert.equal(ensemble.onEvent({ type: 'member', run: 1, bytes: new Uint8Array([1]) }, predictor), false);
  await settle();
  assert.deepEqual(predictor.trained, ['mlp']);
  assert.deepEqual(trainer.trained, []);
  assert.equal(ensemble.status().ready, 0);

  const again = setup();
  again.ensemble.start([0, 3]);  // the first is back: both workers start at once
  await settle();
  assert.deepEqual(again.predictor.trained, ['mlp']);     // member 2
  assert.deepEqual(again.trainer.trained, ['deep_mlp']);  // member 3
  assert.equal(again.ensemble.status().ready, 2);
  const full = setup();
  full.ensemble.start([0, 1, 2, 3]);
  await settle();
  assert.deepEqual([...full.predictor.trained, ...full.trainer.trained], []);
  assert.equal(full.ensemble.complete, true);
});

test('default ensemble: a stand-in is not trained again when every member that stays is restored', async () => {
  const members = [{ preset: 'mlp', settings: { ...BASE, epochs: 2 }, standIn: true },
    { preset: 'mlp', settings: { ...BASE, epochs: 3 } }, { preset: 'cnn', settings: { ...BASE, epochs: 4 } }];
  const make = () => {
    const predictor = fakeClient('predictor');
    const trainer = fakeClient('trainer', 5);
    const ensemble = new DefaultEnsemble({ recipe: { ...RECIPE, members }, predictor, trainer, onMember: async () => {}, onChange: () => {} });
    return { ensemble, predictor, trainer };
  };
  const whole = make();
  assert.equal(whole.ensemble.total, 3);
  assert.equal(whole.ensemble.staying, 2);
  assert.deepEqual([0, 1, 2].map((i) => whole.ensemble.isStandIn(i)), [true, false, false]);
  whole.ensemble.start([1, 2]);  // stored without the stand-in, which had left
  await settle();
  assert.deepEqual([...whole.predictor.trained, ...whole.trainer.trained], []);
  assert.equal(whole.ensemble.complete, true);

  const part = make();
  part.ensemble.start([2]);  // one that stays is missing: the stand-in reads until it joins
  await settle();
  assert.deepEqual(part.predictor.trained, ['mlp']);  // the stand-in, first, alone
  assert.deepEqual(part.trainer.trained, []);
  part.ensemble.onEvent({ type: 'member', run: 1, bytes: new Uint8Array([1]) }, part.predictor);
  await settle();
  assert.deepEqual(part.predictor.trained, ['mlp', 'mlp']);  // the missing member
  assert.equal(part.ensemble.complete, false);
});

test('default ensemble: stopped before it started (a run took over while members were restored), it trains nothing', async () => {
  const { ensemble, predictor, trainer } = setup();
  ensemble.stop();
  ensemble.start([0]);
  await settle();
  assert.deepEqual([...predictor.trained, ...trainer.trained], []);
  assert.equal(ensemble.stopped, true);
  assert.equal(ensemble.status().ready, 1, 'the restored member still counts');
});
