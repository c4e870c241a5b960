// The engine worker (type: 'module'): a thin adapter over the engine's Experiment (split,
// font digits, augmentation, per-epoch test accuracy and time to the target all happen in
// the engine). Owns its own wasm module, the model being trained and what predictions use:
// an ensemble (engine/ensemble.h) of model files sent to it, or a single model. Trains in
// time-boxed slices and yields between them, so predictions, pause and reset are answered
// while a network trains. The page runs two: one answers predictions (and trains default
// ensemble members between them), the other trains members and the user's runs.
// Protocol: requests {type, id, payload} -> {type: 'result', id, result} or
// {type: 'error', id, message}; events {type: 'progress' | 'trained' | 'diverged' | 'failed'
// | 'member' (a run started with {member: true} finished: its model file, not kept here)},
// and {type: 'broken', message} when the wasm module itself failed (the page replaces the worker).
import { loadDigitlab } from './digitlab.js';
import { assetUrl } from './asset-urls.js';
import { isEngineFailure } from './engine-failure.js';

const DIGITS_URL = new URL(assetUrl('generated/digits.bin'));
const FONT_DIGITS_URL = new URL(assetUrl('generated/font-digits.bin'));
const SLICE_MS = 40;            // aim for slices this long, so a pause answers quickly
const WEIGHTS_EVERY_MS = 400;   // live first-layer weights during training

let enginePromise = null;       // started once, lazily
let dl = null;
let trainer = null;             // the run in progress (or paused)
let model = null;               // the last trained/loaded model, used for predictions
let ensemble = null;            // when set (with members), predictions use it instead
let memberRun = false;          // the run in progress is an ensemble member for the page
let running = false;
let runToken = 0;               // invalidates a scheduled slice after pause/reset/start
let batchesPerSlice = 4;
let lastWeightsAt = 0;
let runId = 0;                  // numbers runs, so the page can drop a replaced run's events

function startEngine() {
  enginePromise ??= (async () => {
    const [engine, response, fonts] = await Promise.all([loadDigitlab(), fetch(DIGITS_URL), fetch(FONT_DIGITS_URL)]);
    if (!response.ok) throw new Error(`Could not load the digits (generated/digits.bin: HTTP ${response.status}).`);
    if (!fonts.ok) throw new Error(`Could not load the font digits (generated/font-digits.bin: HTTP ${fonts.status}).`);
    const count = engine.loadDigits(new Uint8Array(await response.arrayBuffer()));
    engine.loadFontDigits(new Uint8Array(await fonts.arrayBuffer()));
    dl = engine;
    return count;
  })();
  return enginePromise;
}

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

// ---- requests ----------------------------------------------------------------------

