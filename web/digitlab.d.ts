// The JavaScript surface of the digitlab engine (web/digitlab.js over the wasm module).
// Used the same way in a Web Worker and in Node. Every method that takes input from JS
// throws a plain Error carrying the engine's message on bad input; the module stays usable.

export interface LayerRow { name: string; type: string; outputShape: number[]; params: number; }
export interface Summary { layers: LayerRow[]; totalParams: number; inputShape: number[]; text: string; }

export interface TrainOptions {
  architecture: string;          // JSON description (engine/architecture.h) or use presetArchitecture()
  optimizer?: 'sgd' | 'momentum' | 'nesterov' | 'adam';   // default 'adam'
  learningRate?: number;         // default 1e-3
  lrSchedule?: 'constant' | 'cosine';  // default 'constant'; cosine: down to a tenth of learningRate over the run
  momentum?: number;             // default 0.9
  batchSize?: number;            // default 32
  epochs?: number;               // default 20
  l1?: number; l2?: number;      // default 0
  augment?: boolean;             // default false
  augmentCopies?: number;        // distorted copies per training image, made once per run, default 0
  seed?: number;                 // default 42 (integer >= 0)
  validationShare?: number;      // default 0.1 (of the training part)
  testShare?: number;            // default 0.2
  fontDigits?: boolean;          // default false: add loadFontDigits()'s digits to the training split, undistorted
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
  history: EpochMetrics[];       // every finished epoch so far
}
export interface Evaluation {
  loss: number; accuracy: number;
  confusion: number[][];         // [true][predicted], 10 x 10
  misclassified: { index: number; label: number; predicted: number }[];  // indices into the test split
}
export interface LayerWeights {
  layer: number; type: string;
  rows: number; cols: number;    // weight matrix (F_out, F_in) or (filters, C*K*K)
  weight: Float32Array;          // rows*cols, row-major (a copy)
  kernel?: number; channels?: number;  // conv2d only
}
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
  delete(): void;
}
export interface Trainer extends Model {
  train(batches: number): Progress;                  // train at most `batches` more batches
  progress(): Progress;
  testFeatures(): Float32Array;                      // the test split's images, 64 per sample
  testLabels(): Int32Array;
}

export interface Digitlab {
  presets(): string[];                               // ['linear', 'mlp', 'deep_mlp', 'cnn']
  presetArchitecture(name: string, dropout?: number): string;
  checkArchitecture(text: string): Summary;          // throws Error with the shape problem
  loadDigits(bytes: Uint8Array): number;             // the shipped data/digits.bin; returns the count
  loadFontDigits(bytes: Uint8Array): number;         // data/font-digits.bin (same format); returns the count
  createTrainer(options: TrainOptions): Trainer;     // needs loadDigits first
  loadModel(bytes: Uint8Array, options?: { seed?: number; testShare?: number }): Model;
  preprocess(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number): Preprocessed;
  heapBytes(): number;                               // current wasm heap size in use (for leak tests)
  // Benchmark hooks (engine/benchmark.h). gemmGflops: float n x n x n product GFLOP/s
  // (default 256, 10 repeats). benchTraining: a timed preset run on the loaded digits
  // (test share 0.2, no validation, batch 32, Adam 1e-3). splitIndices: the rows of that split.
  gemmGflops(n?: number, repeats?: number): number;
  benchTraining(preset: string, epochs: number, seed?: number): TrainingBench;
  splitIndices(testShare?: number, seed?: number): { train: Int32Array; test: Int32Array };
}

export function loadDigitlab(options?: { wasmBinary?: Uint8Array | ArrayBuffer }): Promise<Digitlab>;
