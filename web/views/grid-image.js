// Paints a C x H x W activation map (the first channel) or a flat vector as grey blocks,
// scaled from its own minimum (paper) to its maximum (ink), so any layer's output can be
// seen next to the digit it came from.
export function paintGrid(canvas, values, [channels, height = 1, width = 1]) {
  const rows = height === 1 && width === 1 ? 1 : height;
  const cols = height === 1 && width === 1 ? channels : width;
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(cols, rows);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < rows * cols; i++) { lo = Math.min(lo, values[i]); hi = Math.max(hi, values[i]); }
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < rows * cols; i++) {
    const shade = Math.round(255 - ((values[i] - lo) / span) * 228);
    image.data.set([shade, shade, Math.min(255, shade + 8), 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}
