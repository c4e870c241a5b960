// The custom-architecture editor: the layer stack as a list of rows (type, fields, move
// up/down, remove), an "add layer" control and the input shape. Every edit is reported;
// the page asks the engine to shape-check it and shows the summary or the error here.
import {
  INPUT_FLAT, INPUT_IMAGE, LAYER_TYPES, insertLayer, layerFromMessage, moveLayer, removeLayer, setLayerField,
} from '../layer-stack.js';
import { onLanguageChange, setText, t } from '../i18n.js';

export class LayerEditor {
  // onChange(stack): called after every valid edit.
  constructor(container, onChange) {
    this.container_ = container;
    this.onChange_ = onChange;
    this.stack_ = null;
    this.summary_ = null;
    this.errorLayer_ = 0;
    onLanguageChange(() => this.render_());
  }

  setStack(stack) {
    this.stack_ = stack;
    this.render_();
  }

  showSummary(summary) {
    this.summary_ = summary;
    this.errorLayer_ = 0;
    this.render_();
    this.setStatus_({ key: 'layers.summary', params: { layers: summary.layers.length, params: summary.totalParams } }, false);
  }

  showError(message) {
    this.summary_ = null;
    this.errorLayer_ = layerFromMessage(message);
    this.render_();
    this.setStatus_(message, true);
  }

  edit_(next) {
    this.stack_ = next;
    this.render_();
    this.onChange_(next);
  }

  render_() {
    if (!this.stack_) return;
    const focusKey = document.activeElement?.dataset?.key;
    const list = document.createElement('ol');
    list.className = 'layer-list';
    this.stack_.layers.forEach((layer, index) => list.append(this.row_(layer, index)));

    const input = document.createElement('label');
    input.className = 'layer-input';
    const inputSelect = document.createElement('select');
    inputSelect.dataset.key = 'input';
    inputSelect.append(new Option(t('layers.inputFlat'), 'flat'), new Option(t('layers.inputImage'), 'image'));
    input.append(`${t('layers.input')} `, inputSelect);
    inputSelect.value = Array.isArray(this.stack_.input) ? 'image' : 'flat';
    inputSelect.addEventListener('change', () => {
      this.edit_({ ...this.stack_, input: inputSelect.value === 'image' ? INPUT_IMAGE : INPUT_FLAT });
    });

    const add = document.createElement('div');
    add.className = 'layer-add';
    const typeLabel = document.createElement('label');
    const typeSelect = document.createElement('select');
    typeSelect.dataset.key = 'add-type';
    typeSelect.setAttribute('aria-label', t('layers.addType'));
    typeSelect.append(...Object.keys(LAYER_TYPES).map((type) => new Option(t(`layer.${type}`), type)));
    typeLabel.append(`${t('layers.add')} `, typeSelect);
    const addButton = document.createElement('button');
    addButton.type = 'button';
    addButton.dataset.key = 'add';
    addButton.textContent = t('layers.addLayer');
    add.append(typeLabel, ' ', addButton);
    typeSelect.value = this.lastType_ ?? 'dense';
    typeSelect.addEventListener('change', () => { this.lastType_ = typeSelect.value; });
    add.querySelector('button').addEventListener('click', () => this.edit_(insertLayer(this.stack_, typeSelect.value)));

    const status = document.createElement('p');
    status.className = 'layer-status';
    status.setAttribute('aria-live', 'polite');
    this.writeStatus_(status);
    status.classList.toggle('error', Boolean(this.statusError_));
    this.container_.replaceChildren(input, list, add, status);
    if (focusKey) this.container_.querySelector(`[data-key="${focusKey}"]`)?.focus();
  }

  row_(layer, index) {
    const spec = LAYER_TYPES[layer.type];
    const row = document.createElement('li');
    row.className = 'layer-row';
    row.classList.toggle('error', this.errorLayer_ === index + 1);
    const name = document.createElement('span');
    name.className = 'layer-type';
    name.textContent = spec ? t(`layer.${layer.type}`) : layer.type;
    row.append(name);
    for (const [field, , , min, max, integer] of spec?.fields ?? []) {
      const wrap = document.createElement('label');
      wrap.className = 'layer-field';
      const input = document.createElement('input');
      input.type = 'number';
      input.min = String(min);
      input.max = String(max);
      input.step = integer ? '1' : 'any';
      input.value = String(layer[field]);
      input.dataset.key = `${index}-${field}`;
      const message = document.createElement('span');
      message.className = 'field-error';
      input.addEventListener('change', () => {
        const result = setLayerField(this.stack_, index, field, input.value);
        if (result.error) {
          message.textContent = result.error;
          input.setAttribute('aria-invalid', 'true');
        } else {
          this.edit_(result.stack);
        }
      });
      wrap.append(`${t(`layerField.${field}`)} `, input, message);
      row.append(wrap);
    }
    const shape = this.summary_?.layers[index]?.outputShape;
    const out = document.createElement('span');
    out.className = 'layer-shape';
    out.textContent = shape ? `→ ${shape.join('×')}` : '';
    row.append(out);
    const last = this.stack_.layers.length - 1;
    row.append(
      this.button_('↑', t('layers.up', { n: index + 1 }), `${index}-up`, index === 0, () => this.edit_(moveLayer(this.stack_, index, -1))),
      this.button_('↓', t('layers.down', { n: index + 1 }), `${index}-down`, index === last, () => this.edit_(moveLayer(this.stack_, index, 1))),
      this.button_('✕', t('layers.remove', { n: index + 1 }), `${index}-remove`, false, () => this.edit_(removeLayer(this.stack_, index))),
    );
    return row;
  }

  button_(text, label, key, disabled, onClick) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'icon';
    button.textContent = text;
    button.setAttribute('aria-label', label);
    button.title = label;
    button.dataset.key = key;
    button.disabled = disabled;
    button.addEventListener('click', onClick);
    return button;
  }

  // text: an engine message (shown as it is) or a { key, params } message.
  setStatus_(text, isError) {
    this.statusText_ = text;
    this.statusError_ = isError;
    const status = this.container_.querySelector('.layer-status');
    if (status) {
      this.writeStatus_(status);
      status.classList.toggle('error', isError);
    }
  }

  writeStatus_(status) {
    const text = this.statusText_;
    if (text && typeof text === 'object') setText(status, text.key, text.params);
    else setText(status, text ? 'text.plain' : '', { text });
  }
}
