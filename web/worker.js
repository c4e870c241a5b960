// The engine worker (type: 'module'): a thin adapter over the engine's Experiment (split,
// font digits, augmentation, per-epoch test accuracy and time to the target all happen in
// the engine). Owns its own wasm module, the model being trained and what predictions use:
// an ensemble (engine/ensemble.h) of model files sent to it, or a single model. Trains in
// time-boxed slices and yields between them, so predictions, pause and reset are answered
// while a network trains. The page runs two: one answers predictions (and trains default
// ensemble members between them), the other trains members and the user's runs.
// Protocol: requests {type, id, payload} -> {type: 'result', id, result} or
// {type: 'error', id, message, text?: {key, params} (a refusal of the worker's own, for the
// page to translate)}; events {type: 'progress' | 'trained' | 'diverged' | 'failed'
// | 'member' (a run started with {member: true} finished: its model file, not kept here)},
// and {type: 'broken', message} when the wasm module itself failed (the page replaces the worker).
import { loadDigitlab } from './digitlab.js';
import { assetUrl } from './asset-urls.js';
import { isEngineFailure } from './engine-failure.js';

const DIGITS_URL = new URL(assetUrl('generated/digits.bin'));
const FONT_DIGITS_URL = new URL(assetUrl('generated/font-digits.bin'));
const STROKE_DIGITS_URL = new URL(assetUrl('generated/stroke-digits.bin'));
const SLICE_MS = 40;            // aim for slices this long, so a pause answers quickly
const WEIGHTS_EVERY_MS = 400;   // live first-layer weights during training
const TEST_DIGITS_PER_STEP = 12;  // ensembleReport: ~1.5 ms a digit in the seven variants

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
    const [engine, response, fonts, strokes] = await Promise.all(
      [loadDigitlab(), fetch(DIGITS_URL), fetch(FONT_DIGITS_URL), fetch(STROKE_DIGITS_URL)]);
    if (!response.ok) throw pageError('worker.digitsFailed', { file: 'generated/digits.bin', status: response.status });
    if (!fonts.ok) throw pageError('worker.digitsFailed', { file: 'generated/font-digits.bin', status: fonts.status });
    if (!strokes.ok) throw pageError('worker.digitsFailed', { file: 'generated/stroke-digits.bin', status: strokes.status });
    const count = engine.loadDigits(new Uint8Array(await response.arrayBuffer()));
    engine.loadFontDigits(new Uint8Array(await fonts.arrayBuffer()));
    engine.loadStrokeDigits(new Uint8Array(await strokes.arrayBuffer()));
    dl = engine;
    return count;
  })();
  return enginePromise;
}
// Loading starts as soon as this worker runs, not at the page's first request: the page
// starts its workers before its own modules have loaded (engine-start.js).
startEngine().catch(() => {});  // a failure is the answer to the first request

