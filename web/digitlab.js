// The friendly JS API of the digitlab engine (contract: digitlab.d.ts), over the Embind
// module nn.js + nn.wasm. Works in a page, an ES-module Web Worker and Node 20. Objects it
// returns own their wasm memory: call delete() when done (a second delete is a no-op).
// Every engine failure arrives as a plain Error carrying the engine's message.

import { assetUrl } from './asset-urls.js';

const IS_NODE = typeof process === 'object' && typeof process.versions?.node === 'string' &&
  typeof window === 'undefined' && typeof importScripts !== 'function';

// Emscripten's Node path cannot fetch a file URL in 3.1.6, so Node reads nn.wasm here.
async function readWasmInNode() {
  const { readFile } = await import('node:fs/promises');
  return readFile(new URL('./nn.wasm', import.meta.url));
}

/**
 * Loads the wasm module once per call and returns the Digitlab API.
 * @param {{wasmBinary?: Uint8Array | ArrayBuffer}} [options] the bytes of nn.wasm; needed in
 *   Node unless nn.wasm sits next to this file; a page or worker fetches it from there.
 */
export async function loadDigitlab(options = {}) {
  // In a browser nn.wasm is fetched and compiled while nn.js loads, not after it has run.
  const compiled = options.wasmBinary || IS_NODE ? null : compileWasm(assetUrl('nn.wasm'));
  compiled?.catch(() => {});  // reported below, once nn.js has loaded
  let factory;
  try {
    ({ default: factory } = await import(assetUrl('nn.js')));
  } catch (error) {
    throw new Error(`digitlab: cannot load web/nn.js (${error.message}); build it with: bash scripts/build-wasm.sh`);
  }
  let wasmBinary = options.wasmBinary;
  if (!wasmBinary && IS_NODE) wasmBinary = await readWasmInNode();
  const moduleOptions = {};
  if (wasmBinary) {
    moduleOptions.wasmBinary = wasmBinary instanceof ArrayBuffer ? new Uint8Array(wasmBinary) : wasmBinary;
    return new Digitlab(await factory(moduleOptions));
  }
  // nn.js resolves nn.wasm's URL even when it does not fetch it, and a blob: nn.js (the
  // one-file build) has no base to resolve it against without locateFile.
  moduleOptions.locateFile = (path) => assetUrl(path);
  let failed;
  const failure = new Promise((_, reject) => { failed = reject; });
  // Emscripten's hook: it waits for receive(instance, module) instead of fetching nn.wasm itself.
  moduleOptions.instantiateWasm = (imports, receive) => {
    compiled.then((module) => WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module)))
      .catch((error) => failed(new Error(`digitlab: cannot start web/nn.wasm (${error.message}); build it with: bash scripts/build-wasm.sh`)));
    return {};
  };
  return new Digitlab(await Promise.race([factory(moduleOptions), failure]));
}

