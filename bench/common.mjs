// Shared by every benchmark runner, in Node and in the browser (no imports): the models'
// FLOP counts, the statistics over epochs and the JSON line format of README.md
// "Benchmarks". Loading data from disk lives in node-data.mjs, not here.

export const BATCH_SIZE = 32;
export const LEARNING_RATE = 1e-3;
export const SEED = 42;
export const TEST_SHARE = 0.2;
// Fixed epoch counts, so test_accuracy compares engines after the same amount of training.
export const EPOCHS = { mlp: 20, cnn: 10 };
export const WARMUP_EPOCHS = 1;  // excluded from the median

// Multiply-accumulates of each layer's forward product for one sample, per model:
//   mlp: dense 64*128, dense 128*10
//   cnn: conv1 (1*9)*16 at 8*8 positions, conv2 (16*9)*32 at 4*4, dense 128*10
const LAYER_MACS = { mlp: [64 * 128, 128 * 10], cnn: [9 * 16 * 64, 144 * 32 * 16, 128 * 10] };

// FLOPs of forward + backward for one sample, 2 per multiply-accumulate, counting only the
// products that are needed (the engine's training_flops_per_sample, checked equal by
// tests/wasm/bench.test.mjs): every layer's forward and weight-gradient products, and the
// input-gradient product of every layer but the first, whose input gradient nobody reads.
// The same count serves every engine, so GFLOP/s compare like with like.
export function trainingFlopsPerSample(model) {
  const layers = LAYER_MACS[model];
  if (!layers) throw new Error(`unknown benchmark model "${model}" (expected mlp or cnn)`);
  return 2 * layers.reduce((sum, macs, i) => sum + macs * (i === 0 ? 2 : 3), 0);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// samples_per_sec = median over the epochs after the warm-up; spread = (max - min) / median.
export function summariseEpochs(epochSeconds, samplesPerEpoch) {
  const rates = epochSeconds.slice(WARMUP_EPOCHS).map((s) => samplesPerEpoch / s);
  const med = median(rates);
  return { samplesPerSec: med, spread: (Math.max(...rates) - Math.min(...rates)) / med };
}

const round = (x, digits) => Number(x.toFixed(digits));

// One JSON line (as an object) for a training run.
export function trainingLine(engine, model, { epochSeconds, samplesPerEpoch, testAccuracy, epochs, extra = {} }) {
  const { samplesPerSec, spread } = summariseEpochs(epochSeconds, samplesPerEpoch);
  return {
    engine, model,
    samples_per_sec: Math.round(samplesPerSec),
    gflops: round(samplesPerSec * trainingFlopsPerSample(model) / 1e9, 3),
    test_accuracy: round(testAccuracy, 4),
    epochs,
    spread: round(spread, 3),
    train_samples: samplesPerEpoch,
    ...extra,
  };
}

export function gemmLine(engine, gflops, extra = {}) {
  return { engine, model: 'gemm256', gflops: round(gflops, 3), ...extra };
}

// Stratified, seeded split used only when the engine's own split indices are not
// available (see node-data.mjs); marked "split":"js-fallback" in the output.
export function fallbackSplit(labels, testShare, seed) {
  let s = seed >>> 0 || 1;
  const rand = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const train = [], test = [];
  for (let c = 0; c < 10; c++) {
    const rows = [];
    labels.forEach((y, i) => { if (y === c) rows.push(i); });
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    const nTest = Math.round(rows.length * testShare);
    test.push(...rows.slice(0, nTest));
    train.push(...rows.slice(nTest));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

// Gathers rows of the (N, 64) features (already scaled to [0, 1]) and their labels.
export function gatherRows(x, y, indices) {
  const out = new Float32Array(indices.length * 64);
  const labels = new Int32Array(indices.length);
  indices.forEach((r, i) => { out.set(x.subarray(r * 64, r * 64 + 64), i * 64); labels[i] = y[r]; });
  return { x: out, y: labels };
}
