// Paints signed activations (width*height values) into a canvas at their own resolution:
// positive values in blue, negative in red, zero white, each scaled by `scale` (the
// layer's largest magnitude, so one layer's maps share one scale). CSS scales it up.

export function paintSigned(canvas, width, height, values, scale) {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(width, height);
  const s = scale > 0 ? scale : 1;
  for (let i = 0; i < width * height; i++) {
    const v = Math.max(-1, Math.min(1, values[i] / s));
    const a = Math.abs(v);
    const rgb = v >= 0 ? [255 - a * 215, 255 - a * 160, 255 - a * 40] : [255 - a * 55, 255 - a * 190, 255 - a * 196];
    image.data.set([Math.round(rgb[0]), Math.round(rgb[1]), Math.round(rgb[2]), 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}
