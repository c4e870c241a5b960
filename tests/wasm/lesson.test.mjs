// The lesson API through the wasm module: the neuron's gradients against finite differences
// of its own activation, activation and loss curves against their formulas, a layer on a
// digit, and bad arguments as clear errors (the module stays usable).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadModuleWithDigits } from './helpers.mjs';

const { lab } = await loadModuleWithDigits();

test('lesson api: a neuron\'s gradients equal finite differences', () => {
  const x = [0.2, -0.7, 1.1], w = [0.5, 0.3, -0.8], b = 0.1, up = 0.7, h = 1e-2;
  for (const act of ['sigmoid', 'tanh', 'leaky_relu', 'linear']) {
    const r = lab.lessonNeuron(x, w, b, act, up);
    assert.ok(Math.abs(r.weightedSum - (0.1 - 0.21 - 0.88 + 0.1)) < 1e-6);
    const loss = (ws, bias) => up * lab.lessonNeuron(x, ws, bias, act, up).activation;
    for (let i = 0; i < 3; i++) {
      const plus = [...w], minus = [...w];
      plus[i] += h; minus[i] -= h;
      const fd = (loss(plus, b) - loss(minus, b)) / (2 * h);
      assert.ok(Math.abs(r.weightGrad[i] - fd) < 2e-3 * Math.max(1, Math.abs(fd)), `${act} w${i}: ${r.weightGrad[i]} vs ${fd}`);
    }
    const fdb = (loss(w, b + h) - loss(w, b - h)) / (2 * h);
    assert.ok(Math.abs(r.biasGrad - fdb) < 2e-3 * Math.max(1, Math.abs(fdb)));
    assert.ok(Math.abs(r.inputGrad[1] - w[1] * r.biasGrad) < 1e-6);
  }
});

test('lesson api: activation and loss curves are the functions', () => {
  const c = lab.lessonActivation('tanh', -2, 2, 5);
  assert.deepEqual(Array.from(c.x), [-2, -1, 0, 1, 2]);
  c.x.forEach((v, i) => {
    assert.ok(Math.abs(c.value[i] - Math.tanh(v)) < 1e-6);
    assert.ok(Math.abs(c.derivative[i] - (1 - Math.tanh(v) ** 2)) < 1e-6);
  });
  const l = lab.lessonLoss('softmax_cross_entropy', 10, 0, [0.25, 0.75]);
  assert.ok(Math.abs(l.value[0] + Math.log(0.25)) < 1e-5 && Math.abs(l.gradient[1] - (0.75 - 1)) < 1e-5);
});

test('lesson api: a max-pool on a digit, and clear errors', () => {
  const digit = Float32Array.from({ length: 64 }, (_, i) => i);
  const r = lab.lessonLayer({ type: 'maxpool2d', size: 2 }, digit);
  assert.deepEqual(r.shape, [1, 4, 4]);
  assert.equal(r.output[0], 9);
  assert.throws(() => lab.lessonNeuron([1, 2], [1], 0, 'relu', 1), /as many weights/);
  assert.throws(() => lab.lessonActivation('swish', 0, 1, 3), /unknown activation/);
  assert.throws(() => lab.lessonLayer('{"type":"flatten"}', digit), /dense, conv2d or maxpool2d/);
  assert.throws(() => lab.lessonLoss('mse', 10, 0, [1.5]), /strictly between/);
  assert.equal(lab.lessonNeuron([1], [2], 0, 'linear', 1).activation, 2);   // still usable
});

test('lesson api: pre-activations counted by the engine (exact counts)', () => {
  const s = lab.lessonPreactivations(Float32Array.of(-1, 5, 0, -2, 0.5, -4.5), 3);
  assert.equal(s.dead, 2);
  assert.equal(s.saturated, 2);
  assert.ok(Math.abs(s.saturatedShare - 2 / 6) < 1e-7);
  assert.deepEqual([s.from, s.to, s.saturatedBeyond], [-6, 6, 4]);
  const expected = new Array(48).fill(0);
  for (const bin of [20, 44, 24, 16, 26, 6]) expected[bin] += 1;
  assert.deepEqual(Array.from(s.counts), expected);
  assert.throws(() => lab.lessonPreactivations([1, 2, 3], 2), /whole number of rows/);
  assert.throws(() => lab.lessonPreactivations([1, NaN], 2), /not a finite number/);
});

test('lesson api: the loss comparison trains each head from the same seed, in wasm as natively', (t) => {
  const start = performance.now();
  const usual = lab.lessonLossComparison({});
  const confident = lab.lessonLossComparison({ confidentLogit: 20 });
  t.diagnostic(`two comparisons of four heads: ${(performance.now() - start).toFixed(0)} ms`);
  assert.deepEqual(usual.runs.map((r) => r.head), ['softmax_cross_entropy', 'sigmoid_mse', 'sigmoid_clipped_log', 'softmax_clipped_log']);
  assert.deepEqual([usual.trainSize, usual.testSize], [1438, 359]);
  const [fused, , chapter, naive] = usual.runs;
  assert.ok(fused.testAccuracy.at(-1) > 0.9, String(fused.testAccuracy));
  assert.ok(chapter.testAccuracy.at(-1) < 0.3 && chapter.loss.at(-1) < 0.01);
  naive.testAccuracy.forEach((a, e) => assert.ok(Math.abs(a - fused.testAccuracy[e]) < 1e-6));
  // Confidently "0": every other training digit passes exactly no gradient through the clip.
  // 1296 = 1438 training digits - the 142 zeros (test_loss_comparison.cpp counts them in the split).
  assert.deepEqual(Array.from(confident.runs[3].stuck), new Array(8).fill(1296));
  assert.ok(confident.runs[0].testAccuracy.at(-1) > 0.9);
  assert.ok(confident.runs[0].stuck.every((n) => n === 0));
  assert.throws(() => lab.lessonLossComparison({ epochs: 2.5 }), /epochs must be a whole number/);
  assert.throws(() => lab.lessonLossComparison({ confidentLogit: 100 }), /confident logit/);
  assert.throws(() => lab.lessonLossComparison('fast'), /must be an object/);
});

test('lesson api: a per-sample loop gives the batch\'s gradient', () => {
  const r = lab.lessonLoopVersusBatch(1438, 2, 42);
  assert.equal(r.samples, 1438);
  assert.ok(r.maxGradient > 1e-3);
  assert.ok(r.maxDifference < 1e-6, String(r.maxDifference));
  assert.ok(Math.abs(r.loopLoss - r.batchLoss) < 1e-5);
  assert.ok(r.loopMs > 0 && r.batchMs > 0);
  assert.throws(() => lab.lessonLoopVersusBatch(0, 1, 42), /samples/);
});
