// The exercises: one click trains three runs on the same seed that differ in one thing
// (optimizer, regularization, architecture); they land in the runs table and their curves
// overlay one another there (runs-panel.js).
import { setText } from '../i18n.js';
import { el } from './dom.js';

// Short runs without augmentation, so a comparison takes seconds.
const BASE = { preset: 'mlp', epochs: 8, augment: false, fontDigits: false, seed: 42, learningRate: 0.01, l1: 0, l2: 0, dropout: 0 };
export const COMPARISONS = Object.freeze({
  optimizers: [{ optimizer: 'sgd', learningRate: 0.05 }, { optimizer: 'momentum', learningRate: 0.02 }, { optimizer: 'adam', learningRate: 0.003 }],
  regularization: [{ optimizer: 'adam', learningRate: 0.003, l1: 1e-4 }, { optimizer: 'adam', learningRate: 0.003, l2: 1e-3 },
    { optimizer: 'adam', learningRate: 0.003, dropout: 0.3 }],
  architectures: [{ optimizer: 'adam', learningRate: 0.003, preset: 'linear' }, { optimizer: 'adam', learningRate: 0.003, preset: 'mlp' },
    { optimizer: 'adam', learningRate: 0.003, preset: 'cnn', epochs: 4 }],
  // The same MLP trained with each loss the engine has: softmax outputs with cross-entropy,
  // ten independent sigmoid outputs with cross-entropy, and squared error on raw outputs.
  losses: ['softmax_cross_entropy', 'sigmoid_cross_entropy', 'mse'].map((loss) => ({
    optimizer: 'adam', learningRate: 0.003, preset: 'custom',
    architecture: JSON.stringify({ input: 64, loss, layers: [{ type: 'dense', units: 128 }, { type: 'relu' }, { type: 'dense', units: 10 }] }),
  })),
});

// runComparison(list of settings overrides, onStep(i, n)) resolves when all have trained.
export function exercisesWidget(runComparison) {
  const root = el('div', { className: 'lesson-widget', attrs: { 'data-widget': 'exercises' } });
  const status = el('p', { className: 'muted small', attrs: { 'aria-live': 'polite', 'data-output': 'status' } });
  const buttons = Object.entries(COMPARISONS).map(([name, variants]) => {
    const button = el('button', { className: 'secondary', key: `lesson.exercises.${name}`, attrs: { type: 'button', 'data-exercise': name } });
    button.addEventListener('click', async () => {
      for (const b of buttons) b.disabled = true;
      try {
        await runComparison(variants.map((v) => ({ ...BASE, ...v })), (i, n) => setText(status, 'lesson.exercises.running', { i, n }));
        setText(status, 'lesson.exercises.done', { n: variants.length });
      } catch (err) {
        setText(status, 'lesson.exercises.failed', { message: err.message });
      } finally {
        for (const b of buttons) b.disabled = false;
      }
    });
    return button;
  });
  root.append(el('ul', { className: 'lesson-list' }, Object.keys(COMPARISONS).map((name, i) => el('li', {}, [
    buttons[i], ' ', el('span', { className: 'muted small', key: `lesson.exercises.${name}Help` })]))), status);
  return root;
}