// A refusal the page shows in its own language: a key of web/i18n/ with its parameters
// (the worker holds no dictionary; worker-client.js translates it when it arrives).
function pageError(key, params = {}) {
  const err = new Error(key);
  err.text = { key, params };
  return err;
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
  // preset: {name, dropout} when options has no architecture (a default ensemble member: one
  // request, not two, before it trains).
  async train({ options, member = false, preset }) {
    await startEngine();
    if (preset) options = { ...options, architecture: dl.presetArchitecture(preset.name, preset.dropout ?? 0) };
    stopRun();
    trainer = dl.createTrainer(options);
    memberRun = member;
    runId += 1;
    running = true;
    batchesPerSlice = 4;
    lastWeightsAt = 0;
    errorsEpoch = 0;
    schedule();
    return { run: runId, summary: trainer.summary() };
  },

  // The lesson widgets (engine/lesson.h, loss_comparison.h): { op: 'neuron' | 'activation' | 'loss' | 'layer'
  // | 'lossComparison' | 'loopVersusBatch', args }
  // -> what the engine computed; { op: 'digits', count } -> the first test digits (count x 64).
  async lesson({ op, args = [], count = 16 }) {
    await startEngine();
    if (op === 'digits') {
      const split = dl.createEnsemble({});
      try {
        const features = split.testFeatures();
        return { features: features.slice(0, Math.min(features.length, 64 * count)) };
      } finally {
        split.delete();
      }
    }
    if (op === 'preactivations') return preactivations(count);
    const method = { neuron: 'lessonNeuron', activation: 'lessonActivation', loss: 'lessonLoss', layer: 'lessonLayer',
      lossComparison: 'lessonLossComparison', loopVersusBatch: 'lessonLoopVersusBatch' }[op];
    if (!method) throw new Error(`lesson: unknown computation "${op}"`);
    return dl[method](...args);
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

  // The inside views of one digit, from whichever predicts (the ensemble or the single model):
  // {pixels, width, height} (a drawing: its preprocessing steps and the naive downscale's
  // guess too) or {features} (a test digit). Everything here is computed by the engine.
  // member: which model of an ensemble the layers are traced through (0-based).
  async inspect({ pixels, width, height, features, member = 0 }) {
    await startEngine();
    const out = { blank: false, features: null, stages: null, naive: null, occlusion: null, curves: null, models: 0 };
    if (pixels) {
      const traced = dl.preprocessStages(pixels, width, height);
      Object.assign(out, {
        blank: traced.blank, features: traced.features, stages: traced.stages, inkBox: traced.inkBox,
        shear: traced.shear, growth: traced.growth, rasterWidth: width,
      });
      out.naive = { features: traced.naive, probabilities: null };
    } else {
      out.features = Float32Array.from(features);
    }
    const live = predictingModel();
    if (!live || out.blank) return out;
    out.models = live === ensemble ? ensemble.size : 1;
    if (out.naive) out.naive.probabilities = probabilitiesOf(live, out.naive.features);
    out.probabilities = probabilitiesOf(live, out.features);
    out.occlusion = live.occlusion(out.features);
    out.curves = live.confidenceCurves(out.features);
    if (live === ensemble) {
      out.member = Math.min(Math.max(0, member), ensemble.size - 1);
      out.layers = ensemble.traceForward(out.features, out.member);
    } else {
      out.layers = live.traceForward(out.features);
    }
    return out;
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

  // A model file joins the ensemble; -> the ensemble's size.
  async ensembleAdd({ bytes }) {
    if (!ensemble) throw new Error('ensembleAdd: no ensemble (ensembleReset first)');
    ensemble.add(bytes);
    return { size: ensemble.size };
  },

  // A member leaves the ensemble (index: 0-based, in the order they joined); -> the ensemble's size.
  async ensembleRemove({ index }) {
    if (!ensemble) throw new Error('ensembleRemove: no ensemble (ensembleReset first)');
    return { size: ensemble.remove(index) };
  },

  // -> the ensemble's size and its test metrics so far, with what it got wrong.
  // The test split's variants (a preprocess_drawing per digit and variant, half a second
  // for a first member) are made a few digits a step: drawings are read between the steps.
  async ensembleReport() {
    while (ensemble && !ensemble.prepareTest(TEST_DIGITS_PER_STEP)) await nextTask();
    if (!ensemble) throw new Error('ensembleReport: no ensemble (ensembleReset first)');
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
      throw pageError('worker.ensembleLink', { n: ensemble.size });
    }
    if (!model) throw pageError('worker.noModel');
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
      throw pageError('worker.ensembleFile', { n: ensemble.size });
    }
    if (!model) throw pageError('worker.noModel');
    return { bytes: model.save() };
  },

  // The step-through: exactly one batch of the user's run (a fresh one from `options` when
  // there is none), which stays paused afterwards -> {run, created, summary, batch, progress,
  // sample, weight}. `row`, `layer`, `param`, `element` choose what is read out (stepView).
  async step({ options, row = 0, layer = null, param = 'weight', element = -1 }) {
    await startEngine();
    const created = steppable(options);
    running = false;  // a running run pauses: the page shows it paused
    runToken += 1;
    const { batch, progress } = trainer.step();
    return { run: runId, created, summary: trainer.summary(), batch, progress, ...stepView(row, layer, param, element) };
  },

  // Another row or weight of the last step -> {sample, weight}.
  async stepView({ row = 0, layer = null, param = 'weight', element = -1 }) {
    if (!trainer || memberRun) throw pageError('worker.noStepped');
    return stepView(row, layer, param, element);
  },

  // The gradient check on the user's run (a fresh one from `options` when there is none).
  async gradientCheck({ options, layer, param = 'weight', element = -1 }) {
    await startEngine();
    const created = steppable(options);
    const chosen = layer ?? firstWeighted();
    return { run: runId, created, summary: trainer.summary(), check: trainer.gradientCheck(chosen, param, element) };
  },

  // features (64 values) -> {layers}: the input and every layer's output of the model looked
  // inside (engine/inspect.h), for the page's inside view.
  async trace({ features }) {
    await startEngine();
    return { layers: inspectedModel().traceForward(features) };
  },
};