const handlers = {
  async init() {
    const count = await startEngine();
    const presets = dl.presets();
    return { count, presets };
  },

  // { preset, dropout } or { text } -> { text, summary }; throws the engine's shape error.
  async architecture({ preset, dropout = 0, text }) {
    await startEngine();
    const arch = preset && preset !== 'custom' ? dl.presetArchitecture(preset, dropout) : text;
    return { text: arch, summary: dl.checkArchitecture(arch) };
  },

  // member: the finished model goes back to the page ('member' event) instead of being used here.
  async train({ options, member = false }) {
    await startEngine();
    stopRun();
    trainer = dl.createTrainer(options);
    memberRun = member;
    runId += 1;
    running = true;
    batchesPerSlice = 4;
    lastWeightsAt = 0;
    schedule();
    return { run: runId, summary: trainer.summary() };
  },

  pause() {
    running = false;
    runToken += 1;
    return { paused: Boolean(trainer) };
  },

  resume() {
    if (!trainer || running) return { running };
    running = true;
    schedule();
    return { running: true };
  },

  reset() {
    stopRun();
    return {};
  },

  async predict({ pixels, width, height }) {
    await startEngine();
    const pre = dl.preprocess(pixels, width, height);
    if (ensemble?.size > 0 && !pre.blank) {
      const { probabilities, memberClasses } = ensemble.predict(pre.features);
      return { blank: false, features: pre.features, probabilities, memberClasses, models: ensemble.size };
    }
    const live = model ?? (memberRun ? null : trainer);
    if (pre.blank || !live) return { blank: pre.blank, features: pre.features, probabilities: null, models: 0 };
    const probabilities = live.predict(pre.features);
    return { blank: false, features: pre.features, probabilities, live: !model, models: 1 };
  },

  // A new, empty ensemble for predictions (read over `variants`, scored on the split of `seed`).
  async ensembleReset({ variants, seed }) {
    await startEngine();
    const next = dl.createEnsemble({ seed });
    try {
      next.setVariants(variants);
    } catch (err) {
      next.delete();
      throw err;
    }
    ensemble?.delete();
    ensemble = next;
    return { size: 0 };
  },

  // A model file joins the ensemble; -> the ensemble's size and its test metrics so far.
  async ensembleAdd({ bytes }) {
    if (!ensemble) throw new Error('ensembleAdd: no ensemble (ensembleReset first)');
    ensemble.add(bytes);
    return describeEnsemble(ensemble);
  },

  // An uploaded model file (or the one stored by the page): becomes the model in use.
  // seed: of the split to score it on (the engine's defaults fill the rest).
  async loadModel({ bytes, seed }) {
    await startEngine();
    const loaded = dl.loadModel(bytes, { seed });
    let report;
    try {
      report = describeModel(loaded);
    } catch (err) {
      loaded.delete();
      throw err;
    }
    replaceModel(loaded);
    ensemble?.delete();  // a single model replaces the ensemble
    ensemble = null;
    return report;
  },

  // The model in use as a link (engine/model_share.h). The model in use becomes the link's
  // own (8-bit weights, dequantised), so this page predicts exactly what a receiver will.
  async shareModel({ seed }) {
    if (ensemble) {
      throw new Error(`The default ensemble is ${ensemble.size} models and a link carries one: train your own model (or upload one) to share it.`);
    }
    if (!model) throw new Error('There is no trained model yet: train one or upload a model file.');
    const link = dl.shareModel(model.save());
    const report = await handlers.loadModel({ bytes: link.bytes, seed });
    return { ...link, report };
  },

  // A link's text (after "#model="): its model becomes the model in use; a bad link throws
  // and changes nothing here.
  async openModelLink({ text, seed }) {
    await startEngine();
    const link = dl.openModelLink(text);
    const report = await handlers.loadModel({ bytes: link.bytes, seed });
    return { ...link, report };
  },

  async saveModel() {
    if (ensemble) {
      throw new Error(`The default ensemble is ${ensemble.size} models and a model file holds one: train your own model to download it.`);
    }
    if (!model) throw new Error('There is no trained model yet: train one or upload a model file.');
    return { bytes: model.save() };
  },
};

self.onmessage = async (event) => {
  const { type, id, payload } = event.data;
  const handler = handlers[type];
  try {
    if (!handler) throw new Error(`unknown request "${type}"`);
    const result = await handler(payload ?? {});
    post({ type: 'result', id, result }, transferables(result));
  } catch (err) {
    if (isEngineFailure(err)) return broken(err);
    post({ type: 'error', id, message: err?.message ?? String(err) });
  }
};

// The module trapped: its heap can no longer be trusted, so nothing more is answered here.
function broken(err) {
  stopRun();
  post({ type: 'broken', message: err?.message ?? String(err) });
}

// ---- training slices ------------------------------------------------------------------

function schedule() {
  const token = ++runToken;
  setTimeout(() => runSlice(token), 0);
}

