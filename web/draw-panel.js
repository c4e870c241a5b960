// The drawing side of the page: the pad, the guess, the ten bars and the 8x8 image the
// network saw. Predictions are throttled while drawing and sent right after each stroke;
// answers that arrive after the pad changed (cleared) are dropped.
import { msg, setText } from './i18n.js';
import { DrawPad } from './views/draw-pad.js';
import { paintDigit } from './views/digit-image.js';
import { ProbabilityBars } from './views/probability-bars.js';

const THROTTLE_MS = 90;   // at most ~11 predictions a second while the pen moves
const UNSURE_BELOW = 0.6; // top probability under this shows "not sure" (so do disagreeing models)

// "3 say 7, 1 says 1" (as messages, see i18n.js) when the members' own top classes differ,
// else null (one model, or all agree).
export function voteText(memberClasses) {
  if (!memberClasses || new Set(memberClasses).size < 2) return null;
  const counts = new Map();
  for (const c of memberClasses) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([digit, n]) => msg(n === 1 ? 'draw.says' : 'draw.say', { n, digit }));
}

export class DrawPanel {
  constructor(client) {
    this.client_ = client;
    this.prediction_ = document.getElementById('prediction');
    this.unsure_ = document.getElementById('unsure');
    this.note_ = document.getElementById('guess-note');
    this.seen_ = document.getElementById('seen-digit');
    this.bars_ = new ProbabilityBars(document.getElementById('probabilities'));
    this.pad_ = new DrawPad(document.getElementById('draw-canvas'), (final) => this.changed_(final));
    document.getElementById('clear-drawing').addEventListener('click', () => this.pad_.clear());
    this.generation_ = 0;   // bumps when the pad is cleared
    this.dirty_ = false;
    this.busy_ = false;
    this.timer_ = null;
    this.hasModel_ = false;
    this.reading_ = null;      // the reading on screen: {features, predicted, strokes}
    this.onReading = null;     // called when it changes (the teach row follows it)
    this.prediction_.dataset.ready = 'false';
    this.prediction_.dataset.final = 'false';
    this.prediction_.dataset.models = '0';
    this.show_(null);
  }

  // The drawing pad (views/draw-pad.js), for the keyboard grid to draw on.
  get pad() {
    return this.pad_;
  }

  // models: how many models a guess now averages; final: no more will join (test hooks
  // data-models and data-final). A change re-reads the drawing with the new set.
  setModels(models, final) {
    const same = this.prediction_.dataset.final === String(final) && this.hasModel_ === models > 0
      && this.models_ === models;
    this.models_ = models;
    if (same) return;
    this.prediction_.dataset.models = String(models);
    this.prediction_.dataset.final = String(final);
    this.setReady(models > 0);
  }

  // A trained model is in place (or not): the page test hook data-ready follows it.
  setReady(ready) {
    this.hasModel_ = ready;
    this.prediction_.dataset.ready = String(ready);
    this.changed_(true);
  }

  changed_(final) {
    if (this.pad_.isBlank()) {
      this.generation_ += 1;
      this.dirty_ = false;
      this.setPending_(false);
      this.show_(null);
      return;
    }
    this.dirty_ = true;
    this.setPending_(true);
    if (final) {
      clearTimeout(this.timer_);
      this.timer_ = null;
      this.pump_();
    } else if (!this.timer_) {
      this.timer_ = setTimeout(() => { this.timer_ = null; this.pump_(); }, THROTTLE_MS);
    }
  }

  async pump_() {
    if (this.busy_ || !this.dirty_) return;
    this.dirty_ = false;
    this.busy_ = true;
    const generation = this.generation_;
    try {
      const { pixels, width, height } = this.pad_.pixels();
      const result = await this.client_.request('predict', { pixels, width, height }, [pixels.buffer]);
      if (generation === this.generation_ && !this.pad_.isBlank()) this.show_(result);
    } catch (err) {
      setText(this.note_, 'draw.readFailed', { message: err.message });
    } finally {
      this.busy_ = false;
      if (this.dirty_) this.pump_();
      else if (!this.timer_) this.setPending_(false);
    }
  }

  // data-pending="true" while the guess on screen may be behind the drawing (tests wait on it).
  setPending_(pending) {
    this.prediction_.dataset.pending = String(pending);
  }

  // The drawing whose guess is on screen, {features, predicted, strokes}, or null.
  reading() {
    return this.reading_;
  }

  // result: { blank, features, probabilities } from the worker, or null for a blank pad.
  // Others follow the guess through a 'draw:guess' event: {result, pixels()} (the pad now).
  show_(result) {
    this.showGuess_(result);
    document.dispatchEvent(new CustomEvent('draw:guess', { detail: { result, pixels: () => this.pad_.pixels() } }));
    const read = result && !result.blank && result.probabilities;
    this.reading_ = read ? { features: result.features, predicted: Number(this.prediction_.textContent), strokes: this.pad_.strokes() } : null;
    this.onReading?.(this.reading_);
  }

  showGuess_(result) {
    const probabilities = result && !result.blank ? result.probabilities : null;
    if (result && !result.blank) paintDigit(this.seen_, result.features);
    else paintDigit(this.seen_, new Float32Array(64));
    this.bars_.update(probabilities ? Array.from(probabilities) : null);
    if (!probabilities) {
      this.prediction_.textContent = '';
      this.unsure_.hidden = true;
      setText(this.note_, this.blankNote_(result));
      return;
    }
    const ranked = Array.from(probabilities, (p, digit) => [p, digit]).sort((a, b) => b[0] - a[0]);
    const [[top, digit], [, second]] = ranked;
    const votes = voteText(result.memberClasses);
    this.prediction_.textContent = String(digit);
    this.prediction_.dataset.models = String(result.models ?? 1);
    this.unsure_.hidden = top >= UNSURE_BELOW && !votes;
    if (top < UNSURE_BELOW) {
      setText(this.note_, 'draw.unsureNote', { percent: Math.round(top * 100), digit, second });
    } else if (votes) {
      setText(this.note_, 'draw.disagree', { percent: Math.round(top * 100), votes: votes.map((v) => ({ ...v })) });
    } else {
      setText(this.note_, result.live ? 'draw.sureLive' : 'draw.sure', { percent: Math.round(top * 100) });
    }
  }

  blankNote_(result) {
    if (result && result.blank) return 'draw.tooLittle';
    if (!result && this.pad_.isBlank()) return this.hasModel_ ? 'draw.drawToSee' : 'draw.firstTraining';
    return 'draw.noModel';
  }
}