// "Learn my handwriting" (engine/fine_tune.h), on model files the page sends: nothing is
// kept here, so the page decides which models it uses (and can undo).
Object.assign(handlers, {
  async fineTune({ models, personal, options }) {
    await startEngine();
    return dl.fineTune(models, personal, options);
  },

  async personalScores({ models, personal, options }) {
    await startEngine();
    return dl.personalScores(models, personal, options);
  },
});

self.onmessage = async (event) => {
  const { type, id, payload } = event.data;
  const handler = handlers[type];
  try {
    if (!handler) throw new Error(`unknown request "${type}"`);
    const result = await handler(payload ?? {});
    post({ type: 'result', id, result }, transferables(result));
  } catch (err) {
    if (isEngineFailure(err)) return broken(err);
    post({ type: 'error', id, message: err?.message ?? String(err), text: err?.text });
  }
};

// The module trapped: its heap can no longer be trusted, so nothing more is answered here.
function broken(err) {
  stopRun();
  post({ type: 'broken', message: err?.message ?? String(err) });
}

// ---- training slices ------------------------------------------------------------------

// The next training slice (and the next step of ensembleReport) runs as a task of its own,
// so requests (a drawing to read, pause) are answered in between. A port's message, not
// setTimeout(0): Chromium holds a chain of zero timeouts back 4 ms each (200 in a worker:
// 828 ms against 12 ms through a port), a tenth of every 40 ms slice.
const ticks = new MessageChannel();
const afterTicks = [];
ticks.port1.onmessage = () => afterTicks.shift()();
function afterTasks(run) {
  afterTicks.push(run);
  ticks.port2.postMessage(null);
}
const nextTask = () => new Promise((resolve) => afterTasks(resolve));

