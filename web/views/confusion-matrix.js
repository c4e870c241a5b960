// The test set's confusion matrix as a 10x10 grid of buttons ([true][predicted]); the
// shade of a cell is its share of its row. Choosing a cell that counts digits reports it
// (off-diagonal ones only unless {diagonal: true}), so the page can show the digits behind it.
// shade of a cell is its share of its row. Choosing an off-diagonal cell reports it, so
// the page can show the test digits behind it.
import { t as translateText } from '../i18n.js';

export class ConfusionMatrix {
  // onSelect(trueLabel, predicted): called when a cell is chosen.
  constructor(container, onSelect, { diagonal = false } = {}) {
    this.container_ = container;
    this.diagonal_ = diagonal;
    this.onSelect_ = onSelect;
    this.selected_ = null;
    this.show(null);
  }

  // confusion: 10x10 counts, or null for an empty grid.
  // The selected cell stays selected when the same cell still counts digits (a live update).
  show(confusion) {
    const selected = this.container_.querySelector('.cell.selected')?.dataset.cell;
    const grid = document.createElement('div');
    grid.className = 'confusion-grid';
    // A group of labelled buttons (each says "true 3, predicted 5: 2"), not an ARIA grid: a
    // grid needs row elements, which this CSS grid layout does not have.
    grid.setAttribute('role', 'group');
    grid.setAttribute('aria-label', translateText('results.confusionLabel'));
    grid.append(this.label_(''));
    for (let p = 0; p < 10; p++) grid.append(this.label_(String(p), 'col-label'));
    for (let t = 0; t < 10; t++) {
      grid.append(this.label_(String(t), 'row-label'));
      const rowTotal = confusion ? confusion[t].reduce((a, b) => a + b, 0) : 0;
      for (let p = 0; p < 10; p++) {
        const count = confusion ? confusion[t][p] : 0;
        const cell = document.createElement('button');
        cell.type = 'button';
        cell.className = `cell ${t === p ? 'diagonal' : 'off'}`;
        cell.textContent = confusion && count ? String(count) : '';
        const share = rowTotal ? count / rowTotal : 0;
        const strength = t === p ? share : Math.min(1, share * 4);
        cell.style.setProperty('--strength', strength.toFixed(3));
        cell.disabled = !confusion || (t === p && !this.diagonal_) || count === 0;
        cell.dataset.cell = `${t},${p}`;
        if (cell.dataset.cell === selected && !cell.disabled) cell.classList.add('selected');
        cell.setAttribute('aria-label', translateText('results.cellLabel', { label: t, predicted: p, count }));
        cell.addEventListener('click', () => {
          this.container_.querySelector('.cell.selected')?.classList.remove('selected');
          cell.classList.add('selected');
          this.onSelect_(t, p);
        });
        grid.append(cell);
      }
    }
    this.container_.replaceChildren(grid);
  }

  label_(text, className = 'corner') {
    const span = document.createElement('span');
    span.className = className;
    span.textContent = text;
    return span;
  }
}
