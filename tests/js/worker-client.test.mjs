// The page's worker client when the wasm module itself fails: a trap is told from an engine
// refusal, and a 'broken' worker is replaced by a fresh one, its pending requests rejected
// with a message saying so, and the page told {type: 'restarted'}. Runs on a stand-in Worker. A refusal of the worker itself (an i18n key) is translated here.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isEngineFailure } from '../../web/engine-failure.js';

const workers = [];
globalThis.Worker = class {
  constructor(url, options) {
    this.url = url;
    this.options = options;
    this.sent = [];
    this.terminated = false;
    workers.push(this);
  }
  postMessage(message) { this.sent.push(message); }
  terminate() { this.terminated = true; }
};
const { WorkerClient } = await import('../../web/worker-client.js');

test('engine failure: traps are failures, engine refusals are not', () => {
  assert.equal(isEngineFailure(new WebAssembly.RuntimeError('memory access out of bounds')), true);
  assert.equal(isEngineFailure(new Error('null function or function signature mismatch')), true);
  assert.equal(isEngineFailure(new Error('trainer: the model (input (64), 1 layers, 10 outputs) needs 2.0 GiB ...')), false);
  assert.equal(isEngineFailure(new Error('predict: expected 64 features per sample')), false);
});

test('worker client: a broken worker is replaced, its requests rejected, and the page told', async () => {
  const events = [];
  const client = new WorkerClient('worker.js', (event) => events.push(event));
  assert.equal(workers.length, 1);
  const first = workers[0];
  const pending = client.request('predict', { features: [] });
  first.onmessage({ data: { type: 'broken', message: 'memory access out of bounds' } });
  await assert.rejects(pending, { message: 'The engine failed (memory access out of bounds) and was restarted.' });
  assert.equal(first.terminated, true);
  assert.equal(workers.length, 2);
  assert.deepEqual([workers[1].url, workers[1].options], ['worker.js', { type: 'module' }]);
  assert.deepEqual(events, [{ type: 'restarted', message: 'memory access out of bounds' }]);
  // The new worker answers requests as the old one did.
  const next = client.request('init');
  const sent = workers[1].sent.at(-1);
  assert.equal(sent.type, 'init');
  workers[1].onmessage({ data: { type: 'result', id: sent.id, result: { count: 1797 } } });
  assert.deepEqual(await next, { count: 1797 });
});

test('worker client: a refusal of the worker\'s own arrives as its key, in the page\'s language', async () => {
  const { workerError } = await import('../../web/worker-client.js');
  const { setLanguage, t } = await import('../../web/i18n.js');
  setLanguage('zh', { remember: false });
  const err = workerError({ message: 'worker.ensembleLink', text: { key: 'worker.ensembleLink', params: { n: 3 } } });
  assert.equal(err.message, t('worker.ensembleLink', { n: 3 }, 'zh'));
  assert.match(err.message, /默认集成由 3 个模型组成/);
  assert.deepEqual(err.text, { key: 'worker.ensembleLink', params: { n: 3 } });
  setLanguage('en', { remember: false });
  assert.match(workerError({ message: 'x', text: { key: 'worker.noModel' } }).message, /^There is no trained model yet/);
  // An engine message (no key) is shown as it is.
  assert.equal(workerError({ message: 'layer 3 (conv2d): kernel 5 does not fit' }).message, 'layer 3 (conv2d): kernel 5 does not fit');
});

test('worker client: adopts a worker started early, once each, and a failed one refuses at once', async () => {
  const early = [new globalThis.Worker('worker.js', { type: 'module' }), new globalThis.Worker('worker.js', { type: 'module' })];
  early[0].startError = null;
  early[1].startError = 'SyntaxError: unexpected token';
  globalThis.digitlabStartedWorkers = [...early];
  const before = workers.length;
  const events = [];
  const adopted = new WorkerClient('worker.js', () => {});
  const failed = new WorkerClient('worker.js', (event) => events.push(event));
  const own = new WorkerClient('worker.js', () => {});
  // Asked before the early failure is told (that happens in a microtask).
  const waiting = failed.request('init');
  assert.equal(workers.length, before + 1, 'only the third client starts a worker of its own');
  assert.deepEqual(globalThis.digitlabStartedWorkers, []);
  // The adopted worker answers as one of its own would.
  const init = adopted.request('init');
  const sent = early[0].sent.at(-1);
  early[0].onmessage({ data: { type: 'result', id: sent.id, result: { count: 1797 } } });
  assert.deepEqual(await init, { count: 1797 });
  // The one that failed before it was adopted rejects what waits and what comes later,
  // posting nothing more to a worker that cannot answer.
  await assert.rejects(waiting, { message: 'The engine worker failed to start: SyntaxError: unexpected token' });
  await assert.rejects(failed.request('predict'), { message: 'The engine worker failed to start: SyntaxError: unexpected token' });
  assert.equal(early[1].sent.length, 1);
  assert.deepEqual(events, [{ type: 'failed', message: 'The engine worker failed to start: SyntaxError: unexpected token' }]);
  assert.equal(workers.at(-1), own.worker_);
  delete globalThis.digitlabStartedWorkers;
});
