// The text equivalent of the loss and accuracy charts: one table row per finished epoch,
// with the numbers the curves draw (train and validation loss and accuracy, and the test
// accuracy when it is measured every epoch). Built only while its <details> is open (and
// when it opens), and only when an epoch has finished: a long run costs the page nothing.
import { formatPercent } from './format.js';

export class ChartTable {
  constructor(container) {
    this.container_ = container;
    this.details_ = container.closest('details');
    this.shown_ = -1;
    this.data_ = { history: [], tests: [] };
    this.details_?.addEventListener('toggle', () => this.render_());
    this.render_();
  }

  // history: the engine's per-epoch metrics; tests: test accuracy per epoch (may be empty).
  show(history, tests = []) {
    this.data_ = { history, tests };
    this.render_();
  }

  render_() {
    const { history, tests } = this.data_;
    const key = history.length * 100000 + tests.length;
    if (key === this.shown_ || (this.details_ && !this.details_.open && this.shown_ !== -1)) return;
    this.shown_ = key;
    if (!history.length) {
      const empty = document.createElement('p');
      empty.className = 'muted small';
      empty.textContent = 'No epoch has finished yet.';
      this.container_.replaceChildren(empty);
      return;
    }
    const table = document.createElement('table');
    const caption = table.createCaption();
    caption.textContent = 'Loss and accuracy after each epoch';
    const head = table.createTHead().insertRow();
    for (const title of ['Epoch', 'Train loss', 'Validation loss', 'Train accuracy', 'Validation accuracy', 'Test accuracy']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = title;
      head.append(th);
    }
    const body = table.createTBody();
    history.forEach((m, i) => {
      const row = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(m.epoch);
      row.append(th);
      for (const value of [loss(m.trainLoss), loss(m.validationLoss), formatPercent(m.trainAccuracy),
        formatPercent(m.validationAccuracy), tests[i] === undefined ? '–' : formatPercent(tests[i])]) {
        row.insertCell().textContent = value;
      }
    });
    this.container_.replaceChildren(table);
  }
}

function loss(value) {
  return Number.isFinite(value) ? value.toFixed(4) : '–';
}
