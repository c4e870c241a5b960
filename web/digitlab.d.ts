// The JavaScript surface of the digitlab engine (web/digitlab.js over the wasm module).
// Used the same way in a Web Worker and in Node. Every method that takes input from JS
// throws a plain Error carrying the engine's message on bad input; the module stays usable.

export interface LayerRow { name: string; type: string; outputShape: number[]; params: number; }
export interface Summary { layers: LayerRow[]; totalParams: number; inputShape: number[]; text: string; }

// <settings-schema> generated from engine/settings.cpp by scripts/write-settings-schema.mjs: do not edit
// Every option but architecture may be left out: the engine fills it from its defaults.
export interface TrainOptions {
  architecture: string;  // JSON description (engine/architecture.h) or use presetArchitecture()
  epochs?: number;  // passes over the training split; default 20, [1, 10000]
  batchSize?: number;  // samples per gradient step; default 32, [1, 4096]
  optimizer?: 'sgd' | 'momentum' | 'nesterov' | 'adam';  // how the weights follow their gradients; default 'adam'
  learningRate?: number;  // step size of the optimizer; default 0.001, (0, 10]
  lrSchedule?: 'constant' | 'cosine';  // constant, or cosine: from the learning rate down to a tenth of it over the run; default 'constant'
  momentum?: number;  // momentum of the momentum and nesterov optimizers; default 0.9, [0, 1)
  l1?: number;  // L1 penalty on the weights; default 0, [0, 10]
  l2?: number;  // L2 penalty on the weights; default 0, [0, 10]
  dropout?: number;  // dropout rate after each hidden activation of a preset; default 0, [0, 0.9]
  augment?: boolean;  // also train on distorted copies of the training digits, made once before the first epoch; default false
  augmentCopies?: number;  // distorted copies per training digit; default 0, [0, 100]
  fontDigitCopies?: number;  // distorted copies per font and stroke digit, with augment on (0: they join as they are); default 0, [0, 100]
  fontDigits?: boolean;  // add the digits rendered from fonts to the training split; default false
  strokeDigits?: boolean;  // add the synthetic pen-stroke digits (drawn on a canvas, read like a drawing) to the training split; default false
  seed?: number;  // seeds the split, initialisation, shuffling, dropout and augmentation: same seed, same run; default 42, [0, 4294967295]
  testShare?: number;  // share of every class held out for the test; default 0.2, [0, 1)
  validationShare?: number;  // share of the rest held out for validation; default 0.1, [0, 1)
  testEveryEpoch?: boolean;  // measure the test accuracy after every epoch, outside the training time; default false
  testTarget?: number;  // the test accuracy whose first epoch and training time are reported; default 0.97, [0, 1]
  maxBatchGflops?: number;  // refuse a model whose training batch costs more GFLOP of products than this (0: no limit); default 0, [0, 1000000]
}
// </settings-schema>

// engine/settings.h as settingsSchema() returns it. `default` is the "defaults" profile's.
export interface SettingField {
  name: string; jsName: string; flag: string;       // batch_size, batchSize, --batch-size
  type: 'int' | 'float' | 'bool' | 'choice' | 'seed';
  default: number | boolean | string; help: string;
  min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean;  // numbers
  choices?: string[];                                                 // choices
}
export interface SettingsSchema {
  fields: SettingField[];
  profiles: Record<'defaults' | 'page', Required<Omit<TrainOptions, 'architecture'>>>;  // 'page': the page's first visit
  presets: string[];
  defaultEnsemble: DefaultEnsemble;
}
// The ensemble the page's first visit trains (engine/settings.cpp), members in training order.
export interface DefaultEnsemble {
  // standIn: reads drawings until the other members have joined, then leaves the ensemble.
  members: { preset: string; settings: Required<Omit<TrainOptions, 'architecture'>>; standIn: boolean }[];
  variants: string;              // test-time input variants, e.g. 'identity,left,right'
}

