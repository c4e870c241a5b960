// The digitlab side of the JS benchmarks, shared by Node (wasm-node.mjs) and the Chromium
// worker (web/bench-worker.mjs): takes a loaded Digitlab API (web/digitlab.d.ts) and returns
// JSON line objects. Trains in slices of batches per call, as the page does, timing whole
// epochs in JS (call overhead included) and excluding evaluation from the timing.
import { BATCH_SIZE, EPOCHS, LEARNING_RATE, SEED, TEST_SHARE, trainingLine } from './common.mjs';
import { DEFAULT_SETTINGS, trainOptions } from '../web/state.js';

// Batches per train() call, and never past an epoch's end, so epochs are timed whole. The
// page's worker makes its slices ~40 ms long (web/worker.js): hundreds of mlp batches.
const SLICE_BATCHES = 50;

export function benchDigitlabGemm(dl, engine) {
  dl.gemmGflops(256, 20);  // warm-up: the first calls run in the engine's baseline (Liftoff) tier
  return { engine, model: 'gemm256', gflops: Number(dl.gemmGflops(256, 30).toFixed(3)) };
}

// The augmentation's distortions per second (engine/benchmark.h bench_augment): the page
// default's 6 copies of the split's training digits, median of 5 timed runs after a warm-up
// run. checksum: CRC-32 of the copies, equal to digitlab-native's when the builds agree.
export function benchDigitlabAugment(dl, engine, { copies = 6, repeats = 5 } = {}) {
  const r = dl.module._benchAugment(copies, repeats, SEED);
  return { engine, model: 'augment', distortions_per_sec: Math.round(r.distortionsPerSec),
           distortions: r.distortions, repeats: r.repeats, spread: Number(r.spread.toFixed(3)), checksum: r.checksum };
}

// Throwaway training (at least two epochs and half a second), so the measured run starts in
// the optimised tier: V8 tiers a long wasm function up only between calls, and in Chromium
// two short epochs of the mlp (~10 ms) proved too little (medians then swung 2x run to run).
function warmUp(dl, model, now) {
  const t = dl.createTrainer({ architecture: dl.presetArchitecture(model), epochs: 1000, validationShare: 0,
                               testShare: TEST_SHARE, seed: SEED + 1 });
  try {
    const t0 = now();
    let p = t.progress();
    while (!p.done && (p.epoch < 2 || now() - t0 < 500)) p = t.train(SLICE_BATCHES);
  } finally {
    t.delete();
  }
}

// Trains preset `model` for EPOCHS[model] epochs; reports samples/s, test accuracy and the
// largest wasm heap seen while training.
// model 'augment' gives benchDigitlabAugment's line instead.
export function benchDigitlab(dl, engine, model, { epochs = EPOCHS[model], now = () => performance.now() } = {}) {
  if (model === 'augment') return benchDigitlabAugment(dl, engine);
  warmUp(dl, model, now);
  const trainer = dl.createTrainer({
    architecture: dl.presetArchitecture(model), optimizer: 'adam', learningRate: LEARNING_RATE,
    batchSize: BATCH_SIZE, epochs, seed: SEED, validationShare: 0, testShare: TEST_SHARE,
  });
  try {
    const epochSeconds = [];
    let heapMax = dl.heapBytes();
    let p = trainer.progress();
    while (!p.done) {
      const t0 = now();
      const epoch = p.epoch;
      while (!p.done && p.epoch === epoch) {
        const remaining = p.batchesPerEpoch > 0 ? p.batchesPerEpoch - p.batch : SLICE_BATCHES;
        p = trainer.train(Math.min(SLICE_BATCHES, remaining));
      }
      epochSeconds.push((now() - t0) / 1000);
      heapMax = Math.max(heapMax, dl.heapBytes());
    }
    if (p.diverged) throw new Error(`${engine} ${model} diverged: ${p.message}`);
    const samplesPerEpoch = Math.round(p.samplesSeen / epochs);
    const testAccuracy = trainer.evaluate().accuracy;
    return trainingLine(engine, model, { epochSeconds, samplesPerEpoch, testAccuracy, epochs,
                                         extra: { heap_mb: Number((heapMax / 2 ** 20).toFixed(2)) } });
  } finally {
    trainer.delete();
  }
}

// The page's default settings (web/state.js): training seconds (engine-measured, in
// slices, evaluation excluded) until the test accuracy after an epoch first reaches `target`,
// for the page's seed and, in seconds_by_seed, for other seeds (other splits and inits).
// overrides: settings to change (e.g. {augment: false}), named in the line's model field.
export function benchTimeToAccuracy(dl, engine, { target = 0.97, overrides = {}, otherSeeds = [1, 2, 3, 4, 5] } = {}) {
  const base = { ...DEFAULT_SETTINGS, ...overrides };
  const runs = [base.seed, ...otherSeeds].map((seed) => timeToAccuracy(dl, { ...base, seed }, target));
  const variant = Object.entries(overrides).map(([k, v]) => `-${k}-${v}`).join('');
  const [main] = runs;
  return { engine, model: `page-default-${base.preset}${variant}`, metric: `seconds_to_${Math.round(target * 100)}pct`,
           seconds: main.seconds, epochs: main.epochs, test_accuracy: main.accuracy,
           seconds_by_seed: Object.fromEntries(runs.map((r, i) => [i === 0 ? base.seed : otherSeeds[i - 1], r.seconds])),
           augment: base.augment, learning_rate: base.learningRate, lr_schedule: base.lrSchedule };
}

function timeToAccuracy(dl, settings, target) {
  const trainer = dl.createTrainer(trainOptions(settings, dl.presetArchitecture(settings.preset, settings.dropout)));
  try {
    let p = trainer.progress();
    let accuracy = 0, seconds = null, epochs = 0;
    while (!p.done) {
      p = trainer.train(Math.min(SLICE_BATCHES, p.batchesPerEpoch - p.batch));
      if (p.epoch > epochs) {
        epochs = p.epoch;
        accuracy = trainer.evaluate().accuracy;
        if (accuracy >= target) { seconds = p.trainSeconds; break; }
      }
    }
    return { seconds: seconds === null ? null : Number(seconds.toFixed(4)), epochs, accuracy: Number(accuracy.toFixed(4)) };
  } finally {
    trainer.delete();
  }
}
