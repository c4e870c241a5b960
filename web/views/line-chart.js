// A small line chart on a high-DPI canvas (compare TF Playground's linechart): x from 0 to
// a fixed end (the run's epochs), y either fixed (accuracy 0..1) or fitted to the data.
// Series are redrawn whole on every update; they hold a few hundred points at most.
import { fitCanvas } from './hidpi.js';

const PAD = { left: 40, right: 10, top: 10, bottom: 22 };

export class LineChart {
  // options: { series: [{ name, color, dashed }], yMin, yMax (omit to fit), format(y) }
  constructor(canvas, options) {
    this.canvas_ = canvas;
    this.options_ = options;
    this.xMax_ = 1;
    this.data_ = options.series.map(() => []);
    new ResizeObserver(() => this.draw_()).observe(canvas);
  }

  reset(xMax) {
    this.xMax_ = Math.max(1, xMax);
    this.data_ = this.options_.series.map(() => []);
    this.draw_();
  }

  // Replaces the series (a chart of a changing number of curves, e.g. the kept runs) and
  // their points, and the x range.
  setSeries(series, points, xMax) {
    this.options_ = { ...this.options_, series };
    this.xMax_ = Math.max(1, xMax);
    this.set(points);
  }

  // points: one array of [x, y] per series (replaces the data).
  set(points) {
    this.data_ = points.map((list) => list.filter(([, y]) => Number.isFinite(y)));
    this.draw_();
  }

  yRange_() {
    let { yMin, yMax } = this.options_;
    if (yMin === undefined || yMax === undefined) {
      const ys = this.data_.flat().map(([, y]) => y);
      yMin ??= 0;
      yMax ??= ys.length ? Math.max(...ys) * 1.05 : 1;
      if (!(yMax > yMin)) yMax = yMin + 1;
    }
    return [yMin, yMax];
  }

  draw_() {
    const { ctx, width, height } = fitCanvas(this.canvas_);
    ctx.clearRect(0, 0, width, height);
    const [yMin, yMax] = this.yRange_();
    const plotW = width - PAD.left - PAD.right, plotH = height - PAD.top - PAD.bottom;
    const sx = (x) => PAD.left + (x / this.xMax_) * plotW;
    const sy = (y) => PAD.top + (1 - (y - yMin) / (yMax - yMin)) * plotH;
    const format = this.options_.format ?? ((y) => y.toFixed(2));

    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.strokeStyle = 'rgba(120, 130, 150, 0.25)';
    ctx.fillStyle = '#6b7385';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const y = yMin + ((yMax - yMin) * i) / 4;
      ctx.beginPath();
      ctx.moveTo(PAD.left, sy(y));
      ctx.lineTo(width - PAD.right, sy(y));
      ctx.stroke();
      ctx.fillText(format(y), PAD.left - 6, sy(y));
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const step = Math.max(1, Math.ceil(this.xMax_ / 10));
    for (let x = 0; x <= this.xMax_; x += step) ctx.fillText(String(x), sx(x), height - PAD.bottom + 6);

    this.options_.series.forEach((series, i) => {
      const points = this.data_[i] ?? [];
      if (!points.length) return;
      ctx.strokeStyle = series.color;
      ctx.fillStyle = series.color;
      ctx.lineWidth = 2;
      ctx.setLineDash(series.dashed ? [5, 4] : []);
      ctx.beginPath();
      points.forEach(([x, y], j) => (j ? ctx.lineTo(sx(x), sy(y)) : ctx.moveTo(sx(x), sy(y))));
      ctx.stroke();
      ctx.setLineDash([]);
      const [lx, ly] = points[points.length - 1];
      ctx.beginPath();
      ctx.arc(sx(lx), sy(ly), 3, 0, 2 * Math.PI);
      ctx.fill();
    });
  }
}
