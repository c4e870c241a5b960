// "Teach it your handwriting": the digit row under the guess (one tap keeps the drawing,
// its strokes and its 8x8, with the digit it really is), the personal set (count, list,
// export, import, clear) and "Learn my handwriting", which the engine does in the trainer
// worker (engine/fine_tune.h) on the model files the page predicts with; Undo puts the
// exact model files of before back. Scores shown are the engine's: the test split and the
// personal set's held-out part ("your handwriting"), which fine-tuning never trains on.
import { formatPercent } from './format.js';
import { msg, onLanguageChange, setMessage, setText, t } from './i18n.js';
import { MAX_DRAWINGS, checkFileSize, decodePersonalFile, encodePersonalFile } from './personal-file.js';
import { addDrawings, clearDrawings, listDrawings, persistent } from './personal-store.js';
import { paintDigit } from './views/digit-image.js';

const LIST_SHOWN = 120;   // the newest drawings shown as images (all are counted and kept)

export class TeachPanel {
  // drawPanel: its reading(); trainer: the WorkerClient that fine-tunes and scores;
  // models(): what predicts now, {kind, files, variants, seed, final} or {reason};
  // apply(current, files, taught): puts model files in use (a promise); taught: they learned
  // the user's handwriting (false: an undo puts the earlier ones back).
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
    // A new language: the words drawn from t() (the rest keep their keys, web/i18n.js).
    onLanguageChange(() => {
      for (const button of this.el_('teach-label').querySelectorAll('button')) {
        button.setAttribute('aria-label', t('teach.keepAs', { digit: Number(button.dataset.digit) }));
      }
      this.renderList_();
      if (this.scores_) this.showScores_(this.scores_);
    });
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
      button.setAttribute('aria-label', t('teach.keepAs', { digit }));
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
      setText(note, 'teach.drawFirst');
      return;
    }
    if (this.drawings_.length >= MAX_DRAWINGS) {
      setText(note, 'teach.full', { max: MAX_DRAWINGS });
      return;
    }
    try {
      await addDrawings([{ label: digit, features: reading.features, strokes: reading.strokes }]);
    } catch (err) {
      setText(note, 'teach.keepFailed', { message: err.message });
      return;
    }
    await this.refresh_();
    const guessed = reading.predicted === digit ? msg('teach.asGuessed') : msg('teach.hadGuessed', { digit: reading.predicted });
    setText(note, persistent ? 'teach.kept' : 'teach.keptNotStored', { digit, guessed, count: this.drawings_.length });
  }

  async refresh_() {
    try {
      this.drawings_ = await listDrawings();
    } catch (err) {
      this.message_(msg('teach.readFailed', { message: err.message }), true);
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
      canvas.setAttribute('aria-label', t(held ? 'teach.drawingHeldOut' : 'teach.drawing', { label: d.label }));
      const caption = document.createElement('figcaption');
      caption.textContent = String(d.label) + (held ? '*' : '');
      item.append(canvas, caption);
      return item;
    });
    list.replaceChildren(...items);
    list.title = t('teach.listTitle');
  }

  personal_() {
    const n = this.drawings_.length;
    const features = new Float32Array(n * 64);
    const labels = new Int32Array(n);
    this.drawings_.forEach((d, i) => { features.set(d.features, i * 64); labels[i] = d.label; });
    return { features, labels };
  }

  options_(current) {
    return { seed: current.seed, fontDigits: true, strokeDigits: true, variants: current.variants };
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
      setMessage(detail, current.files ? msg('teach.teachAFew') : (current.reason ?? ''));
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
      if (scores.heldOutSize > 0) {
        setText(detail, 'teach.scoreDetail', { heldOut: scores.heldOutSize, test: formatPercent(scores.test),
          personal: scores.personalSize, personalAccuracy: formatPercent(scores.personal) });
      } else {
        setText(detail, 'teach.scoreNoneHeldOut', { count: this.drawings_.length, test: formatPercent(scores.test) });
      }
    } catch (err) {
      if (token === this.scoreToken_) setText(detail, 'teach.scoreFailed', { message: err.message });
    }
  }

  async learn_() {
    if (this.busy_) return;
    const current = this.models_();
    if (!current.files) return this.message_(current.reason ?? msg('teach.noModel'), true);
    if (!current.final) return this.message_(msg('teach.waitEnsemble'), true);
    if (this.drawings_.length === 0) return this.message_(msg('teach.noDrawings'), true);
    this.setBusy_(true);
    this.message_(msg(current.files.length > 1 ? 'teach.learningMany' : 'teach.learningOne', { count: current.files.length }));
    const before = current.files.map((f) => f.slice());
    try {
      const result = await this.trainer_.request('fineTune', {
        models: current.files.map((f) => f.slice()), personal: this.personal_(), options: this.options_(current),
      });
      await this.use_(current, result.models, true);
      this.setUndo_({ current, files: before });
      this.showScores_(result);
      this.message_(msg('teach.learned', { count: result.after.personalSize, copies: result.copies }));
    } catch (err) {
      this.message_(msg('teach.learnFailed', { message: err.message }), true);
    } finally {
      this.setBusy_(false);
    }
  }

  async undoLearn_() {
    if (this.busy_) return;
    this.setBusy_(true);
    try {
      await this.use_(this.undo_.current, this.undo_.files, false);
      this.setUndo_(null);
      this.el_('learn-scores').hidden = true;
      this.scores_ = null;
      this.message_(msg('teach.undone'));
    } catch (err) {
      this.message_(msg('teach.undoFailed', { message: err.message }), true);
    } finally {
      this.setBusy_(false);
    }
  }

  async use_(current, files, taught) {
    this.applying_ = true;
    try {
      await this.apply_(current, files, taught);
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
  showScores_(scores) {
    this.scores_ = scores;
    const { before, after } = scores;
    const table = this.el_('learn-scores');
    const rows = [
      ['teach.rowTest', 'test', before.testSize],
      ['teach.rowPersonal', 'personal', after.personalSize],
      ['teach.rowHeldOut', 'heldOut', after.heldOutSize],
    ];
    table.tBodies[0].replaceChildren(...rows.map(([name, key, size]) => {
      const tr = document.createElement('tr');
      const cells = [t(name, { size }), formatPercent(before[key]), formatPercent(after[key])];
      tr.append(...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })));
      return tr;
    }));
    for (const [key, attr] of [['test', 'Test'], ['personal', 'Personal'], ['heldOut', 'HeldOut']]) {
      table.dataset[`before${attr}`] = String(before[key]);
      table.dataset[`after${attr}`] = String(after[key]);
    }
    table.dataset.heldOutSize = String(after.heldOutSize);
    table.dataset.testSize = String(before.testSize);
    table.hidden = false;
  }

  exportFile_() {
    if (this.drawings_.length === 0) return this.message_(msg('teach.nothingToExport'), true);
    const blob = new Blob([encodePersonalFile(this.drawings_)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'digitlab-handwriting.json';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    this.message_(msg('teach.exported', { count: this.drawings_.length }));
  }

  async importFile_(input) {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      checkFileSize(file.size);  // before reading a byte of it
      const drawings = decodePersonalFile(await file.text());
      if (this.drawings_.length + drawings.length > MAX_DRAWINGS) {
        throw new Error(t('teach.importTooMany', { count: this.drawings_.length, file: drawings.length, max: MAX_DRAWINGS }));
      }
      await addDrawings(drawings);
      await this.refresh_();
      this.message_(msg('teach.imported', { count: drawings.length, total: this.drawings_.length }));
    } catch (err) {
      this.message_(msg('teach.fileFailed', { name: file.name, message: err.message }), true);
    }
  }

  // Two taps: the first asks, the second clears.
  async clear_() {
    const button = this.el_('personal-clear');
    if (button.dataset.confirm !== 'true') {
      if (this.drawings_.length === 0) return this.message_(msg('teach.emptyAlready'));
      button.dataset.confirm = 'true';
      setText(button, 'teach.clearAll', { count: this.drawings_.length });
      setTimeout(() => { button.dataset.confirm = 'false'; setText(button, 'teach.clear'); }, 4000);
      return;
    }
    button.dataset.confirm = 'false';
    setText(button, 'teach.clear');
    try {
      await clearDrawings();
      await this.refresh_();
      this.message_(msg('teach.cleared'));
    } catch (err) {
      this.message_(msg('teach.clearFailed', { message: err.message }), true);
    }
  }

  // message: a msg('key', params), or a plain text (a reason from the page, shown as it is).
  // A refusal or failure shows as an error; anything else (working, done) as plain news,
  // not in the amber of a warning.
  message_(message, error = false) {
    const box = this.el_('personal-message');
    box.hidden = !setMessage(box, message);
    box.classList.toggle('error', error);
    box.classList.toggle('info', !error);
  }
}