function runSlice(token) {
  if (token !== runToken || !running || !trainer) return;
  let progress;
  try {
    const started = performance.now();
    progress = trainer.train(batchesPerSlice);
    const elapsed = Math.max(0.5, performance.now() - started);
    // Keep slices near SLICE_MS whatever the model's speed, changing by at most 2x per slice.
    const scale = Math.min(2, Math.max(0.5, SLICE_MS / elapsed));
    batchesPerSlice = Math.max(1, Math.min(2000, Math.round(batchesPerSlice * scale)));
  } catch (err) {
    if (isEngineFailure(err)) return broken(err);
    const message = err?.message ?? String(err);
    stopRun();
    post({ type: 'failed', run: runId, message });
    return;
  }
  const test = testOf(progress);
  const now = performance.now();
  let weights = null;
  if (!memberRun && (now - lastWeightsAt > WEIGHTS_EVERY_MS || progress.done)) {
    lastWeightsAt = now;
    weights = safeWeights(trainer);
  }
  post({ type: 'progress', run: runId, progress, weights, test }, transferables({ weights }));
  if (progress.done) finishRun(progress);
  else setTimeout(() => runSlice(token), 0);
}

function finishRun(progress) {
  const finished = trainer;
  trainer = null;
  running = false;
  runToken += 1;
  if (memberRun) return finishMember(finished, progress);
  if (progress.diverged && progress.history.length === 0) {
    // Nothing good came out of this run: keep the model we had.
    finished.delete();
    post({ type: 'diverged', run: runId, message: progress.message, kept: Boolean(model) });
    return;
  }
  let report;
  try {
    report = describeModel(finished);
    report.bytes = finished.save();
  } catch (err) {
    finished.delete();
    post({ type: 'failed', run: runId, message: err?.message ?? String(err) });
    return;
  }
  replaceModel(finished);
  report.progress = progress;
  report.test = testOf(progress);
  post({ type: progress.diverged ? 'diverged' : 'trained', run: runId, message: progress.message, kept: true, ...report },
    transferables(report));
}

// A default ensemble member is done: its model file goes to the page (which sends it to the
// predicting worker's ensemble); this worker keeps nothing of it.
function finishMember(finished, progress) {
  let bytes;
  try {
    bytes = finished.save();
  } catch (err) {
    post({ type: 'failed', run: runId, message: err?.message ?? String(err) });
    return;
  } finally {
    finished.delete();
  }
  post({ type: progress.diverged ? 'failed' : 'member', run: runId, message: progress.message, bytes, progress },
    transferables({ bytes }));
}

function stopRun() {
  running = false;
  runToken += 1;
  if (trainer && trainer !== model) trainer.delete();
  trainer = null;
}

function replaceModel(next) {
  if (model && model !== next) model.delete();
  model = next;
}

// The engine's per-epoch test accuracies, in the shape the page shows them.
function testOf(progress) {
  return { target: progress.testTarget, accuracies: progress.testAccuracies, reached: progress.targetReached };
}

// Test metrics, the misclassified test digits as images, the first layer's weights.
function describeModel(m) {
  const evaluation = m.evaluate();
  return { evaluation, misclassifiedImages: misclassifiedImages(evaluation, m.testFeatures()), weights: safeWeights(m), summary: m.summary() };
}

// The ensemble's test metrics and the misclassified test digits as images.
function describeEnsemble(e) {
  const evaluation = e.evaluate();
  return { size: e.size, evaluation, misclassifiedImages: misclassifiedImages(evaluation, e.testFeatures()) };
}

// The test digits an evaluation got wrong, as 64 features each, in its order.
function misclassifiedImages(evaluation, features) {
  const wrong = evaluation.misclassified;
  const images = new Float32Array(wrong.length * 64);
  wrong.forEach((item, i) => images.set(features.subarray(item.index * 64, item.index * 64 + 64), i * 64));
  return images;
}

function safeWeights(m) {
  try {
    return m.firstWeights();
  } catch {
    return null;  // e.g. a model without dense/conv2d layers
  }
}

// Buffers to move instead of copy: only arrays that own their whole buffer, so a view
// into the wasm heap is never detached.
function transferables(result) {
  const list = [];
  if (!result || typeof result !== 'object') return list;
  const arrays = ['bytes', 'probabilities', 'features', 'misclassifiedImages'].map((key) => result[key]);
  arrays.push(result.weights?.weight);
  for (const value of arrays) {
    const owns = ArrayBuffer.isView(value) && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
    if (owns && value.buffer instanceof ArrayBuffer && !list.includes(value.buffer)) list.push(value.buffer);
  }
  return list;
}