export interface EpochMetrics {
  epoch: number; trainLoss: number; trainAccuracy: number;
  validationLoss: number; validationAccuracy: number; samplesPerSec: number; seconds: number;
}
export interface Progress {
  epoch: number; epochs: number; batch: number; batchesPerEpoch: number; samplesSeen: number;
  runningLoss: number; runningAccuracy: number; trainSeconds: number;
  prepared: number; toPrepare: number; prepareSeconds: number;  // distorted copies made / to make (augmentation, before epoch 1)
  done: boolean; diverged: boolean; message: string;
  // When diverged: the layer whose gradients blew up first (or grew most), its gradient norm,
  // that norm over its running average (0: it did not grow), and the learning rate to try (a tenth).
  divergedLayer: string; divergedNorm: number; divergedRatio: number; suggestedLearningRate: number;
  // The same as data (message is the engine's English): the cause, the exploded loss and the
  // first batch's, and where the layer blew up (epoch 0: it did not; it grew the most, or
  // with divergedRatio 0 its gradients were the largest).
  divergedCause: '' | 'loss_nan' | 'loss_infinite' | 'loss_exploded' | 'gradients' | 'weights';
  divergedLoss: number; divergedReferenceLoss: number; divergedBlewUpEpoch: number; divergedBlewUpBatch: number;
  history: EpochMetrics[];       // every finished epoch so far
  testAccuracies: number[];      // test accuracy after each epoch (with testEveryEpoch)
  testTarget: number;            // the testTarget option
  targetReached: { epoch: number; seconds: number } | null;  // first epoch at testTarget, training seconds to it
}
export interface Evaluation {
  loss: number; accuracy: number;
  confusion: number[][];         // [true][predicted], 10 x 10
  misclassified: { index: number; label: number; predicted: number }[];  // indices into the test split
  predicted: Int32Array;         // every test sample's predicted class
  labels: Int32Array;            // and its true class
  probabilities?: Float32Array;  // 10 per sample, when the evaluator has them (an ensemble's evaluate)
}
// The test split's evaluation after an epoch (testEveryEpoch), for the live confusion matrix.
export interface EpochEvaluation {
  epoch: number; accuracy: number; loss: number;
  confusion: number[][];
  predicted: Int32Array; labels: Int32Array;
  probabilities: Float32Array;   // 10 per test sample
}
// What a model looks at in one digit (engine/sensitivity.h).
export interface OcclusionMap {
  topClass: number; topProbability: number;
  drop: Float32Array;            // 64 (8x8): topProbability minus topClass's probability with that block blanked
}
export interface ConfidenceCurves {
  topClass: number;
  // shift_x, shift_y (pixels of the 32x32 box), rotate (degrees clockwise), thickness (pixels grown)
  curves: { name: string; steps: Float32Array; confidence: Float32Array; predicted: Int32Array }[];
}
// preprocess with the image of each step (engine/preprocess.h: trace_preprocess).
export interface PreprocessStages extends Preprocessed {
  // ink, crop, deskewed, thickness, box, blocks (a blank drawing: ink only); pixels 0..1
  stages: { name: string; width: number; height: number; pixels: Float32Array }[];
  inkBox: { x0: number; y0: number; x1: number; y1: number } | null;  // raster pixels, inclusive
  shear: number; growth: number;
  naive: Float32Array;           // the whole raster area-averaged to 8x8, in [0,1] like features
}
export interface LayerWeights {
  layer: number; type: string;
  rows: number; cols: number;    // weight matrix (F_out, F_in) or (filters, C*K*K)
  weight: Float32Array;          // rows*cols, row-major (a copy)
  kernel?: number; channels?: number;  // conv2d only
}
// One element of Model.traceForward: index 0 the input, then each layer's output (named as in
// summary()), then {name: 'softmax'|'sigmoid'} probabilities unless the loss is mse.
export interface LayerActivation { name: string; type: string; shape: number[]; values: Float32Array; }
export interface Preprocessed { blank: boolean; features: Float32Array; }  // 64 values in [0,1]

export interface TrainingBench {
  epochSeconds: number[]; samplesPerSec: number; spread: number; gflops: number;
  flopsPerSample: number; testAccuracy: number; trainSamples: number; epochs: number;
}

export interface Model {
  predict(features: Float32Array): Float32Array;   // 64*N features -> 10*N probabilities
  evaluate(): Evaluation;                            // on the test split of the loaded digits
  summary(): Summary;
  architecture(): string;
  layerWeights(layer: number): LayerWeights;         // throws for a layer without weights
  firstWeights(): LayerWeights;                      // the first dense or conv2d layer
  save(): Uint8Array;                                // a model file (same as the CLI's --save)
  testFeatures(): Float32Array;                      // the test split's images, 64 per sample
  testLabels(): Int32Array;
  occlusion(features: Float32Array): OcclusionMap;            // one digit's 64 features
  confidenceCurves(features: Float32Array): ConfidenceCurves;
  traceForward(features: Float32Array | number[]): LayerActivation[];  // one sample, inference mode
  delete(): void;
}
export interface StepBatch {
  epoch: number; batch: number; size: number;    // 1-based epoch and batch of the step, rows in it
  samples: Int32Array; labels: Int32Array;       // per row: index into the training data, its class
  inputs: Float32Array;                          // the rows' features, F per row
  stepNumber: number; learningRate: number; optimizer: string;
  lossBefore: number; lossAfter: number;         // the batch's loss before / after the update (same dropout mask)
}
export interface Quantity { name: string; value: number; }
export interface SampleStep {
  row: number; sample: number;
  forward: LayerActivation[];                    // like traceForward, in training mode
  loss: { label: number; predicted: number; probability: number; loss: number; formula: string };
  backward: LayerActivation[];                   // dLoss/dOutput per layer, last layer first ("d dense_2")
  gradientNorms: { name: string; norm: number }[];  // the batch's, per layer with parameters
}
export interface WeightStep {
  layer: string; param: string; element: number; row: number; col: number;
  valueBefore: number; gradient: number; regularization: number; gradientTotal: number; valueAfter: number;
  gradientFormula: string; gradientTerms: Quantity[];
  updateFormula: string; updateTerms: Quantity[];  // lr, g, velocity or m, v, m^, v^, step, w, w'
}
export interface GradientCheck {
  layer: number; layerName: string; param: string; element: number; rows: number; cols: number;
  value: number; eps: number; analytic: number; numeric: number; lossPlus: number; lossMinus: number;
  relativeError: number; reading: string;        // "agree to 3e-04"
}
export interface Trainer extends Model {
  train(batches: number): Progress;                  // train at most `batches` more batches
  progress(): Progress;
  epochEvaluation(): EpochEvaluation | null;         // the latest epoch's, with testEveryEpoch
  step(): { batch: StepBatch; progress: Progress };  // exactly one batch, the run's next
  stepSample(row?: number): SampleStep;              // one row of the last step
  stepWeight(layer: number, param?: string, element?: number, row?: number): WeightStep;  // element -1: largest gradient
  gradientCheck(layer: number, param?: string, element?: number): GradientCheck;  // on the run's first batch_size samples
}

