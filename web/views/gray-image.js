// Paints a small gray image (width*height values, 0 = paper .. 1 = ink) into a canvas at its
// own resolution; CSS scales it up with sharp pixels. Used for the preprocessing steps.

export function paintGray(canvas, width, height, pixels) {
  if (pixels.length !== width * height) throw new Error(`paintGray: ${width}x${height} needs ${width * height} values, got ${pixels.length}`);
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(width, height);
  for (let i = 0; i < pixels.length; i++) {
    const ink = Math.max(0, Math.min(1, pixels[i]));
    const shade = Math.round(255 - ink * 228);  // the same paper -> near black as digit-image.js
    image.data.set([shade, shade, Math.min(255, shade + 8), 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
  return ctx;
}
