// "Teach it your handwriting": the digit row under the guess (one tap keeps the drawing,
// its strokes and its 8x8, with the digit it really is), the personal set (count, list,
// export, import, clear) and "Learn my handwriting", which the engine does in the trainer
// worker (engine/fine_tune.h) on the model files the page predicts with; Undo puts the
// exact model files of before back. Scores shown are the engine's: the test split and the
// personal set's held-out part ("your handwriting"), which fine-tuning never trains on.
import { formatPercent } from './format.js';
import { MAX_DRAWINGS, checkFileSize, decodePersonalFile, encodePersonalFile } from './personal-file.js';
import { addDrawings, clearDrawings, listDrawings, persistent } from './personal-store.js';
import { paintDigit } from './views/digit-image.js';

const LIST_SHOWN = 120;   // the newest drawings shown as images (all are counted and kept)

export class TeachPanel {
  // drawPanel: its reading(); trainer: the WorkerClient that fine-tunes and scores;
  // models(): what predicts now, {kind, files, variants, seed, final} or {reason};
  // apply(current, files): puts model files in use (a promise).
  constructor({ drawPanel, trainer, models, apply }) {
    this.drawPanel_ = drawPanel;
    this.trainer_ = trainer;
    this.models_ = models;
    this.apply_ = apply;
    this.undo_ = null;        // {current, files} of the model before the last fine-tune
    this.busy_ = false;
    this.applying_ = false;
    this.heldOut_ = null;     // the last heldOutMask, in the list's order
    this.drawings_ = [];
    this.scoreTimer_ = null;
    this.scoreToken_ = 0;
    this.el_ = (id) => document.getElementById(id);
    this.buildLabels_();
    drawPanel.onReading = (reading) => this.showReading_(reading);
    this.el_('personal-export').addEventListener('click', () => this.exportFile_());
    this.el_('personal-import').addEventListener('change', (e) => this.importFile_(e.target));
    this.el_('personal-clear').addEventListener('click', () => this.clear_());
    this.el_('learn-handwriting').addEventListener('click', () => this.learn_());
    this.el_('learn-undo').addEventListener('click', () => this.undo_ && this.undoLearn_());
    this.showReading_(null);
    this.refresh_();
  }

  // The page's model in use changed (a member joined, a run finished, an upload): rescore,
  // and an undo no longer applies unless the change was this panel's own.
  modelChanged() {
    if (!this.applying_) this.setUndo_(null);
    this.scoreSoon_();
  }