// Models read together (engine/ensemble.h): the mean of the members' probabilities over the
// test-time input variants. A bad model file or variant list throws and changes nothing.
export interface Ensemble {
  add(modelBytes: Uint8Array): number;               // a model file; returns the new size
  remove(index: number): number;                     // takes member index (0-based) out; returns the new size
  setVariants(list: string): void;                   // 'identity,left,right,thick,thin,bolder,lighter,cw,ccw' (any of them)
  variants(): string;
  readonly size: number;
  // 64*N features -> probabilities (10*N) and each member's top class (N*size, member-major within a sample).
  predict(features: Float32Array): { probabilities: Float32Array; memberClasses: Int32Array };
  evaluate(): Evaluation;                            // on the test split chosen at creation
  // Makes the test split's variants for up to `rows` more digits; true once evaluate() has them
  // all (evaluate makes what is left itself). Spreads that work over short steps.
  prepareTest(rows: number): boolean;
  testFeatures(): Float32Array;
  occlusion(features: Float32Array): OcclusionMap;
  confidenceCurves(features: Float32Array): ConfidenceCurves;
  traceForward(features: Float32Array, member?: number): LayerActivation[];  // one member (0-based)
  delete(): void;
}

// Accuracies of a model (or ensemble) on the test split and on a personal set's two parts:
// the drawings fine-tuning learns from and the held-out ones it never sees (0 when a part is empty).
export interface PersonalScores {
  test: number; personal: number; heldOut: number;
  testSize: number; personalSize: number; heldOutSize: number;
}

export interface PersonalSet {
  features: Float32Array;        // 64 per drawing, as preprocess() made them
  labels: ArrayLike<number>;     // the digit each drawing is
}

export interface FineTuneOptions {
  seed?: number; testShare?: number; validationShare?: number;  // the split scored on
  fontDigits?: boolean;          // the font digits join the training data (loadFontDigits first)
  strokeDigits?: boolean;        // the pen-stroke digits join it (loadStrokeDigits first)
  variants?: string;             // the ensemble's test-time variants ('identity' by default)
}

export interface ModelLink {
  bytes: Uint8Array;        // a model file (loadModel reads it): the dequantised model
  architecture: string;     // the architecture JSON the link carries
  checksum: number;         // the link's CRC-32
  payloadBytes: number;     // the link's decoded size
}