// nn.wasm compiled as it downloads (or from its bytes, when the server does not say
// application/wasm, which streaming compilation requires).
async function compileWasm(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  if (typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

function requireTypedArray(value, what) {
  if (!ArrayBuffer.isView(value) && !Array.isArray(value)) {
    throw new Error(`${what}: expected a typed array, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

function requireModelFiles(files, what) {
  if (!Array.isArray(files)) throw new Error(`${what}: expected an array of model files (Uint8Array)`);
  files.forEach((file, i) => requireTypedArray(file, `${what}: model file ${i + 1}`));
  return files;
}

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

// Shared by trainers and loaded models: forwards to the raw object until it is deleted.
class ModelBase {
  constructor(raw, kind) { this._raw = raw; this._kind = kind; }
  _live() {
    if (!this._raw) throw new Error(`digitlab: this ${this._kind} was deleted`);
    return this._raw;
  }
  predict(features) { return this._live().predict(requireTypedArray(features, 'predict')); }
  evaluate() { return this._live().evaluate(); }
  summary() { return this._live().summary(); }
  architecture() { return this._live().architecture(); }
  layerWeights(layer) {
    if (!Number.isInteger(layer)) throw new Error(`layerWeights: layer must be an integer, got ${layer}`);
    return this._live().layerWeights(layer);
  }
  firstWeights() { return this._live().firstWeights(); }
  save() { return this._live().save(); }
  testFeatures() { return this._live().testFeatures(); }
  testLabels() { return this._live().testLabels(); }
  // What the model looks at in one digit (64 features): engine/sensitivity.h.
  occlusion(features) { return this._live().occlusion(requireTypedArray(features, 'occlusion')); }
  confidenceCurves(features) { return this._live().confidenceCurves(requireTypedArray(features, 'confidenceCurves')); }
  // One sample's input and every layer's output (engine/inspect.h: trace_forward), in
  // inference mode: [{name, type, shape, values: Float32Array}], then the probabilities.
  traceForward(features) { return this._live().traceForward(requireTypedArray(features, 'traceForward')); }
  get deleted() { return !this._raw; }
  delete() {
    if (this._raw) { this._raw.delete(); this._raw = null; }
  }
}

class Trainer extends ModelBase {
  constructor(raw) {
    super(raw, 'trainer');
    this._history = [];  // every finished epoch's metrics; the engine sends only new ones
  }
  train(batches) {
    if (!Number.isInteger(batches) || batches < 1) {
      throw new Error(`train: the number of batches must be an integer >= 1, got ${batches}`);
    }
    const progress = this._live().train(batches, this._history.length);
    if (progress.history.length > 0) this._history = [...this._history, ...progress.history];
    progress.history = this._history;
    return progress;
  }
  progress() { return this._live().progress(); }
  // The latest finished epoch's test evaluation (with testEveryEpoch), or null before one.
  epochEvaluation() { return this._live().epochEvaluation(); }
  // The step-through (engine/step_trace.h): exactly one batch, the run's next ->
  // {batch: {epoch, batch, size, samples, labels, stepNumber, learningRate, optimizer,
  // lossBefore, lossAfter}, progress}; then stepSample(row) and stepWeight(...) read it out.
  step() {
    const result = this._live().step(this._history.length);
    if (result.progress.history.length > 0) this._history = [...this._history, ...result.progress.history];
    result.progress.history = this._history;
    return result;
  }
  stepSample(row = 0) {
    if (!Number.isInteger(row)) throw new Error(`stepSample: row must be an integer, got ${row}`);
    return this._live().stepSample(row);
  }
  // element -1: the element of that param with the largest gradient in the step.
  stepWeight(layer, param = 'weight', element = -1, row = 0) {
    if (!Number.isInteger(layer) || !Number.isInteger(row)) throw new Error('stepWeight: layer and row must be integers');
    return this._live().stepWeight(layer, param, element, row);
  }
  // Analytic gradient vs the central finite difference for one element (-1: the largest).
  gradientCheck(layer, param = 'weight', element = -1) {
    if (!Number.isInteger(layer)) throw new Error(`gradientCheck: layer must be an integer, got ${layer}`);
    return this._live().gradientCheck(layer, param, element);
  }
}

class Model extends ModelBase {
  constructor(raw) { super(raw, 'model'); }
}

// Several models read a digit as one (engine/ensemble.h): probabilities averaged over the
// members and the test-time input variants, plus each member's own top class.
class Ensemble {
  constructor(raw) { this._raw = raw; }
  _live() {
    if (!this._raw) throw new Error('digitlab: this ensemble was deleted');
    return this._raw;
  }
  add(modelBytes) { return this._live().add(requireTypedArray(modelBytes, 'ensemble.add')); }
  remove(index) {
    if (!Number.isInteger(index)) throw new Error(`ensemble.remove: expected a member index (an integer from 0), got ${String(index)}`);
    return this._live().remove(index);
  }
  setVariants(list) {
    if (typeof list !== 'string') throw new Error('ensemble.setVariants: expected a comma-separated string like "identity,left"');
    this._live().setVariants(list);
  }
  variants() { return this._live().variants(); }
  get size() { return this._live().size(); }
  predict(features) { return this._live().predict(requireTypedArray(features, 'ensemble.predict')); }
  evaluate() { return this._live().evaluate(); }
  prepareTest(rows) {
    if (!Number.isInteger(rows)) throw new Error(`ensemble.prepareTest: expected a count of digits (a positive integer), got ${String(rows)}`);
    return this._live().prepareTest(rows);
  }
  testFeatures() { return this._live().testFeatures(); }
  occlusion(features) { return this._live().occlusion(requireTypedArray(features, 'ensemble.occlusion')); }
  confidenceCurves(features) {
    return this._live().confidenceCurves(requireTypedArray(features, 'ensemble.confidenceCurves'));
  }
  // trace_forward of one digit through one member (0-based), as Model.traceForward.
  traceForward(features, member = 0) {
    if (!Number.isInteger(member)) throw new Error(`ensemble.traceForward: member must be an integer, got ${member}`);
    return this._live().traceForward(requireTypedArray(features, 'ensemble.traceForward'), member);
  }
  get deleted() { return !this._raw; }
  delete() {
    if (this._raw) { this._raw.delete(); this._raw = null; }
  }
}

class Digitlab {
  constructor(module) { this.module = module; }
  // The engine's settings schema (engine/settings.h): every option of createTrainer with its
  // type, default, limits, choices and help, and the named profiles. Parsed once, then shared.
  settingsSchema() {
    this._schema ??= deepFreeze(JSON.parse(this.module._settingsSchema()));
    return this._schema;
  }
  presets() { return this.module._presets(); }
  presetArchitecture(name, dropout = 0) {
    if (typeof name !== 'string') throw new Error('presetArchitecture: name must be a string');
    if (typeof dropout !== 'number') throw new Error('presetArchitecture: dropout must be a number');
    return this.module._presetArchitecture(name, dropout);
  }
  checkArchitecture(text) {
    if (typeof text !== 'string') throw new Error('checkArchitecture: expected the JSON text of an architecture');
    return this.module._checkArchitecture(text);
  }
  loadDigits(bytes) { return this.module._loadDigits(requireTypedArray(bytes, 'loadDigits')); }
  loadFontDigits(bytes) { return this.module._loadFontDigits(requireTypedArray(bytes, 'loadFontDigits')); }
  loadStrokeDigits(bytes) { return this.module._loadStrokeDigits(requireTypedArray(bytes, 'loadStrokeDigits')); }
  createTrainer(options) {
    if (typeof options !== 'object' || options === null) {
      throw new Error('createTrainer: expected an options object with at least {architecture}');
    }
    // The engine fills every option left out from the schema's defaults and checks the rest.
    return new Trainer(new this.module._Trainer(options));
  }
  loadModel(bytes, options = {}) {
    return new Model(new this.module._Model(requireTypedArray(bytes, 'loadModel'), options ?? {}));
  }
  // options: seed, testShare, validationShare: the test split evaluate() scores on.
  createEnsemble(options = {}) {
    return new Ensemble(new this.module._Ensemble(options ?? {}));
  }
  // The ensemble a first visit to the page trains (engine/settings.cpp): its members, each
  // {preset, settings} with settings the full TrainOptions but architecture, and the variants.
  defaultEnsemble() { return this.settingsSchema().defaultEnsemble; }
  preprocess(pixels, width, height) {
    requireTypedArray(pixels, 'preprocess');
    if (!Number.isInteger(width) || !Number.isInteger(height)) {
      throw new Error(`preprocess: width and height must be integers, got ${width} x ${height}`);
    }
    return this.module._preprocess(pixels, width, height);
  }
  // preprocess, plus the image of each step and the naive area downscale (engine/preprocess.h).
  preprocessStages(pixels, width, height) {
    requireTypedArray(pixels, 'preprocessStages');
    if (!Number.isInteger(width) || !Number.isInteger(height)) {
      throw new Error(`preprocessStages: width and height must be integers, got ${width} x ${height}`);
    }
    return this.module._preprocessStages(pixels, width, height);
  }
  // "Learn my handwriting" (engine/fine_tune.h): modelFiles, one model file or each member of
  // an ensemble; personal: {features: Float32Array(N * 64), labels: N digits}; options: seed,
  // testShare, validationShare (the split they are scored on), fontDigits, strokeDigits, variants.
  fineTune(modelFiles, personal, options = {}) {
    return this.module._fineTune(requireModelFiles(modelFiles, 'fineTune'), personal, options ?? {});
  }
  personalScores(modelFiles, personal, options = {}) {
    return this.module._personalScores(requireModelFiles(modelFiles, 'personalScores'), personal, options ?? {});
  }
  heapBytes() { return this.module._heapBytes(); }
  // Model links (engine/model_share.h): a model file -> {text, bytes, architecture, checksum,
  // payloadBytes}: the link's text and the model file of the model it carries (8-bit weights,
  // dequantised), which is what a receiver predicts with.
  shareModel(modelBytes) { return this.module._shareModel(requireTypedArray(modelBytes, 'shareModel')); }
  // The text after "#model=" -> {bytes, architecture, checksum, payloadBytes}; a damaged,
  // truncated, oversized or hostile link throws, saying why.
  openModelLink(text) {
    if (typeof text !== 'string') throw new Error('openModelLink: expected the text of a model link (a string)');
    return this.module._openModelLink(text);
  }
  // Benchmark hooks (engine/benchmark.h), for scripts/bench and the peers' comparisons.
  gemmGflops(n = 256, repeats = 10) { return this.module._gemmGflops(n, repeats); }
  benchTraining(preset, epochs, seed = this._defaults().seed) { return this.module._benchTraining(preset, epochs, seed); }
  splitIndices(testShare = this._defaults().testShare, seed = this._defaults().seed) {
    return this.module._splitIndices(testShare, seed);
  }
  _defaults() { return this.settingsSchema().profiles.defaults; }
  // The lesson widgets (engine/lesson.h): one neuron's forward and backward, an activation's
  // values and derivatives, a loss's value and gradient as p(true class) moves, a layer on a digit.
  lessonNeuron(inputs, weights, bias, activation, upstream) {
    return this.module._lessonNeuron(inputs, weights, bias, activation, upstream);
  }
  lessonActivation(activation, from, to, points) { return this.module._lessonActivation(activation, from, to, points); }
  lessonLoss(loss, classes, trueClass, p) { return this.module._lessonLoss(loss, classes, trueClass, p); }
  lessonLayer(layer, digit, weights = null, bias = null, seed = 1) {
    return this.module._lessonLayer(typeof layer === 'string' ? layer : JSON.stringify(layer), digit, weights, bias, seed);
  }
  // A model's pre-activations counted (histogram, dead units, saturated values); the loss
  // comparison (engine/loss_comparison.h: the same MLP trained with the fused loss and three
  // flawed heads) and one gradient computed in a per-sample loop and as one batch.
  lessonPreactivations(values, units) { return this.module._lessonPreactivations(values, units); }
  lessonLossComparison(options = {}) { return this.module._lessonLossComparison(options); }
  lessonLoopVersusBatch(samples = 1438, repeats = 3, seed = this._defaults().seed) {
    return this.module._lessonLoopVersusBatch(samples, repeats, seed);
  }
}
