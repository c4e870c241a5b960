// A small x-y plot on a high-DPI canvas: curves of (x, y) points over fixed ranges, zero
// axes, and optional vertical markers (the point a control has chosen). Draws only what
// it is given: every value comes from the engine.
import { fitCanvas } from './hidpi.js';

const PAD = { left: 34, right: 8, top: 8, bottom: 18 };

// curves: [{ x: number[], y: number[], color, dashed }]; marks: [x]; ranges: { x: [lo, hi], y: [lo, hi] }.
export function drawPlot(canvas, { curves, marks = [], x: [x0, x1], y: [y0, y1] }) {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  const w = width - PAD.left - PAD.right, h = height - PAD.top - PAD.bottom;
  const sx = (x) => PAD.left + ((x - x0) / (x1 - x0)) * w;
  const sy = (y) => PAD.top + (1 - (Math.max(y0, Math.min(y1, y)) - y0) / (y1 - y0)) * h;
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = '#6b7385';
  ctx.strokeStyle = '#d8dce6';
  ctx.lineWidth = 1;
  ctx.beginPath();
  if (y0 < 0 && y1 > 0) { ctx.moveTo(PAD.left, sy(0)); ctx.lineTo(PAD.left + w, sy(0)); }
  if (x0 < 0 && x1 > 0) { ctx.moveTo(sx(0), PAD.top); ctx.lineTo(sx(0), PAD.top + h); }
  ctx.rect(PAD.left, PAD.top, w, h);
  ctx.stroke();
  ctx.textAlign = 'right';
  ctx.fillText(String(y1), PAD.left - 4, PAD.top + 8);
  ctx.fillText(String(y0), PAD.left - 4, PAD.top + h);
  ctx.textAlign = 'center';
  ctx.fillText(String(x0), PAD.left, height - 4);
  ctx.fillText(String(x1), PAD.left + w, height - 4);
  for (const curve of curves) {
    ctx.strokeStyle = curve.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(curve.dashed ? [5, 4] : []);
    ctx.beginPath();
    curve.x.forEach((x, i) => (i ? ctx.lineTo(sx(x), sy(curve.y[i])) : ctx.moveTo(sx(x), sy(curve.y[i]))));
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.strokeStyle = '#1c2233';
  for (const x of marks) {
    ctx.beginPath();
    ctx.moveTo(sx(x), PAD.top);
    ctx.lineTo(sx(x), PAD.top + h);
    ctx.stroke();
  }
}