function schedule() {
  const token = ++runToken;
  afterTasks(() => runSlice(token));
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
  const errors = liveErrors(progress);
  post({ type: 'progress', run: runId, progress, weights, test, errors },
    [...transferables({ weights }), ...transferables(errors ?? {})]);
  if (progress.done) finishRun(progress);
  else afterTasks(() => runSlice(token));
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
    post({ type: 'diverged', run: runId, message: progress.message, kept: Boolean(model), progress });
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

// What answers drawings: the ensemble once it has members, else the single model, else the
// user's run while it trains (never a default-ensemble member's run).
function predictingModel() {
  if (ensemble?.size > 0) return ensemble;
  return model ?? (memberRun ? null : trainer);
}

function probabilitiesOf(live, features) {
  return live === ensemble ? ensemble.predict(features).probabilities : live.predict(features);
}

// The test split's evaluation at the latest epoch's end with every test digit (features,
// probabilities), sent once per epoch: the page's live confusion matrix.
let errorsEpoch = 0;
function liveErrors(progress) {
  if (memberRun || progress.history.length <= errorsEpoch) return null;
  let evaluation;
  try {
    evaluation = trainer.epochEvaluation();
  } catch {
    return null;
  }
  if (!evaluation) return null;
  errorsEpoch = progress.history.length;
  return { ...evaluation, features: trainer.testFeatures() };
}

// The run Step and the gradient check work on: the user's run in progress or paused, else
// the last finished one (it trains on), else a fresh run made from `options` (paused).
// -> {run, summary} when a run was made here, else null.
function steppable(options) {
  if (trainer && !memberRun) return null;
  if (!trainer && model && typeof model.step === 'function') {
    trainer = model;
    memberRun = false;
    return null;
  }
  if (!options) throw pageError('worker.noRunToStep');
  stopRun();
  trainer = dl.createTrainer(options);
  memberRun = false;
  runId += 1;
  return { run: runId, summary: trainer.summary() };
}

// One row of the last step, and one weight of it (layer null: the first layer with weights).
function stepView(row, layer, param, element) {
  const sample = trainer.stepSample(row);
  const chosen = layer ?? firstWeighted();
  return { sample, weight: trainer.stepWeight(chosen, param, element, row) };
}

// The index of the run's first layer with parameters.
function firstWeighted() {
  return trainer.summary().layers.findIndex((l) => l.params > 0);
}

// The lesson's histogram: the input of every activation layer of the model in use (its
// pre-activations), traced by the engine (trace_forward) for the first `count` test digits
// and counted by it (histogram, dead units, saturated values: summarize_preactivations).
// -> [{ name, type, units, from, to, saturatedBeyond, counts, dead, saturated, saturatedShare }]
function preactivations(count) {
  const live = inspectedModel();
  const split = dl.createEnsemble({});
  let features;
  try {
    features = split.testFeatures();
  } finally {
    split.delete();
  }
  const n = Math.min(count, features.length / 64);
  const layers = [];
  for (let s = 0; s < n; s++) {
    const trace = live.traceForward(features.subarray(s * 64, s * 64 + 64));
    trace.forEach((entry, i) => {
      const next = trace[i + 1];
      if (!next || !['relu', 'leaky_relu', 'sigmoid', 'tanh'].includes(next.type) || i + 1 === trace.length - 1 && next.type === 'sigmoid') return;
      const units = entry.values.length;
      let layer = layers.find((l) => l.name === next.name);
      if (!layer) {
        layer = { name: next.name, type: next.type, units, values: new Float32Array(n * units) };
        layers.push(layer);
      }
      layer.values.set(entry.values, s * units);
    });
  }
  return layers.map(({ values, ...layer }) => ({ ...layer, ...dl.lessonPreactivations(values, layer.units) }));
}

// The one model the inside view looks at: the user's run (paused, running or just made by
// Step), else the last trained or loaded model. The default ensemble is several models.
function inspectedModel() {
  const live = trainer && !memberRun ? trainer : model;
  if (!live) {
    throw ensemble?.size > 0 ? pageError('worker.ensembleInside', { n: ensemble.size }) : pageError('worker.noModelInside');
  }
  return live;
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
// With every test digit and its probabilities, so any confusion cell can list its digits.
function describeModel(m) {
  const evaluation = m.evaluate();
  const features = m.testFeatures();
  if (features.length) evaluation.probabilities = m.predict(features);
  return { evaluation, misclassifiedImages: misclassifiedImages(evaluation, features), testFeatures: features, weights: safeWeights(m), summary: m.summary() };
}

// The ensemble's test metrics and the misclassified test digits as images.
function describeEnsemble(e) {
  const evaluation = e.evaluate();  // with its probabilities
  const features = e.testFeatures();
  return { size: e.size, evaluation, misclassifiedImages: misclassifiedImages(evaluation, features), testFeatures: features };
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
  const arrays = ['bytes', 'probabilities', 'features', 'misclassifiedImages', 'testFeatures'].map((key) => result[key]);
  arrays.push(result.weights?.weight);
  for (const layer of result.layers ?? []) arrays.push(layer.values);
  for (const value of arrays) {
    const owns = ArrayBuffer.isView(value) && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
    if (owns && value.buffer instanceof ArrayBuffer && !list.includes(value.buffer)) list.push(value.buffer);
  }
  return list;
}
