// The custom-architecture editor: the layer stack as a list of rows (type, fields, move
// up/down, remove), an "add layer" control and the input shape. Every edit is reported;
// the page asks the engine to shape-check it and shows the summary or the error here.
import {
  INPUT_FLAT, INPUT_IMAGE, LAYER_TYPES, insertLayer, layerFromMessage, moveLayer, removeLayer, setLayerField,
} from '../layer-stack.js';

export class LayerEditor {
  // onChange(stack): called after every valid edit.
  constructor(container, onChange) {
    this.container_ = container;
    this.onChange_ = onChange;
    this.stack_ = null;
    this.summary_ = null;
    this.errorLayer_ = 0;
  }

  setStack(stack) {
    this.stack_ = stack;
    this.render_();
  }

  showSummary(summary) {
    this.summary_ = summary;
    this.errorLayer_ = 0;
    this.render_();
    this.setStatus_(`${summary.layers.length} layers, ${summary.totalParams.toLocaleString('en')} parameters.`, false);
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
    input.innerHTML = `Input <select data-key="input">
      <option value="flat">64 features</option><option value="image">1×8×8 image</option></select>`;
    const inputSelect = input.querySelector('select');
    inputSelect.value = Array.isArray(this.stack_.input) ? 'image' : 'flat';
    inputSelect.addEventListener('change', () => {
      this.edit_({ ...this.stack_, input: inputSelect.value === 'image' ? INPUT_IMAGE : INPUT_FLAT });
    });

    const add = document.createElement('div');
    add.className = 'layer-add';
    const options = Object.entries(LAYER_TYPES).map(([type, spec]) => `<option value="${type}">${spec.label}</option>`);
    add.innerHTML = `<label>Add <select data-key="add-type" aria-label="Layer type to add">${options.join('')}</select></label>
      <button type="button" data-key="add">Add layer</button>`;
    const typeSelect = add.querySelector('select');
    typeSelect.value = this.lastType_ ?? 'dense';
    typeSelect.addEventListener('change', () => { this.lastType_ = typeSelect.value; });
    add.querySelector('button').addEventListener('click', () => this.edit_(insertLayer(this.stack_, typeSelect.value)));

    const status = document.createElement('p');
    status.className = 'layer-status';
    status.setAttribute('aria-live', 'polite');
    status.textContent = this.statusText_ ?? '';
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
    name.textContent = spec ? spec.label : layer.type;
    row.append(name);
    for (const [field, label, , min, max, integer] of spec?.fields ?? []) {
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
      wrap.append(`${label} `, input, message);
      row.append(wrap);
    }
    const shape = this.summary_?.layers[index]?.outputShape;
    const out = document.createElement('span');
    out.className = 'layer-shape';
    out.textContent = shape ? `→ ${shape.join('×')}` : '';
    row.append(out);
    const last = this.stack_.layers.length - 1;
    row.append(
      this.button_('↑', `Move layer ${index + 1} up`, `${index}-up`, index === 0, () => this.edit_(moveLayer(this.stack_, index, -1))),
      this.button_('↓', `Move layer ${index + 1} down`, `${index}-down`, index === last, () => this.edit_(moveLayer(this.stack_, index, 1))),
      this.button_('✕', `Remove layer ${index + 1}`, `${index}-remove`, false, () => this.edit_(removeLayer(this.stack_, index))),
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

  setStatus_(text, isError) {
    this.statusText_ = text;
    this.statusError_ = isError;
    const status = this.container_.querySelector('.layer-status');
    if (status) {
      status.textContent = text;
      status.classList.toggle('error', isError);
    }
  }
}
