// The TF.js peer: the same models, loss, optimizer, batch size and data as digitlab, trained
// the fastest way we found TF.js to go: plain ops on variables (faster than tf.layers) in a
// manual loop with optimizer.minimize (model.fit was slower still).
// Takes the `tf` namespace as an argument so it runs unchanged in Node and in a Web Worker.
import { BATCH_SIZE, EPOCHS, LEARNING_RATE, trainingLine } from './common.mjs';

// The model as plain tf ops on tf.variables: about 10% faster than the same network through
// tf.layers (tf.sequential + net.apply) with the wasm backend, measured in Node.
// Returns {forward(x, n) -> logits, variables}.
function buildModel(tf, model) {
  let seed = 42;
  const he = (shape, fanIn) => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed++));
  const zeros = (n) => tf.variable(tf.zeros([n]));
  if (model === 'mlp') {
    const w1 = he([64, 128], 64), b1 = zeros(128), w2 = he([128, 10], 128), b2 = zeros(10);
    return {
      forward: (x) => tf.relu(x.matMul(w1).add(b1)).matMul(w2).add(b2),
      variables: [w1, b1, w2, b2],
    };
  }
  if (model === 'cnn') {
    // channels-last (8, 8, 1); the same maths as digitlab's channel-major layout.
    const k1 = he([3, 3, 1, 16], 9), c1 = zeros(16), k2 = he([3, 3, 16, 32], 144), c2 = zeros(32);
    const w3 = he([128, 10], 128), b3 = zeros(10);
    return {
      forward: (x, n) => {
        const h1 = tf.maxPool(tf.relu(tf.conv2d(x, k1, 1, 'same').add(c1)), 2, 2, 'valid');
        const h2 = tf.maxPool(tf.relu(tf.conv2d(h1, k2, 1, 'same').add(c2)), 2, 2, 'valid');
        return h2.reshape([n, 128]).matMul(w3).add(b3);
      },
      variables: [k1, c1, k2, c2, w3, b3],
    };
  }
  throw new Error(`unknown benchmark model "${model}"`);
}

function shuffledOrder(n, state) {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    state.s = (Math.imul(state.s, 1664525) + 1013904223) >>> 0;
    const j = state.s % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

// Trains `model` for EPOCHS[model] epochs on data.train and returns the JSON line object.
// data: {train: {x, y}, test: {x, y}} with x as Float32Array (N*64) in [0, 1].
// budgetSeconds: a slow peer (TF.js cpu on the cnn runs ~100 samples/s) stops after the epoch
// that crosses the budget, and its line reports the epochs it really trained.
export async function benchTfjs(tf, engine, model, data,
                                { epochs = EPOCHS[model], budgetSeconds = 60, now = () => performance.now() } = {}) {
  if (model === 'cnn' && tf.getBackend() === 'wasm') {
    // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel: it cannot train a CNN.
    return { engine, model, error: "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'" };
  }
  const shape = model === 'cnn' ? [8, 8, 1] : [64];
  const nTrain = data.train.y.length;
  const xTrain = tf.tensor(data.train.x, [nTrain, ...shape]);
  const yTrain = tf.oneHot(tf.tensor1d(data.train.y, 'int32'), 10).toFloat();
  const net = buildModel(tf, model);
  const optimizer = tf.train.adam(LEARNING_RATE);
  const rng = { s: 42 };
  const epochSeconds = [];
  for (let e = 0; e < epochs; e++) {
    const t0 = now();
    const idx = tf.tensor1d(shuffledOrder(nTrain, rng), 'int32');
    const xs = tf.gather(xTrain, idx);
    const ys = tf.gather(yTrain, idx);
    let lastLoss = null;
    for (let b = 0; b < nTrain; b += BATCH_SIZE) {
      const n = Math.min(BATCH_SIZE, nTrain - b);
      if (lastLoss) lastLoss.dispose();
      lastLoss = tf.tidy(() => {
        const xb = xs.slice([b], [n]);
        const yb = ys.slice([b], [n]);
        return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, net.forward(xb, n)), true, net.variables);
      });
    }
    await lastLoss.data();  // the epoch is over only when its last step has run
    lastLoss.dispose();
    tf.dispose([idx, xs, ys]);
    epochSeconds.push((now() - t0) / 1000);
    if (epochSeconds.length >= 2 && epochSeconds.reduce((a, b) => a + b) > budgetSeconds) break;
  }
  const nTest = data.test.y.length;
  const accuracy = tf.tidy(() => {
    const pred = net.forward(tf.tensor(data.test.x, [nTest, ...shape]), nTest).argMax(1);
    return pred.equal(tf.tensor1d(data.test.y, 'int32')).sum().dataSync()[0] / nTest;
  });
  tf.dispose([xTrain, yTrain]);
  tf.dispose(net.variables);
  optimizer.dispose();
  return trainingLine(engine, model, { epochSeconds, samplesPerEpoch: nTrain, testAccuracy: accuracy, epochs: epochSeconds.length,
                                       extra: { backend: tf.getBackend() } });
}

// GFLOP/s of a float 256x256x256 tf.matMul (the backend's own ceiling).
export async function benchTfjsMatMul(tf, engine, { n = 256, repeats = 20, now = () => performance.now() } = {}) {
  const a = tf.randomUniform([n, n]);
  const b = tf.randomUniform([n, n]);
  for (let i = 0; i < 3; i++) { const c = tf.matMul(a, b); await c.data(); c.dispose(); }
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = now();
    const c = tf.matMul(a, b);
    await c.data();
    times.push((now() - t0) / 1000);
    c.dispose();
  }
  tf.dispose([a, b]);
  times.sort((x, y) => x - y);
  const med = times[times.length >> 1];
  return { engine, model: 'gemm256', gflops: Number((2 * n * n * n / med / 1e9).toFixed(3)), backend: tf.getBackend() };
}
