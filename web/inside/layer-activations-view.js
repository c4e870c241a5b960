// Every layer, live, for one digit: the engine's trace_forward of it (input, each layer's
// output, then the probabilities), drawn by shape. Test hook layer-activations: one child per
// trace entry, data-layer (its name) and data-type. Image outputs (conv, pool, their
// activations) are one small map per channel; flat outputs a strip of cells (or bars for the
// ten logits and probabilities). Colours: blue positive, red negative, per layer scale.
import { formatPercent } from '../format.js';
import { currentLanguage, setText, t } from '../i18n.js';
import { paintSigned } from '../views/activation-image.js';
import { paintDigit } from '../views/digit-image.js';

const MAX_MAPS = 32;   // feature maps drawn per layer (the rest are counted)

export class LayerActivationsView {
  // onMember(index): called when another ensemble member is chosen.
  constructor(container, onMember = () => {}) {
    this.note_ = document.createElement('p');
    this.note_.className = 'muted small';
    this.member_ = document.createElement('label');
    this.member_.className = 'act-member small';
    this.member_.hidden = true;
    this.select_ = document.createElement('select');
    this.select_.addEventListener('change', () => onMember(Number(this.select_.value)));
    const memberText = document.createElement('span');
    setText(memberText, 'inside.layers.member');
    this.member_.append(memberText, ' ', this.select_);
    this.list_ = document.createElement('div');
    this.list_.className = 'layer-activations';
    this.list_.dataset.testid = 'layer-activations';
    container.replaceChildren(this.member_, this.note_, this.list_);
    this.show(null);
  }

  show(inspected) {
    const layers = inspected?.layers;
    this.showMember_(inspected);
    if (!layers) {
      this.list_.replaceChildren();
      setText(this.note_, inspected && !inspected.blank ? 'inside.layers.noModel' : 'inside.layers.draw');
      return;
    }
    setText(this.note_, inspected.member !== undefined ? 'inside.layers.oneMember' : '');
    this.list_.replaceChildren(...layers.map((layer) => this.layer_(layer)));
  }

  showMember_(inspected) {
    const count = inspected?.models ?? 0;
    this.member_.hidden = inspected?.member === undefined || count < 2;
    if (this.member_.hidden) return;
    if (this.select_.options.length !== count || this.select_.dataset.language !== currentLanguage()) {
      this.select_.replaceChildren(...Array.from({ length: count },
        (_, i) => new Option(t('inside.layers.memberOption', { n: i + 1, count }), String(i))));
      this.select_.dataset.language = currentLanguage();
    }
    this.select_.value = String(inspected.member);
  }

  layer_(layer) {
    const row = document.createElement('figure');
    row.className = 'act-row';
    row.dataset.layer = layer.name;
    row.dataset.type = layer.type;
    const { values, shape } = layer;
    let largest = 0;
    for (const v of values) largest = Math.max(largest, Math.abs(v));
    const caption = document.createElement('figcaption');
    caption.textContent = `${layer.name} · ${shape.join('×')}`;
    const body = document.createElement('div');
    body.className = 'act-body';
    if (layer.type === 'input') body.append(this.input_(values));
    else if (layer.type === 'softmax' || layer.type === 'sigmoid') body.append(this.bars_(values, true));
    else if (shape.length === 3 && shape[1] * shape[2] > 1) body.append(...this.maps_(values, shape, largest));
    else if (values.length <= 10) body.append(this.bars_(values, false, largest));
    else body.append(this.strip_(values, largest));
    const range = document.createElement('span');
    range.className = 'act-range muted small';
    const probabilities = layer.type === 'softmax' || layer.type === 'sigmoid';
    range.textContent = probabilities ? t('inside.layers.probabilities') : t('inside.layers.largest', { largest: largest.toPrecision(3) });
    row.append(caption, body, range);
    return row;
  }

  input_(values) {
    const canvas = document.createElement('canvas');
    canvas.className = 'act-map big';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', t('inside.input'));
    paintDigit(canvas, values);
    return canvas;
  }

  maps_(values, [channels, h, w], largest) {
    const out = [];
    for (let c = 0; c < Math.min(channels, MAX_MAPS); c++) {
      const canvas = document.createElement('canvas');
      canvas.className = 'act-map';
      canvas.title = t('inside.layers.channel', { n: c + 1 });
      paintSigned(canvas, w, h, values.subarray(c * h * w, (c + 1) * h * w), largest);
      out.push(canvas);
    }
    if (channels > MAX_MAPS) {
      const more = document.createElement('span');
      more.className = 'muted small';
      more.textContent = t('inside.layers.moreMaps', { count: channels - MAX_MAPS });
      out.push(more);
    }
    return out;
  }

  // A flat layer as a strip of cells, wrapped into rows of at most 32.
  strip_(values, largest) {
    const width = Math.min(32, values.length);
    const height = Math.ceil(values.length / width);
    const padded = new Float32Array(width * height);
    padded.set(values);
    const canvas = document.createElement('canvas');
    canvas.className = 'act-strip';
    canvas.style.aspectRatio = `${width} / ${height}`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', t('inside.layers.units', { count: values.length }));
    paintSigned(canvas, width, height, padded, largest);
    return canvas;
  }

  // Ten bars (one per class): probabilities from 0 to 1, or signed logits on the layer's scale.
  bars_(values, probabilities, largest = 1) {
    const box = document.createElement('div');
    box.className = `act-bars ${probabilities ? 'probabilities' : 'signed'}`;
    let top = 0;
    values.forEach((v, i) => { if (v > values[top]) top = i; });
    values.forEach((v, i) => {
      const bar = document.createElement('span');
      bar.className = `act-bar${i === top ? ' top' : ''}`;
      const share = probabilities ? v : Math.abs(v) / (largest || 1);
      bar.style.setProperty('--share', Math.min(1, Math.max(0, share)).toFixed(3));
      bar.classList.toggle('negative', v < 0);
      bar.dataset.value = v.toFixed(4);
      bar.title = `${i}: ${probabilities ? formatPercent(v) : v.toFixed(3)}`;
      const label = document.createElement('b');
      label.textContent = String(i);
      bar.append(label);
      box.append(bar);
    });
    return box;
  }
}
