// Small DOM builders for the lesson's sections: every text goes through i18n.js (setText),
// so the lesson switches language with the page.
import { formatNumber, setText } from '../i18n.js';

export function el(tag, { className, key, params, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (key) setText(node, key, params);
  for (const [name, value] of Object.entries(attrs ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

// A labelled range input; onInput(value) on every move.
export function slider({ key, params, min, max, step, value, name, onInput }) {
  const input = el('input', { attrs: { type: 'range', min: String(min), max: String(max), step: String(step), name } });
  input.value = String(value);
  const shown = el('output', { className: 'lesson-value' });
  const show = () => { shown.textContent = formatNumber(Number(input.value), { maximumFractionDigits: 2, minimumFractionDigits: 2 }); };
  show();
  input.addEventListener('input', () => { show(); onInput(Number(input.value)); });
  const label = el('label', { className: 'lesson-slider' }, [el('span', { key, params }), input, shown]);
  return { label, input };
}

// A number the engine computed: its text in the page's language, its exact value in data-value
// (what the tests read).
export function showNumber(node, value, digits = 4) {
  node.dataset.value = String(value);
  node.textContent = formatNumber(value, { maximumFractionDigits: digits, minimumFractionDigits: Math.min(2, digits) });
}

export function section(name, children) {
  return el('section', { className: 'card lesson-section', attrs: { 'data-section': name, id: `lesson-${name}` } }, [
    el('h2', { key: `lesson.${name}.title` }), el('p', { className: 'lesson-intro', key: `lesson.${name}.intro` }), ...children,
  ]);
}
