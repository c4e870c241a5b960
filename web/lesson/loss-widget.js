// MSE and softmax cross-entropy as the probability of the true class moves: value and
// gradient (dLoss/d output of the true class) from the engine's Loss classes, plotted over
// p, and read at the slider's p.
import { drawPlot } from '../views/xy-plot.js';
import { el, showNumber, slider } from './dom.js';

const CLASSES = 10, TRUE_CLASS = 3;
const GRID = Float32Array.from({ length: 99 }, (_, i) => (i + 1) / 100);   // p = 0.01 .. 0.99
const LOSSES = [['softmax_cross_entropy', '#3b6fe0'], ['mse', '#e0793b']];

export function lossWidget(engine) {
  let p = 0.5;
  let curves = null;
  const root = el('div', { className: 'lesson-widget', attrs: { 'data-widget': 'losses' } });
  const { label } = slider({ key: 'lesson.losses.p', min: 0.01, max: 0.99, step: 0.01, value: p, name: 'p',
    onInput: (v) => { p = v; show(); } });
  const valuePlot = el('canvas', { className: 'lesson-plot' });
  const gradPlot = el('canvas', { className: 'lesson-plot' });
  const out = {};
  const rows = LOSSES.map(([name, color]) => {
    out[name] = { value: el('td', { className: 'number', attrs: { 'data-output': `${name}-value` } }),
      gradient: el('td', { className: 'number', attrs: { 'data-output': `${name}-gradient` } }) };
    const swatch = el('i', { className: 'swatch' });
    swatch.style.background = color;
    return el('tr', {}, [el('td', {}, [swatch, el('span', { key: `lesson.losses.${name}` })]), out[name].value, out[name].gradient]);
  });
  const table = el('table', { className: 'lesson-table' }, [
    el('thead', {}, [el('tr', {}, [el('th', { key: 'lesson.losses.colLoss' }), el('th', { key: 'lesson.losses.colValue' }),
      el('th', { key: 'lesson.losses.colGradient' })])]), el('tbody', {}, rows)]);
  root.append(el('div', { className: 'lesson-controls' }, [label]),
    el('div', { className: 'lesson-plots' }, [
      el('figure', {}, [el('figcaption', { key: 'lesson.losses.valuePlot' }), valuePlot]),
      el('figure', {}, [el('figcaption', { key: 'lesson.losses.gradientPlot' }), gradPlot])]),
    el('div', { className: 'table-scroll' }, [table]));

  async function show() {
    if (!curves) return;
    // The readout is the engine's answer at exactly this p (not read off the plot).
    const at = await Promise.all(LOSSES.map(([name]) => engine('loss', [name, CLASSES, TRUE_CLASS, Float32Array.of(p)])));
    LOSSES.forEach(([name], i) => {
      showNumber(out[name].value, at[i].value[0]);
      showNumber(out[name].gradient, at[i].gradient[0]);
    });
    root.dataset.p = String(p);
    const x = Array.from(GRID);
    drawPlot(valuePlot, { curves: LOSSES.map(([, color], i) => ({ x, y: curves[i].value, color })), marks: [p], x: [0, 1], y: [0, 5] });
    drawPlot(gradPlot, { curves: LOSSES.map(([, color], i) => ({ x, y: curves[i].gradient, color })), marks: [p], x: [0, 1], y: [-2, 0] });
    root.dataset.computed = String(Number(root.dataset.computed ?? 0) + 1);
  }
  (async () => {
    curves = await Promise.all(LOSSES.map(([name]) => engine('loss', [name, CLASSES, TRUE_CLASS, GRID])));
    show();
  })();
  new ResizeObserver(() => show()).observe(valuePlot);
  return root;
}
