// The engine's sentences made again in the page's language (web/engine-text.js): numbers
// printed as the engine's C++ prints them, a diverged run's sentence with each way of naming
// the layer, and a gradient check's verdicts, in both languages. tests/wasm/inside.test.mjs
// checks them against the engine's own words for real runs.
import assert from 'node:assert/strict';
import test from 'node:test';

import { divergenceMessage, engineNumber, gradientReading } from '../../web/engine-text.js';
import { t } from '../../web/i18n.js';

test('engineNumber prints like std::ostream with precision 3 (or 6)', () => {
  const cases = [[2.3456e4, '2.35e+04'], [953.2, '953'], [999.6, '1e+03'], [1000, '1e+03'], [2.5249, '2.52'],
    [8.5649, '8.56'], [0.000123, '0.000123'], [0.00001, '1e-05'], [1.5e-7, '1.5e-07'], [10, '10'], [0, '0'],
    [-4.5e6, '-4.5e+06'], [Infinity, 'inf'], [-Infinity, '-inf'], [NaN, 'nan'], [1.2e123, '1.2e+123'],
    // Exact ties round to even, as printf does (JavaScript's toPrecision rounds them up).
    [1.125, '1.12'], [1.375, '1.38'], [100.5, '100'], [101.5, '102'], [1625, '1.62e+03'], [-1.125, '-1.12'], [999.5, '1e+03']];
  for (const [value, text] of cases) assert.equal(engineNumber(value), text, String(value));
  assert.equal(engineNumber(Math.fround(0.1), 6), '0.1');
  assert.equal(engineNumber(Math.fround(0.0008), 6), '0.0008');
  assert.equal(engineNumber(1234567, 6), '1.23457e+06');
  assert.equal(engineNumber(0.125, 2), '0.12');
  assert.equal(engineNumber(2.5, 1), '2');
  assert.equal(engineNumber(3.5, 1), '4');
});

const BASE = {
  epoch: 1, batch: 4, batchesPerEpoch: 45, divergedCause: 'loss_exploded', divergedLoss: 6080.4, divergedReferenceLoss: 2.634,
  divergedLayer: 'dense_2', divergedNorm: 1370.2, divergedRatio: 9.751, divergedBlewUpEpoch: 0, divergedBlewUpBatch: 0,
  suggestedLearningRate: Math.fround(0.3),
};

test('each cause and each way of naming the layer, in English and Chinese', () => {
  const say = (progress, lang, kept = false) => {
    const m = divergenceMessage({ ...BASE, ...progress }, 3, kept);
    return t(m.key, m.params, lang);
  };
  assert.equal(say({}, 'en'), 'Training diverged at epoch 2, batch 5: the loss exploded to 6.08e+03 (the first batch\'s was 2.63). '
    + 'No layer\'s gradients had blown up before; the largest growth was dense_2\'s: norm 1.37e+03, 9.75 times its running average. '
    + 'The weights were restored to the end of epoch 1. Try a lower learning rate (it is 3), e.g. 0.3.');
  assert.equal(say({ epoch: 0, divergedRatio: 0, divergedCause: 'loss_nan' }, 'en', true), 'Training diverged at epoch 1, batch 5: the loss became NaN. '
    + 'No layer\'s gradients had blown up or grown before; the largest were dense_2\'s: norm 1.37e+03. '
    + 'The weights were restored to their initial values. Try a lower learning rate (it is 3), e.g. 0.3. The last good model is kept.');
  assert.match(say({ divergedBlewUpEpoch: 1, divergedBlewUpBatch: 3, divergedRatio: 150 }, 'en'),
    /: the loss exploded to 6\.08e\+03 \(the first batch's was 2\.63\)\. The gradients of dense_2 blew up first, at epoch 1, batch 3: norm 1\.37e\+03, 150 times its running average\. /);
  assert.match(say({ divergedLayer: '', divergedCause: 'weights' }, 'en'), /: the weights became NaN or infinite\. The weights were restored/);
  // The weights are checked after an epoch's last batch: that is the batch named.
  assert.match(say({ divergedCause: 'weights', batch: 45 }, 'en'), /^Training diverged at epoch 2, batch 45: /);
  assert.equal(say({}, 'zh'), '训练在第 2 轮第 5 批发散：损失暴涨到 6.08e+03（第一批时是 2.63）。'
    + '此前没有哪一层的梯度爆炸；增长最多的是 dense_2：范数 1.37e+03，是它滑动平均的 9.75 倍。'
    + '权重已恢复到第 1 轮结束时。请调低学习率（现在是 3），例如 0.3。');
  for (const cause of ['loss_nan', 'loss_infinite', 'loss_exploded', 'gradients', 'weights']) {
    for (const lang of ['en', 'zh']) assert.doesNotMatch(say({ divergedCause: cause }, lang), /[{}]|undefined/);
  }
});

test('gradientReading: each verdict, as the engine words it in English, and in Chinese', () => {
  const say = (c, lang = 'en') => { const m = gradientReading(c); return t(m.key, m.params, lang); };
  assert.equal(say({ analytic: 0.5, numeric: 0.50001, relativeError: 2.6e-5 }), 'agree to 3e-05');
  assert.equal(say({ analytic: 0.5, numeric: 0.5, relativeError: 0 }), 'agree to 1e-09');
  assert.equal(say({ analytic: 1, numeric: 2, relativeError: 0.3333 }), 'disagree: relative error 0.33 (a kink of relu/max-pool within eps, or a bug)');
  assert.equal(say({ analytic: 0, numeric: 0, relativeError: 0 }), 'both are 0: this element does not change the loss of this batch (a unit that never fires?)');
  assert.equal(say({ analytic: NaN, numeric: 1, relativeError: NaN }), 'cannot compare: a gradient is not a finite number');
  assert.equal(say({ analytic: 0.5, numeric: 0.50001, relativeError: 2.6e-5 }, 'zh'), '两者一致（相对误差 3e-05）');
});
