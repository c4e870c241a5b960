// How the drawing becomes 8x8: each preprocessing step the engine traced, as a small image
// (test hook prep-steps: one child per step, data-step), and beside them the naive plain
// downscale of the whole canvas with what the model reads from it (naive-downscale).
import { formatPercent } from '../format.js';
import { t } from '../i18n.js';
import { paintDigit } from '../views/digit-image.js';
import { paintGray } from '../views/gray-image.js';

const CAPTIONS = {
  ink: () => t('inside.prep.ink'),
  crop: () => t('inside.prep.crop'),
  deskewed: ({ shear }) => (Math.abs(shear) < 0.005 ? t('inside.prep.upright') : t('inside.prep.deskewed', { slant: shear.toFixed(2) })),
  thickness: ({ growth }) => t(growth >= 0 ? 'inside.prep.grown' : 'inside.prep.thinned', { px: Math.abs(growth).toFixed(1) }),
  box: () => t('inside.prep.box'),
  blocks: () => t('inside.prep.blocks'),
};

export class PrepStepsView {
  constructor(container) {
    this.container_ = container;
    this.steps_ = document.createElement('div');
    this.steps_.className = 'prep-steps';
    this.steps_.dataset.testid = 'prep-steps';
    this.naive_ = document.createElement('figure');
    this.naive_.className = 'prep-naive';
    this.naive_.dataset.testid = 'naive-downscale';
    this.note_ = document.createElement('p');
    this.note_.className = 'muted small';
    container.replaceChildren(this.steps_, this.naive_, this.note_);
    this.show(null);
  }

  // traced: the worker's inspect answer for a drawing ({stages, inkBox, naive, probabilities}),
  // or null (no drawing). note: shown instead when there is nothing to trace (a test digit).
  show(traced, note = t('inside.prep.draw')) {
    if (!traced?.stages) {
      this.steps_.replaceChildren();
      this.naive_.replaceChildren();
      this.naive_.hidden = true;
      this.note_.textContent = note;
      return;
    }
    this.note_.textContent = traced.blank ? t('inside.prep.tooLittle') : '';
    const shape = { shear: traced.shear ?? 0, growth: traced.growth ?? 0 };
    this.steps_.replaceChildren(...traced.stages.map((stage) => this.step_(stage, traced, shape)));
    this.showNaive_(traced);
  }

  step_(stage, traced, shape) {
    const figure = document.createElement('figure');
    figure.dataset.step = stage.name;
    const canvas = document.createElement('canvas');
    canvas.className = 'prep-image';
    canvas.setAttribute('role', 'img');
    const caption = (CAPTIONS[stage.name] ?? (() => stage.name))(shape);
    canvas.setAttribute('aria-label', caption);
    const ctx = paintGray(canvas, stage.width, stage.height, stage.pixels);
    if (stage.name === 'ink' && traced.inkBox && traced.rasterWidth) {
      // The box comes in raster pixels; the ink image is the raster scaled to stage.width.
      const scale = stage.width / traced.rasterWidth;
      const { x0, y0, x1, y1 } = traced.inkBox;
      ctx.strokeStyle = '#e0793b';
      ctx.lineWidth = 1;
      ctx.strokeRect(x0 * scale, y0 * scale, Math.max(1, (x1 - x0 + 1) * scale), Math.max(1, (y1 - y0 + 1) * scale));
    }
    const text = document.createElement('figcaption');
    text.textContent = caption;
    figure.append(canvas, text);
    return figure;
  }

  showNaive_(traced) {
    const { naive } = traced;
    this.naive_.hidden = !naive;
    if (!naive) return;
    const canvas = document.createElement('canvas');
    canvas.className = 'prep-image';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', t('inside.prep.naiveLabel'));
    paintDigit(canvas, naive.features);
    const text = document.createElement('figcaption');
    const p = naive.probabilities;
    if (p) {
      const guess = p.indexOf(Math.max(...p));
      this.naive_.dataset.guess = String(guess);
      const piped = traced.probabilities ? traced.probabilities.indexOf(Math.max(...traced.probabilities)) : null;
      const params = { guess, probability: formatPercent(p[guess], 0), piped };
      text.textContent = t(piped !== null && piped !== guess ? 'inside.prep.naiveNot' : 'inside.prep.naive', params);
    } else {
      delete this.naive_.dataset.guess;
      text.textContent = t('inside.prep.naiveNoModel');
    }
    this.naive_.replaceChildren(canvas, text);
  }
}
