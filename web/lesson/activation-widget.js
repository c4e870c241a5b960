// Each activation function and its derivative over -5..5, both from the engine's activation
// layers (forward, and backward of an upstream gradient of ones); a slider reads both at a
// point of the curve.
import { drawPlot } from '../views/xy-plot.js';
import { t } from '../i18n.js';
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
    el('span', { key: 'lesson.activations.function' }), select]), label]), canvas, legend);

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
