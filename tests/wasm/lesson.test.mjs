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
