// A tiny plot of one confidence curve: x the edit's steps (shift in pixels, rotation in
// degrees, ...), y the probability of the digit's own top class (0..1). A point is filled
// where the model still reads that class and hollow where it reads another.
import { fitCanvas } from './hidpi.js';

const PAD = { left: 26, right: 6, top: 6, bottom: 16 };

export function drawCurve(canvas, { steps, confidence, predicted, topClass, unit }) {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  const x0 = steps[0], x1 = steps[steps.length - 1];
  const px = (x) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (width - PAD.left - PAD.right);
  const py = (y) => height - PAD.bottom - y * (height - PAD.top - PAD.bottom);
  ctx.strokeStyle = '#e2e6ee';
  ctx.fillStyle = '#6b7385';
  ctx.font = '10px system-ui, sans-serif';
  ctx.lineWidth = 1;
  for (const y of [0, 0.5, 1]) {
    ctx.beginPath();
    ctx.moveTo(PAD.left, py(y));
    ctx.lineTo(width - PAD.right, py(y));
    ctx.stroke();
    ctx.fillText(`${Math.round(y * 100)}%`, 0, py(y) + 3);
  }
  ctx.fillText(`${x0}${unit}`, PAD.left, height - 3);
  const last = `${x1}${unit}`;
  ctx.fillText(last, width - PAD.right - ctx.measureText(last).width, height - 3);
  ctx.strokeStyle = '#3b6fe0';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  steps.forEach((x, i) => (i ? ctx.lineTo(px(x), py(confidence[i])) : ctx.moveTo(px(x), py(confidence[i]))));
  ctx.stroke();
  steps.forEach((x, i) => {
    ctx.beginPath();
    ctx.arc(px(x), py(confidence[i]), 2.5, 0, 2 * Math.PI);
    if (predicted[i] === topClass) {
      ctx.fillStyle = '#3b6fe0';
      ctx.fill();
    } else {
      ctx.fillStyle = '#fff';
      ctx.fill();
      ctx.strokeStyle = '#c8413b';
      ctx.stroke();
      ctx.strokeStyle = '#3b6fe0';
    }
  });
}
