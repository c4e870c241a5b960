// The text equivalent of the loss and accuracy charts: one table row per finished epoch,
// with the numbers the curves draw (train and validation loss and accuracy, and the test
// accuracy when it is measured every epoch). Built only while its <details> is open (and
// when it opens), and only when an epoch has finished: a long run costs the page nothing.
import { formatPercent } from './format.js';
import { formatNumber, onLanguageChange, t } from './i18n.js';

export class ChartTable {
  constructor(container) {
    this.container_ = container;
    this.details_ = container.closest('details');
    this.shown_ = -1;
    this.data_ = { history: [], tests: [] };
    this.details_?.addEventListener('toggle', () => this.render_());
    // A new language: built again at once, open or not (what it shows is in the old one).
    onLanguageChange(() => {
      this.shown_ = -1;
      this.render_();
    });
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
      empty.textContent = t('chartTable.empty');
      this.container_.replaceChildren(empty);
      return;
    }
    const table = document.createElement('table');
    const caption = table.createCaption();
    caption.textContent = t('chartTable.caption');
    const head = table.createTHead().insertRow();
    for (const title of ['epoch', 'trainLoss', 'validationLoss', 'trainAccuracy', 'validationAccuracy', 'testAccuracy']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t(`chartTable.${title}`);
      head.append(th);
    }
    const body = table.createTBody();
    history.forEach((m, i) => {
      const row = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = formatNumber(m.epoch);
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
  return formatNumber(value, { minimumFractionDigits: 4, maximumFractionDigits: 4 });
}
