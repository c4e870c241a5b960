// What goes wrong with sigmoid outputs, a clipped log and a per-sample loop, shown by
// training: the engine trains the same small MLP from the same seed with the fused softmax
// cross-entropy and with three flawed heads (engine/loss_comparison.h), from an ordinary
// start or a confidently wrong one (large logits), and computes one gradient in a per-sample
// loop and as one batch, timing both. This draws the curves and numbers it returns.
import { drawPlot } from '../views/xy-plot.js';
import { setMessage, setText, t } from '../i18n.js';
import { el, showNumber } from './dom.js';

export const HEADS = [['softmax_cross_entropy', '#3b6fe0'], ['sigmoid_mse', '#e0793b'], ['sigmoid_clipped_log', '#1f9d6b'],
  ['softmax_clipped_log', '#b5369b']];
// The usual initialisation, or one whose output bias of class 0 is 20 higher: a network that
// calls every digit a 0 with confidence (p of the true class ~ e^-20, under the clip).
export const STARTS = { ordinary: { confidentLogit: 0 }, confident: { confidentLogit: 20 } };
export const TRAINING = { epochs: 8, hidden: 32, batch: 32, learningRate: 0.1, seed: 42 };
export const LOOP = { samples: 1438, repeats: 3, seed: 42 };

export function lossTrainingWidget(engine) {
  const root = el('div', { className: 'lesson-widget', attrs: { 'data-widget': 'loss-training' } });
  const select = el('select', { attrs: { name: 'start' } });
  for (const name of Object.keys(STARTS)) select.append(el('option', { key: `lesson.losses.start.${name}`, attrs: { value: name } }));
  select.addEventListener('change', () => train());
  const plot = el('canvas', { className: 'lesson-plot', attrs: {
    role: 'img', 'aria-label': t('lesson.losses.trainedPlot'), 'data-i18n-aria-label': 'lesson.losses.trainedPlot' } });
  const status = el('p', { className: 'muted small', attrs: { 'aria-live': 'polite', 'data-output': 'status' } });
  const cells = {};
  const rows = HEADS.map(([head, color]) => {
    const cell = (name) => el('td', { className: 'number', attrs: { 'data-output': `${head}-${name}` } });
    cells[head] = { accuracy: cell('accuracy'), loss: cell('loss'), stuck: cell('stuck'), push: cell('push'), overflow: el('td', {}) };
    const swatch = el('i', { className: 'swatch' });
    swatch.style.background = color;
    return el('tr', { attrs: { 'data-head': head } }, [el('td', {}, [swatch, el('span', { key: `lesson.losses.head.${head}` })]),
      cells[head].accuracy, cells[head].loss, cells[head].stuck, cells[head].push, cells[head].overflow]);
  });
  const table = el('table', { className: 'lesson-table' }, [
    el('thead', {}, [el('tr', {}, ['colHead', 'colAccuracy', 'colLoss', 'colStuck', 'colPush', 'colOverflow'].map(
      (key) => el('th', { key: `lesson.losses.${key}` })))]), el('tbody', {}, rows)]);
  const loop = loopPart(engine);
  root.append(el('div', { className: 'lesson-controls' }, [el('label', { className: 'lesson-slider' }, [
    el('span', { key: 'lesson.losses.start' }), select])]),
  el('figure', {}, [el('figcaption', { key: 'lesson.losses.trainedPlot' }), plot]),
  el('div', { className: 'table-scroll' }, [table]), status,
  el('ul', { className: 'lesson-list' }, HEADS.map(([head]) => el('li', { key: `lesson.losses.why.${head}` }))), loop);

  let result = null;
  let token = 0;
  async function train() {
    const mine = ++token;
    select.disabled = true;
    setText(status, 'lesson.losses.training');
    try {
      const answer = await engine('lossComparison', [{ ...TRAINING, ...STARTS[select.value] }]);
      if (mine !== token) return;
      result = answer;
      show();
      setText(status, 'lesson.losses.trained', { train: answer.trainSize, test: answer.testSize, epochs: TRAINING.epochs });
    } catch (err) {
      if (mine === token) setMessage(status, err.text ?? err.message);
    } finally {
      if (mine === token) select.disabled = false;
    }
  }
  function show() {
    if (!result) return;
    for (const run of result.runs) {
      const last = run.loss.length - 1;
      const c = cells[run.head];
      showNumber(c.accuracy, run.testAccuracy[last]);
      showNumber(c.loss, run.loss[last]);
      showNumber(c.stuck, run.stuck[last], 0);
      showNumber(c.push, run.wrongPush[last], 3);
      c.overflow.dataset.value = String(run.nonfiniteEpoch);
      setText(c.overflow, run.nonfiniteEpoch ? 'lesson.losses.overflowAt' : 'lesson.losses.overflowNone', { epoch: run.nonfiniteEpoch });
    }
    const curves = result.runs.map((run) => ({
      x: Array.from(run.testAccuracy, (_, i) => i + 1), y: Array.from(run.testAccuracy),
      color: HEADS.find(([head]) => head === run.head)[1],
    }));
    drawPlot(plot, { curves, x: [1, TRAINING.epochs], y: [0, 1] });
    root.dataset.start = select.value;
    root.dataset.computed = String(Number(root.dataset.computed ?? 0) + 1);
  }
  train();
  new ResizeObserver(() => show()).observe(plot);
  return root;
}

// The chapter's per-sample loop against one batch: the same gradient (their largest
// difference), the time of each, measured by the engine.
function loopPart(engine) {
  const box = el('div', { attrs: { 'data-widget': 'loss-loop' } });
  const button = el('button', { className: 'secondary small', key: 'lesson.losses.loopRun', attrs: { type: 'button' } });
  const out = Object.fromEntries(['loopMs', 'batchMs', 'speedup', 'maxDifference', 'maxGradient'].map(
    (name) => [name, el('output', { attrs: { 'data-output': name } })]));
  const readout = el('p', { className: 'lesson-readout' });
  readout.hidden = true;
  const message = el('p', { className: 'muted small' });
  const part = (key, output) => [el('span', { key }), output];
  readout.append(...part('lesson.losses.loopTime', out.loopMs), ' · ', ...part('lesson.losses.batchTime', out.batchMs), ' · ',
    ...part('lesson.losses.speedup', out.speedup), el('br'), ...part('lesson.losses.difference', out.maxDifference), ' · ',
    ...part('lesson.losses.largest', out.maxGradient));
  box.append(el('p', { className: 'small', key: 'lesson.losses.loopIntro', params: { samples: LOOP.samples } }), button, readout, message);
  button.addEventListener('click', async () => {
    button.disabled = true;
    setMessage(message, '');
    try {
      const r = await engine('loopVersusBatch', [LOOP.samples, LOOP.repeats, LOOP.seed]);
      showNumber(out.loopMs, r.loopMs, 2);
      showNumber(out.batchMs, r.batchMs, 2);
      showNumber(out.speedup, r.loopMs / r.batchMs, 1);
      out.maxDifference.dataset.value = String(r.maxDifference);
      out.maxDifference.textContent = r.maxDifference.toExponential(1);
      showNumber(out.maxGradient, r.maxGradient, 4);
      box.dataset.samples = String(r.samples);
      box.dataset.loopLoss = String(r.loopLoss);
      box.dataset.batchLoss = String(r.batchLoss);
      readout.hidden = false;
      box.dataset.computed = String(Number(box.dataset.computed ?? 0) + 1);
    } catch (err) {
      setMessage(message, err.text ?? err.message);
    } finally {
      button.disabled = false;
    }
  });
  return box;
}
