// Paints an 8x8 image (64 values, 0..1 or 0..16) as dark ink on light paper into a small
// canvas, one block per pixel with sharp edges.

export function paintDigit(canvas, values, max = 1) {
  if (values.length !== 64) throw new Error(`paintDigit needs 64 values, got ${values.length}`);
  canvas.width = 8;
  canvas.height = 8;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(8, 8);
  for (let i = 0; i < 64; i++) {
    const ink = Math.max(0, Math.min(1, values[i] / max));
    const shade = Math.round(255 - ink * 228);  // paper -> near black
    image.data.set([shade, shade, Math.min(255, shade + 8), 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

// A new canvas element showing the digit, with an accessible label.
export function digitCanvas(values, label, className = 'digit') {
  const canvas = document.createElement('canvas');
  canvas.className = className;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  canvas.title = label;
  paintDigit(canvas, values);
  return canvas;
}