  buildLabels_() {
    const row = this.el_('teach-label');
    for (let digit = 0; digit < 10; digit++) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary';
      button.textContent = String(digit);
      button.dataset.digit = String(digit);
      button.setAttribute('aria-label', `It is a ${digit}: keep this drawing as a ${digit}`);
      button.addEventListener('click', () => this.teach_(digit));
      row.append(button);
    }
  }

  showReading_(reading) {
    for (const button of this.el_('teach-label').querySelectorAll('button')) button.disabled = !reading;
  }

  async teach_(digit) {
    const reading = this.drawPanel_.reading();
    const note = this.el_('teach-note');
    if (!reading) {
      note.textContent = 'Draw a digit first: the drawing whose guess is shown is the one kept.';
      return;
    }
    if (this.drawings_.length >= MAX_DRAWINGS) {
      note.textContent = `Your set is full (${MAX_DRAWINGS} drawings): export it and clear it to teach more.`;
      return;
    }
    try {
      await addDrawings([{ label: digit, features: reading.features, strokes: reading.strokes }]);
    } catch (err) {
      note.textContent = `The drawing could not be kept: ${err.message}`;
      return;
    }
    await this.refresh_();
    const guessed = reading.predicted === digit ? 'as it guessed' : `it had guessed ${reading.predicted}`;
    note.textContent = `Kept as a ${digit} (${guessed}); your set has ${this.drawings_.length}.${persistent ? '' : ' This browser does not keep it after a reload.'}`;
  }

  async refresh_() {
    try {
      this.drawings_ = await listDrawings();
    } catch (err) {
      this.message_(`Your drawings could not be read: ${err.message}`, true);
    }
    this.el_('personal-count').textContent = String(this.drawings_.length);
    this.heldOut_ = null;
    this.renderList_();
    this.el_('personal-list').dataset.scored = '0';
    this.scoreSoon_();
  }

  renderList_() {
    const list = this.el_('personal-list');
    const first = Math.max(0, this.drawings_.length - LIST_SHOWN);
    const items = this.drawings_.slice(first).map((d, i) => {
      const item = document.createElement('figure');
      item.className = 'personal-item';
      const held = this.heldOut_ ? this.heldOut_[first + i] === 1 : false;
      item.dataset.label = String(d.label);
      item.dataset.heldOut = String(held);
      const canvas = document.createElement('canvas');
      paintDigit(canvas, d.features);
      canvas.setAttribute('aria-label', `a ${d.label}${held ? ' (held out to score)' : ''}`);
      const caption = document.createElement('figcaption');
      caption.textContent = held ? `${d.label}*` : String(d.label);
      item.append(canvas, caption);
      return item;
    });
    list.replaceChildren(...items);
    list.title = 'Dashed: held out, never learned from, to score the model on your handwriting (*)';
  }

  personal_() {
    const n = this.drawings_.length;
    const features = new Float32Array(n * 64);
    const labels = new Int32Array(n);
    this.drawings_.forEach((d, i) => { features.set(d.features, i * 64); labels[i] = d.label; });
    return { features, labels };
  }

  options_(current) {
    return { seed: current.seed, fontDigits: true, variants: current.variants };
  }

  scoreSoon_() {
    clearTimeout(this.scoreTimer_);
    this.scoreTimer_ = setTimeout(() => this.score_(), 150);
  }

  // "Your handwriting": the model in use on the held-out drawings, next to its test score.
  async score_() {
    const token = ++this.scoreToken_;
    const out = this.el_('handwriting-score');
    const detail = this.el_('handwriting-detail');
    const current = this.models_();
    if (!current.files || this.drawings_.length === 0) {
      out.textContent = '–';
      out.dataset.count = '0';
      detail.textContent = current.files ? 'Teach a few drawings to see how well it reads yours.' : (current.reason ?? '');
      return;
    }
    try {
      const scores = await this.trainer_.request('personalScores', {
        models: current.files.map((f) => f.slice()), personal: this.personal_(), options: this.options_(current),
      });
      if (token !== this.scoreToken_) return;
      this.heldOut_ = scores.heldOutMask;
      this.renderList_();
      this.el_('personal-list').dataset.scored = String(scores.heldOutMask.length);
      out.dataset.count = String(scores.heldOutSize);
      out.dataset.accuracy = String(scores.heldOut);
      out.textContent = scores.heldOutSize > 0 ? formatPercent(scores.heldOut) : '–';
      detail.textContent = scores.heldOutSize > 0
        ? `of your ${scores.heldOutSize} held-out drawings · dataset test split: ${formatPercent(scores.test)} · the ${scores.personalSize} it can learn from: ${formatPercent(scores.personal)}`
        : `none of your ${this.drawings_.length} drawings is held out yet (one in five is) · dataset test split: ${formatPercent(scores.test)}`;
    } catch (err) {
      if (token === this.scoreToken_) detail.textContent = `Could not score: ${err.message}`;
    }
  }

  async learn_() {
    if (this.busy_) return;
    const current = this.models_();
    if (!current.files) return this.message_(current.reason ?? 'There is no model to teach yet.', true);
    if (!current.final) return this.message_('Wait until every model of the default ensemble has trained.', true);
    if (this.drawings_.length === 0) return this.message_('Teach it a few drawings first: tap the right digit under a wrong guess.', true);
    this.setBusy_(true);
    this.message_(`Learning your handwriting (${current.files.length} model${current.files.length > 1 ? 's' : ''})…`);
    const before = current.files.map((f) => f.slice());
    try {
      const result = await this.trainer_.request('fineTune', {
        models: current.files.map((f) => f.slice()), personal: this.personal_(), options: this.options_(current),
      });
      await this.use_(current, result.models);
      this.setUndo_({ current, files: before });
      this.showScores_(result);
      this.message_(`Learned from ${result.after.personalSize} of your drawings (each seen ${result.copies} times an epoch, in every way the model reads it).`);
    } catch (err) {
      this.message_(`Could not learn your handwriting: ${err.message}. The model is unchanged.`, true);
    } finally {
      this.setBusy_(false);
    }
  }

  async undoLearn_() {
    if (this.busy_) return;
    this.setBusy_(true);
    try {
      await this.use_(this.undo_.current, this.undo_.files);
      this.setUndo_(null);
      this.el_('learn-scores').hidden = true;
      this.message_('Back to the model from before it learned your handwriting.');
    } catch (err) {
      this.message_(`Could not undo: ${err.message}`, true);
    } finally {
      this.setBusy_(false);
    }
  }

  async use_(current, files) {
    this.applying_ = true;
    try {
      await this.apply_(current, files);
    } finally {
      this.applying_ = false;
    }
    this.scoreSoon_();
  }

  setUndo_(undo) {
    this.undo_ = undo;
    this.el_('learn-undo').disabled = !undo || this.busy_;
  }

  setBusy_(busy) {
    this.busy_ = busy;
    this.el_('learn-handwriting').disabled = busy;
    this.el_('learn-undo').disabled = busy || !this.undo_;
  }

  // The engine's before/after numbers (data-* hold them exactly, for tests).
  showScores_({ before, after }) {
    const table = this.el_('learn-scores');
    const rows = [
      ['dataset test split', 'test', `${before.testSize} digits`],
      ['your drawings it learned from', 'personal', `${after.personalSize}`],
      ['your held-out drawings', 'heldOut', `${after.heldOutSize}`],
    ];
    table.tBodies[0].replaceChildren(...rows.map(([name, key, size]) => {
      const tr = document.createElement('tr');
      const cells = [`${name} (${size})`, formatPercent(before[key]), formatPercent(after[key])];
      tr.append(...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })));
      return tr;
    }));
    for (const [key, attr] of [['test', 'Test'], ['personal', 'Personal'], ['heldOut', 'HeldOut']]) {
      table.dataset[`before${attr}`] = String(before[key]);
      table.dataset[`after${attr}`] = String(after[key]);
    }
    table.dataset.heldOutSize = String(after.heldOutSize);
    table.hidden = false;
  }

  exportFile_() {
    if (this.drawings_.length === 0) return this.message_('There is nothing to export yet.', true);
    const blob = new Blob([encodePersonalFile(this.drawings_)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'digitlab-handwriting.json';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    this.message_(`Exported ${this.drawings_.length} drawings.`);
  }

  async importFile_(input) {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      checkFileSize(file.size);  // before reading a byte of it
      const drawings = decodePersonalFile(await file.text());
      if (this.drawings_.length + drawings.length > MAX_DRAWINGS) {
        throw new Error(`Your set has ${this.drawings_.length} drawings and the file ${drawings.length}: together more than the ${MAX_DRAWINGS} a set holds. Nothing was imported.`);
      }
      await addDrawings(drawings);
      await this.refresh_();
      this.message_(`Imported ${drawings.length} drawings; your set has ${this.drawings_.length}.`);
    } catch (err) {
      this.message_(`${file.name}: ${err.message}`, true);
    }
  }

  // Two taps: the first asks, the second clears.
  async clear_() {
    const button = this.el_('personal-clear');
    if (button.dataset.confirm !== 'true') {
      if (this.drawings_.length === 0) return this.message_('Your set is empty already.');
      button.dataset.confirm = 'true';
      button.textContent = `Clear all ${this.drawings_.length}?`;
      setTimeout(() => { button.dataset.confirm = 'false'; button.textContent = 'Clear'; }, 4000);
      return;
    }
    button.dataset.confirm = 'false';
    button.textContent = 'Clear';
    try {
      await clearDrawings();
      await this.refresh_();
      this.message_('Your drawings were removed from this browser.');
    } catch (err) {
      this.message_(`Could not clear: ${err.message}`, true);
    }
  }

  message_(text, error = false) {
    const box = this.el_('personal-message');
    box.textContent = text;
    box.hidden = !text;
    box.classList.toggle('error', error);
  }
}
