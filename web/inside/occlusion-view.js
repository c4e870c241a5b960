// What the model looks at: the occlusion map the engine computed (test hook occlusion-map:
// 64 cells, data-block and data-drop, over the 8x8 the model read; data-top-class on the
// map), red where blanking a block costs the top class probability, blue where it helps;
// and the top class's confidence as the digit is shifted, rotated and thickened
// (confidence-curves: one child per curve, data-curve).
import { formatPercent } from '../format.js';
import { drawCurve } from '../views/curve-plot.js';
import { paintDigit } from '../views/digit-image.js';

const CURVES = {
  shift_x: { title: 'shifted sideways', unit: ' px' },
  shift_y: { title: 'shifted up / down', unit: ' px' },
  rotate: { title: 'rotated', unit: '°' },
  thickness: { title: 'thinner / bolder', unit: ' px' },
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
      this.map_.setAttribute('aria-label', 'occlusion map: nothing to show yet');
      for (const cell of this.cells_) {
        cell.dataset.drop = '0';
        cell.style.background = 'transparent';
      }
      this.caption_.textContent = inspected && !inspected.blank ? 'No model yet: the map shows once one has trained.' : 'Draw a digit to see where the model looks.';
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
      cell.title = `block ${Math.floor(i / 8) + 1}, ${i % 8 + 1}: ${d >= 0 ? '−' : '+'}${formatPercent(Math.abs(d), 0)} for ${topClass} when blanked`;
    });
    let most = 0;
    drop.forEach((d, i) => { if (d > drop[most]) most = i; });
    this.map_.setAttribute('aria-label', `occlusion map for ${topClass}: blanking row ${Math.floor(most / 8) + 1}, column ${most % 8 + 1} costs the most`);
    this.caption_.textContent = `The model reads ${topClass} (${formatPercent(topProbability, 0)}). Red blocks: blanking them lowers that `
      + `(up to ${formatPercent(Math.max(0, drop[most]), 0)}); blue: blanking raises it. 64 forward passes.`;
    this.showCurves_(inspected.curves);
  }

  showCurves_(curves) {
    if (!curves) {
      this.curves_.replaceChildren();
      return;
    }
    const figures = curves.curves.map((curve) => {
      const info = CURVES[curve.name] ?? { title: curve.name, unit: '' };
      const figure = document.createElement('figure');
      figure.dataset.curve = curve.name;
      const canvas = document.createElement('canvas');
      canvas.className = 'curve';
      canvas.setAttribute('role', 'img');
      const low = Math.min(...curve.confidence);
      canvas.setAttribute('aria-label', `confidence in ${curves.topClass} when ${info.title}: lowest ${formatPercent(low, 0)}`);
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
