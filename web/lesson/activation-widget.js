// Each activation function and its derivative over -5..5, both from the engine's activation
// layers (forward, and backward of an upstream gradient of ones); a slider reads both at a
// point of the curve.
import { drawPlot } from '../views/xy-plot.js';
import { setMessage, setText, t } from '../i18n.js';
import { el, showNumber, slider } from './dom.js';

const FUNCTIONS = ['relu', 'leaky_relu', 'sigmoid', 'tanh'];
const FROM = -5, TO = 5, POINTS = 201;   // a sample every 0.05
const STEP = (TO - FROM) / (POINTS - 1);

export function activationWidget(engine) {
  let name = 'sigmoid';
  let at = 0;
  let curve = null;
  const root = el('div', { className: 'lesson-widget', attrs: { 'data-widget': 'activations' } });
  const select = el('select', { attrs: { name: 'function' } });
  for (const f of FUNCTIONS) select.append(el('option', { key: `lesson.act.${f}`, attrs: { value: f } }));
  select.value = name;
  select.addEventListener('change', () => { name = select.value; load(); });
  const { label } = slider({ key: 'lesson.activations.at', min: FROM, max: TO, step: STEP, value: at, name: 'x',
    onInput: (v) => { at = v; show(); } });
  const canvas = el('canvas', { className: 'lesson-plot', attrs: {
    role: 'img', 'aria-label': t('lesson.activations.plotLabel'), 'data-i18n-aria-label': 'lesson.activations.plotLabel' } });
  const value = el('output', { attrs: { 'data-output': 'value' } });
  const derivative = el('output', { attrs: { 'data-output': 'derivative' } });
  const legend = el('p', { className: 'lesson-readout' }, [
    el('i', { className: 'key-line value' }), el('span', { key: 'lesson.activations.value' }), value, ' · ',
    el('i', { className: 'key-line derivative' }), el('span', { key: 'lesson.activations.derivative' }), derivative,
  ]);
  root.append(el('div', { className: 'lesson-controls' }, [el('label', { className: 'lesson-slider' }, [
    el('span', { key: 'lesson.activations.function' }), select]), label]), canvas, legend, trainedPart(engine));

  function show() {
    if (!curve) return;
    const i = Math.round((at - FROM) / STEP);   // the slider moves on the curve's own samples
    showNumber(value, curve.value[i]);
    showNumber(derivative, curve.derivative[i]);
    root.dataset.x = String(curve.x[i]);
    drawPlot(canvas, {
      curves: [{ x: curve.x, y: curve.value, color: '#3b6fe0' }, { x: curve.x, y: curve.derivative, color: '#e0793b', dashed: true }],
      marks: [curve.x[i]], x: [FROM, TO], y: name === 'relu' || name === 'leaky_relu' ? [-1, 5] : [-1, 1],
    });
    root.dataset.computed = String(Number(root.dataset.computed ?? 0) + 1);
  }
  async function load() {
    curve = await engine('activation', [name, FROM, TO, POINTS]);
    show();
  }
  load();
  new ResizeObserver(() => show()).observe(canvas);
  return root;
}

// The model in use, on real digits: the pre-activations (the input of each activation layer,
// traced by the engine for 64 test digits) as a histogram, with the units that never fire (a
// ReLU whose input is never above 0: dead) and the share of sigmoid / tanh inputs beyond +-4,
// where the derivative is under 0.02 (saturated): the engine counts all three
// (summarize_preactivations in engine/lesson.h); this draws them.
function trainedPart(engine) {
  const box = el('div', { className: 'preactivations', attrs: { 'data-widget': 'preactivations' } });
  const button = el('button', { className: 'secondary small', key: 'lesson.activations.look', attrs: { type: 'button' } });
  const list = el('ul', { className: 'lesson-list' });
  const plot = el('canvas', { className: 'lesson-plot' });
  plot.hidden = true;
  const message = el('p', { className: 'muted small' });
  box.append(button, list, plot, message);
  button.addEventListener('click', async () => {
    const samples = 64;
    try {
      show(await engine('preactivations', [], { count: samples }));
    } catch (err) {
      setMessage(message, err.text ?? err.message);
    }
  });
  function show(layers) {
    setMessage(message, '');
    const items = layers.map((summary) => {
      const item = el('li', { attrs: { 'data-layer': summary.name, 'data-dead': String(summary.dead),
        'data-saturated': String(summary.saturatedShare), 'data-saturated-count': String(summary.saturated) } });
      if (summary.type === 'relu' || summary.type === 'leaky_relu') {
        setText(item, 'lesson.activations.dead', { name: summary.name, units: summary.units, dead: summary.dead });
      } else {
        setText(item, 'lesson.activations.saturated', { name: summary.name, units: summary.units,
          percent: Math.round(summary.saturatedShare * 100) });
      }
      return { item, summary };
    });
    list.replaceChildren(...items.map((i) => i.item));
    if (!items.length) setText(message, 'lesson.activations.none');
    plot.hidden = !items.length;
    if (!items.length) return;
    const { from, to } = items[0].summary;
    const width = (to - from) / items[0].summary.counts.length;
    const colors = ['#3b6fe0', '#e0793b', '#1f9d6b', '#b5369b'];
    const curves = items.map(({ summary }, k) => {
      const top = Math.max(1, ...summary.counts);
      const x = [], y = [];
      summary.counts.forEach((c, b) => { x.push(from + b * width, from + (b + 1) * width); y.push(c / top, c / top); });
      return { x, y, color: colors[k % colors.length] };
    });
    drawPlot(plot, { curves, x: [from, to], y: [0, 1] });
    box.dataset.computed = String(Number(box.dataset.computed ?? 0) + 1);
  }
  return box;
}