export interface Digitlab {
  settingsSchema(): SettingsSchema;                  // the one schema of the options (frozen)
  presets(): string[];                               // ['linear', 'mlp', 'deep_mlp', 'cnn']
  presetArchitecture(name: string, dropout?: number): string;
  checkArchitecture(text: string): Summary;          // throws Error with the shape problem
  loadDigits(bytes: Uint8Array): number;             // the shipped data/digits.bin; returns the count
  loadFontDigits(bytes: Uint8Array): number;         // data/font-digits.bin (same format); returns the count
  loadStrokeDigits(bytes: Uint8Array): number;       // data/stroke-digits.bin (same format); returns the count
  createTrainer(options: TrainOptions): Trainer;     // needs loadDigits first
  // options: the settings whose split the model is scored on (seed, testShare, validationShare).
  loadModel(bytes: Uint8Array, options?: Omit<TrainOptions, 'architecture'>): Model;
  // options: the settings whose test split evaluate() scores on (seed, testShare, validationShare).
  createEnsemble(options?: Omit<TrainOptions, 'architecture'>): Ensemble;
  defaultEnsemble(): DefaultEnsemble;                // settingsSchema().defaultEnsemble
  preprocess(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number): Preprocessed;
  preprocessStages(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number): PreprocessStages;
  // Fine-tunes each model (one, or an ensemble's members) on the training split plus the
  // personal set's training part; returns the new model files and the scores before and after.
  fineTune(modelFiles: Uint8Array[], personal: PersonalSet, options?: FineTuneOptions):
    { models: Uint8Array[]; before: PersonalScores; after: PersonalScores; copies: number; trainSamples: number };
  // heldOutMask: 1 for each drawing of the held-out part.
  personalScores(modelFiles: Uint8Array[], personal: PersonalSet, options?: FineTuneOptions):
    PersonalScores & { heldOutMask: Uint8Array };
  heapBytes(): number;                               // current wasm heap size in use (for leak tests)
  // Model links (engine/model_share.h): a model file -> the link's text (base64url, what
  // follows "#model=") and the model file of the 8-bit model it carries, which is what a
  // receiver predicts with. Throws for a model too big for a link (256 Ki characters).
  shareModel(modelBytes: Uint8Array): ModelLink & { text: string };
  // A link's text -> the model file it carries; a damaged, truncated, oversized or hostile
  // link throws, saying why.
  openModelLink(text: string): ModelLink;
  // Benchmark hooks (engine/benchmark.h). gemmGflops: float n x n x n product GFLOP/s
  // (default 256, 10 repeats). benchTraining: a timed preset run on the loaded digits
  // (test share 0.2, no validation, batch 32, Adam 1e-3). splitIndices: the rows of that split.
  gemmGflops(n?: number, repeats?: number): number;
  benchTraining(preset: string, epochs: number, seed?: number): TrainingBench;
  splitIndices(testShare?: number, seed?: number): { train: Int32Array; test: Int32Array };
  // The lesson widgets (engine/lesson.h), each computed by the engine's own layers and losses.
  // activation: 'relu' | 'leaky_relu' | 'sigmoid' | 'tanh' | 'linear'.
  lessonNeuron(inputs: Float32Array | number[], weights: Float32Array | number[], bias: number, activation: string,
    upstream: number): { weightedSum: number; activation: number; weightGrad: Float32Array; biasGrad: number; inputGrad: Float32Array };
  lessonActivation(activation: string, from: number, to: number, points: number):
    { x: Float32Array; value: Float32Array; derivative: Float32Array };
  // p: probabilities of the true class in (0, 1); gradient: dLoss/d(output of the true class).
  lessonLoss(loss: 'softmax_cross_entropy' | 'sigmoid_cross_entropy' | 'mse', classes: number, trueClass: number,
    p: Float32Array | number[]): { p: Float32Array; value: Float32Array; gradient: Float32Array };
  // layer: a dense, conv2d or maxpool2d layer's JSON (object or text); weights/bias replace its parameters.
  lessonLayer(layer: object | string, digit: Float32Array | number[], weights?: Float32Array | null, bias?: Float32Array | null,
    seed?: number): { shape: number[]; output: Float32Array };
  // values: samples x units of one activation layer's input; counts: a histogram over from..to;
  // dead: units never above 0; saturated: values beyond +-saturatedBeyond.
  lessonPreactivations(values: Float32Array | number[], units: number): { from: number; to: number; saturatedBeyond: number;
    counts: Int32Array; dead: number; saturated: number; saturatedShare: number };
  // The same 64-hidden(ReLU)-10 MLP from the same seed trained with each head (plain SGD);
  // per epoch: the head's loss, test accuracy, wrong digits with a zero gradient (stuck), the
  // mean |dLoss/dz| on wrong digits. nonfiniteEpoch: the epoch whose loss overflowed (0: none).
  lessonLossComparison(options?: { epochs?: number; hidden?: number; batch?: number; learningRate?: number; confidentLogit?: number;
    seed?: number }): { trainSize: number; testSize: number; runs: Array<{ head: 'softmax_cross_entropy' | 'sigmoid_mse'
      | 'sigmoid_clipped_log' | 'softmax_clipped_log'; loss: Float32Array; testAccuracy: Float32Array; stuck: Int32Array;
      wrongPush: Float32Array; nonfiniteEpoch: number }> };
  // The mean loss's gradient over the first `samples` training digits, in a loop and as one batch (best of repeats).
  lessonLoopVersusBatch(samples?: number, repeats?: number, seed?: number): { samples: number; loopMs: number; batchMs: number;
    loopLoss: number; batchLoss: number; maxDifference: number; maxGradient: number };
}

export function loadDigitlab(options?: { wasmBinary?: Uint8Array | ArrayBuffer }): Promise<Digitlab>;
