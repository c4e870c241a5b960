// What the model looks at: the occlusion map the engine computed (test hook occlusion-map:
// 64 cells, data-block and data-drop, over the 8x8 the model read; data-top-class on the
// map), red where blanking a block costs the top class probability, blue where it helps;
// and the top class's confidence as the digit is shifted, rotated and thickened
// (confidence-curves: one child per curve, data-curve).
import { formatPercent } from '../format.js';
import { t } from '../i18n.js';
import { drawCurve } from '../views/curve-plot.js';
import { paintDigit } from '../views/digit-image.js';

const CURVES = {
  shift_x: { key: 'inside.look.shiftX', unit: ' px' },
  shift_y: { key: 'inside.look.shiftY', unit: ' px' },
  rotate: { key: 'inside.look.rotate', unit: '°' },
  thickness: { key: 'inside.look.thickness', unit: ' px' },
};

export class OcclusionView {
  constructor(container) {
    const wrap = document.createElement('div');
    wrap.className = 'occlusion-wrap';
    this.digit_ = document.createElement('canvas');
    this.digit_.className = 'occlusion-digit';
    this.digit_.setAttribute('aria-hidden', 'true');
    this.map_ = document.createElement('div');
    this.map_.className = 'occlusion-grid';
    this.map_.dataset.testid = 'occlusion-map';
    this.map_.setAttribute('role', 'img');
    this.cells_ = [];
    for (let i = 0; i < 64; i++) {
      const cell = document.createElement('span');
      cell.dataset.block = String(i);
      this.cells_.push(cell);
      this.map_.append(cell);
    }
    wrap.append(this.digit_, this.map_);
    this.caption_ = document.createElement('p');
    this.caption_.className = 'muted small';
    this.curves_ = document.createElement('div');
    this.curves_.className = 'confidence-curves';
    this.curves_.dataset.testid = 'confidence-curves';
    container.replaceChildren(wrap, this.caption_, this.curves_);
    this.show(null);
  }

  // inspected: the worker's inspect answer ({features, occlusion, curves}), or null.
  show(inspected) {
    const occlusion = inspected?.occlusion;
    paintDigit(this.digit_, inspected?.features ?? new Float32Array(64));
    if (!occlusion) {
      delete this.map_.dataset.topClass;
      this.map_.setAttribute('aria-label', t('inside.look.mapEmpty'));
      for (const cell of this.cells_) {
        cell.dataset.drop = '0';
        cell.style.background = 'transparent';
      }
      this.caption_.textContent = t(inspected && !inspected.blank ? 'inside.look.noModel' : 'inside.look.draw');
      this.curves_.replaceChildren();
      return;
    }
    const { topClass, topProbability, drop } = occlusion;
    this.map_.dataset.topClass = String(topClass);
    const largest = Math.max(0.05, ...Array.from(drop, Math.abs));  // colour scale: the largest change
    this.cells_.forEach((cell, i) => {
      const d = drop[i];
      cell.dataset.drop = d.toFixed(4);
      const alpha = Math.min(1, Math.abs(d) / largest) * 0.75;
      cell.style.background = d >= 0 ? `rgba(200, 65, 59, ${alpha.toFixed(3)})` : `rgba(59, 111, 224, ${alpha.toFixed(3)})`;
      cell.title = t('inside.look.block', { row: Math.floor(i / 8) + 1, column: i % 8 + 1,
        change: `${d >= 0 ? '−' : '+'}${formatPercent(Math.abs(d), 0)}`, digit: topClass });
    });
    let most = 0;
    drop.forEach((d, i) => { if (d > drop[most]) most = i; });
    this.map_.setAttribute('aria-label', t('inside.look.mapLabel', { digit: topClass, row: Math.floor(most / 8) + 1, column: most % 8 + 1 }));
    this.caption_.textContent = t('inside.look.caption', { digit: topClass, probability: formatPercent(topProbability, 0),
      most: formatPercent(Math.max(0, drop[most]), 0) });
    this.showCurves_(inspected.curves);
  }

  showCurves_(curves) {
    if (!curves) {
      this.curves_.replaceChildren();
      return;
    }
    const figures = curves.curves.map((curve) => {
      const known = CURVES[curve.name];
      const info = known ? { title: t(known.key), unit: known.unit } : { title: curve.name, unit: '' };
      const figure = document.createElement('figure');
      figure.dataset.curve = curve.name;
      const canvas = document.createElement('canvas');
      canvas.className = 'curve';
      canvas.setAttribute('role', 'img');
      const low = Math.min(...curve.confidence);
      canvas.setAttribute('aria-label', t('inside.look.curveLabel', { digit: curves.topClass, how: info.title, lowest: formatPercent(low, 0) }));
      const caption = document.createElement('figcaption');
      caption.textContent = info.title;
      figure.append(canvas, caption);
      return { figure, canvas, curve, info };
    });
    this.curves_.replaceChildren(...figures.map((f) => f.figure));
    // Drawn once laid out (fitCanvas reads the canvas's CSS size).
    for (const { canvas, curve, info } of figures) {
      drawCurve(canvas, { ...curve, topClass: curves.topClass, unit: info.unit });
    }
  }
}
