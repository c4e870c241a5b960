// One neuron on four pixels of a real digit: drag its weights and bias, pick its activation
// and the upstream gradient dL/da; the engine's Dense(1) + activation layer compute the
// weighted sum z, the activation a, and backward dL/dw, dL/db, dL/dx.
import { el, showNumber, slider } from './dom.js';

const PIXELS = [19, 27, 36, 44];   // four pixels down the middle of the 8x8 image
const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'leaky_relu', 'linear'];

export function neuronWidget(engine, digit) {
  const weights = [0.8, -0.5, 0.6, 0.3];
  let bias = 0.1;
  let activation = 'sigmoid';
  let upstream = 1;
  const inputs = PIXELS.map((i) => digit[i]);
  const root = el('div', { className: 'lesson-widget neuron-widget', attrs: { 'data-widget': 'neuron' } });
  const controls = el('div', { className: 'lesson-controls' });
  weights.forEach((w, i) => {
    const { label } = slider({
      key: 'lesson.neuron.weight', params: { n: i + 1 }, min: -2, max: 2, step: 0.01, value: w, name: `w${i}`,
      onInput: (v) => { weights[i] = v; update(); },
    });
    controls.append(label);
  });
  controls.append(slider({ key: 'lesson.neuron.bias', min: -2, max: 2, step: 0.01, value: bias, name: 'bias',
    onInput: (v) => { bias = v; update(); } }).label);
  const select = el('select', { attrs: { name: 'activation' } });
  for (const name of ACTIVATIONS) select.append(el('option', { key: `lesson.act.${name}`, attrs: { value: name } }));
  select.value = activation;
  select.addEventListener('change', () => { activation = select.value; update(); });
  controls.append(el('label', { className: 'lesson-slider' }, [el('span', { key: 'lesson.neuron.activation' }), select]));
  controls.append(slider({ key: 'lesson.neuron.upstream', min: -2, max: 2, step: 0.01, value: upstream, name: 'upstream',
    onInput: (v) => { upstream = v; update(); } }).label);

  const out = {};
  const cell = (name, tag = 'td') => { out[name] = el(tag, { className: 'number', attrs: { 'data-output': name } }); return out[name]; };
  const table = el('table', { className: 'lesson-table' }, [
    el('thead', {}, [el('tr', {}, [el('th', { key: 'lesson.neuron.colInput' }), el('th', { key: 'lesson.neuron.colX' }),
      el('th', { key: 'lesson.neuron.colW' }), el('th', { key: 'lesson.neuron.colDw' }), el('th', { key: 'lesson.neuron.colDx' })])]),
    el('tbody', {}, PIXELS.map((pixel, i) => el('tr', {}, [el('td', { key: 'lesson.neuron.pixel', params: { n: i + 1, pixel: String(pixel) } }),
      cell(`x${i}`), cell(`w${i}`), cell(`dw${i}`), cell(`dx${i}`)]))),
  ]);
  const summary = el('p', { className: 'lesson-readout' }, [
    el('span', { key: 'lesson.neuron.z' }), cell('z', 'output'), ' · ', el('span', { key: 'lesson.neuron.a' }), cell('a', 'output'), ' · ',
    el('span', { key: 'lesson.neuron.db' }), cell('db', 'output'),
  ]);
  const error = el('p', { className: 'message error', attrs: { role: 'alert' } });
  error.hidden = true;
  root.append(controls, summary, el('div', { className: 'table-scroll' }, [table]), error);

  let token = 0;
  let computed = 0;
  async function update() {
    const mine = ++token;
    try {
      const r = await engine('neuron', [Float32Array.from(inputs), Float32Array.from(weights), bias, activation, upstream]);
      if (mine !== token) return;
      showNumber(out.z, r.weightedSum);
      showNumber(out.a, r.activation);
      showNumber(out.db, r.biasGrad);
      inputs.forEach((x, i) => {
        showNumber(out[`x${i}`], x);
        showNumber(out[`w${i}`], weights[i], 2);
        showNumber(out[`dw${i}`], r.weightGrad[i]);
        showNumber(out[`dx${i}`], r.inputGrad[i]);
      });
      error.hidden = true;
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
    root.dataset.computed = String(++computed);
  }
  update();
  return root;
}
