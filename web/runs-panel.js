// Compare runs: every run trained on the page is kept (run-store.js); their validation
// accuracy curves overlay one another, and a table lists them (test hook runs-table, one row
// per run with data-run = its id) with buttons to restore a run's model as the current one
// (run-restore) or to delete it. The overlay canvas carries data-curves = how many curves it
// draws (a test hook).
import { durationMessage, formatPercent } from './format.js';
import { formatDate, formatNumber, msg, onLanguageChange, setText, t } from './i18n.js';
import { LineChart } from './views/line-chart.js';

const COLORS = ['#3b6fe0', '#e0793b', '#1f9d6b', '#b5369b', '#c8a200', '#444f66', '#d9443b', '#2aa3c8'];

export function runColor(index) {
  return COLORS[index % COLORS.length];
}

export class RunsPanel {
  // store: a RunStore; onRestore(record): makes the run's model the current one (resolves,
  // or throws with a message).
  constructor(store, onRestore) {
    this.store_ = store;
    this.onRestore_ = onRestore;
    this.runs_ = [];
    this.table_ = document.getElementById('runs-table');
    this.body_ = this.table_.querySelector('tbody');
    this.empty_ = document.getElementById('runs-empty');
    this.message_ = document.getElementById('runs-message');
    this.canvas_ = document.getElementById('runs-chart');
    this.chart_ = new LineChart(this.canvas_, { series: [], yMin: 0, yMax: 1, format: (y) => `${Math.round(y * 100)}%` });
    onLanguageChange(() => this.render_());
  }

  async load() {
    this.runs_ = await this.store_.list();
    this.render_();
  }

  runs() {
    return [...this.runs_];
  }

  // A finished run: kept, drawn and listed.
  async add(record) {
    const kept = await this.store_.add(record);
    this.runs_.push(kept);
    this.render_();
    return kept;
  }

  async remove(id) {
    await this.store_.remove(id);
    this.runs_ = this.runs_.filter((r) => r.id !== id);
    this.render_();
  }

  render_() {
    const series = this.runs_.map((run, i) => ({ name: `#${run.id}`, color: runColor(i) }));
    const points = this.runs_.map((run) => run.history.map((m) => [m.epoch, m.validationAccuracy]));
    const xMax = Math.max(1, ...this.runs_.map((run) => run.history.length));
    this.chart_.setSeries(series, points, xMax);
    this.canvas_.dataset.curves = String(points.filter((p) => p.length).length);
    this.empty_.hidden = this.runs_.length > 0;
    this.table_.hidden = this.runs_.length === 0;
    this.body_.replaceChildren(...this.runs_.map((run, i) => this.row_(run, i)));
  }

  row_(run, index) {
    const row = document.createElement('tr');
    row.dataset.run = String(run.id);
    const name = document.createElement('td');
    const swatch = document.createElement('i');
    swatch.className = 'swatch';
    swatch.style.background = runColor(index);
    name.append(swatch, `#${run.id}`);
    const settings = document.createElement('td');
    const s = run.settings;
    setText(settings, 'runs.settings', {
      preset: s.preset === 'custom' ? msg('inUse.customLayers') : s.preset, optimizer: msg(`choice.${s.optimizer}`),
      lr: String(s.learningRate), epochs: s.epochs, seed: String(s.seed),
    });
    const accuracy = document.createElement('td');
    accuracy.className = 'number';
    accuracy.textContent = formatPercent(run.testAccuracy);
    accuracy.dataset.accuracy = String(run.testAccuracy);
    accuracy.title = run.testAccuracies.map((a) => formatPercent(a)).join(' → ');
    const time = document.createElement('td');
    time.className = 'number';
    const duration = durationMessage(run.trainSeconds);
    if (typeof duration === 'string') time.textContent = duration;
    else setText(time, duration.key, duration.params);
    const when = document.createElement('td');
    when.textContent = formatDate(new Date(run.createdAt));
    const actions = document.createElement('td');
    actions.className = 'actions';
    const restore = this.button_('runs.restore', 'runs.restoreLabel', run.id, () => this.restore_(run));
    restore.dataset.testid = 'run-restore';
    restore.setAttribute('data-testid', 'run-restore');
    const remove = this.button_('runs.delete', 'runs.deleteLabel', run.id, () => this.remove(run.id));
    remove.setAttribute('data-testid', 'run-delete');
    actions.append(restore, remove);
    row.append(name, settings, accuracy, time, when, actions);
    return row;
  }

  button_(key, labelKey, n, onClick) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary small';
    setText(button, key);
    button.setAttribute('aria-label', t(labelKey, { n: formatNumber(n, { useGrouping: false }) }));
    button.addEventListener('click', onClick);
    return button;
  }

  async restore_(run) {
    try {
      await this.onRestore_(run);
      setText(this.message_, 'runs.restored', { n: String(run.id) });
      this.message_.classList.remove('error');
    } catch (err) {
      setText(this.message_, 'runs.restoreFailed', { n: String(run.id), message: err.message });
      this.message_.classList.add('error');
    }
    this.message_.hidden = false;
  }
}
