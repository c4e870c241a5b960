// The first layer's weights as small images: one 8x8 tile per dense unit (its 64 input
// weights) or one KxK tile per conv filter. Blue is negative, orange positive, each tile
// scaled alike (by the layer's spread) so tiles compare with each other.
import { setText, t } from '../i18n.js';

const MAX_TILES = 64;

export class WeightsView {
  constructor(container, caption) {
    this.container_ = container;
    this.caption_ = caption;
  }

  // weights: LayerWeights from the engine (rows, cols, weight, kernel?, channels?) or null.
  show(weights) {
    if (!weights) {
      this.container_.replaceChildren();
      setText(this.caption_, 'weights.none');
      return;
    }
    const { rows, cols, weight, type } = weights;
    const side = type === 'conv2d' ? weights.kernel : Math.round(Math.sqrt(cols));
    const channels = type === 'conv2d' ? weights.channels || 1 : 1;
    if (side * side * channels !== cols) {
      this.container_.replaceChildren();
      setText(this.caption_, 'weights.notImage', { cols });
      return;
    }
    // Scale to 2.5 standard deviations, not the maximum: one large weight would wash out
    // every tile.
    let sumSquares = 0;
    for (let i = 0; i < weight.length; i++) sumSquares += weight[i] * weight[i];
    const scale = Math.max(1e-8, 2.5 * Math.sqrt(sumSquares / Math.max(1, weight.length)));
    // Reuse the tiles while the layout is the same: this runs a few times a second while
    // a network trains.
    const count = Math.min(rows, MAX_TILES);
    let tiles = [...this.container_.children];
    if (tiles.length !== count || tiles[0]?.width !== side) {
      tiles = Array.from({ length: count }, (_, r) => this.makeTile_(side, r));
      this.container_.replaceChildren(...tiles);
    }
    for (let r = 0; r < count; r++) {
      // For several channels, show the first one: the digits are single-channel anyway.
      this.paintTile_(tiles[r], weight.subarray(r * cols, r * cols + side * side), side, scale);
    }
    const key = `weights.${type === 'conv2d' ? 'filters' : 'units'}${rows > count ? 'Some' : ''}`;
    setText(this.caption_, key, { rows, side, count });
  }

  makeTile_(side, index) {
    const canvas = document.createElement('canvas');
    canvas.className = 'weight-tile';
    canvas.width = side;
    canvas.height = side;
    canvas.title = t('weights.unit', { n: index + 1 });
    return canvas;
  }

  paintTile_(canvas, values, side, scale) {
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(side, side);
    for (let i = 0; i < side * side; i++) {
      const v = Math.max(-1, Math.min(1, values[i] / scale));
      // Diverging map: white at 0, orange (+) and blue (-) at the ends.
      const rgb = v >= 0 ? [255 - 20 * v, 255 - 120 * v, 255 - 220 * v] : [255 + 200 * v, 255 + 110 * v, 255 + 20 * v];
      image.data.set([...rgb.map(Math.round), 255], i * 4);
    }
    ctx.putImageData(image, 0, 0);
  }
}
