// Item "step through training": the Step button runs exactly one batch of the user's run
// in the engine (a fresh run from the form's settings when there is none); then, for a
// sample picked from that batch, stages to walk forward and back: the input, each layer's
// output, the loss, dLoss/dOutput layer by layer with the batch's gradient norms and the
// chosen weight's gradient, and the optimizer's update of that weight. Every number comes
// from the engine (engine/step_trace.h); this module only lays them out.
import { onLanguageChange, setMessage, setText, t } from '../i18n.js';
import { digitCanvas } from '../views/digit-image.js';
import { activationView, formatNumber } from './activation-view.js';

export class StepThrough {
  // client: the trainer's WorkerClient; options(): the options of a fresh run (throws with
  // a message when the settings are invalid); beforeStep(): awaited first (pauses a run,
  // stops the default ensemble's training); onStepped(result): after each step.
  constructor(container, { client, options, beforeStep = async () => {}, onStepped = () => {} }) {
    this.client_ = client;
    this.options_ = options;
    this.beforeStep_ = beforeStep;
    this.onStepped_ = onStepped;
    container.innerHTML = `
      <h3 data-i18n="inside.step.title">${t('inside.step.title')}</h3>
      <p class="hint" data-i18n="inside.step.hint">${t('inside.step.hint')}</p>
      <div class="step-controls">
        <button type="button" class="primary" data-testid="step-batch" data-i18n="inside.step.step">${t('inside.step.step')}</button>
        <span class="muted small" data-testid="step-status" aria-live="polite" data-i18n="inside.step.none">${t('inside.step.none')}</span>
      </div>
      <div class="step-samples" role="group" aria-label="${t('inside.step.samplesLabel')}" data-i18n-aria-label="inside.step.samplesLabel"></div>
      <div class="step-weight" hidden>
        <label><span data-i18n="inside.step.weight">${t('inside.step.weight')}</span> <select data-role="layer" aria-label="${t('inside.step.layerLabel')}" data-i18n-aria-label="inside.step.layerLabel"></select></label>
        <select data-role="param" aria-label="${t('inside.weightOrBias')}" data-i18n-aria-label="inside.weightOrBias"><option value="weight" data-i18n="inside.weight">${t('inside.weight')}</option><option value="bias" data-i18n="inside.bias">${t('inside.bias')}</option></select>
        <label><span data-i18n="inside.element">${t('inside.element')}</span> <input data-role="element" type="number" min="0" step="1" placeholder="${t('inside.largest')}" data-i18n-placeholder="inside.largest" aria-label="${t('inside.elementLabel')}" data-i18n-aria-label="inside.elementLabel"></label>
      </div>
      <div class="stage-nav" hidden>
        <button type="button" class="secondary" data-testid="step-stage-prev" aria-label="${t('inside.step.prev')}" data-i18n-aria-label="inside.step.prev">←</button>
        <ol class="stage-list"></ol>
        <button type="button" class="secondary" data-testid="step-stage-next" aria-label="${t('inside.step.next')}" data-i18n-aria-label="inside.step.next">→</button>
      </div>
      <div class="stage" data-testid="step-stage" data-stage="" hidden></div>
      <p class="message" role="alert" hidden></p>`;
    this.button_ = container.querySelector('[data-testid="step-batch"]');
    this.status_ = container.querySelector('[data-testid="step-status"]');
    this.samples_ = container.querySelector('.step-samples');
    this.weightPicker_ = container.querySelector('.step-weight');
    this.layerSelect_ = container.querySelector('[data-role="layer"]');
    this.paramSelect_ = container.querySelector('[data-role="param"]');
    this.elementInput_ = container.querySelector('[data-role="element"]');
    this.nav_ = container.querySelector('.stage-nav');
    this.list_ = container.querySelector('.stage-list');
    this.stage_ = container.querySelector('[data-testid="step-stage"]');
    this.message_ = container.querySelector('.message');
    this.button_.addEventListener('click', () => this.step());
    container.querySelector('[data-testid="step-stage-prev"]').addEventListener('click', () => this.move(-1));
    container.querySelector('[data-testid="step-stage-next"]').addEventListener('click', () => this.move(1));
    for (const input of [this.layerSelect_, this.paramSelect_, this.elementInput_]) {
      input.addEventListener('change', () => this.view_());
    }
    this.row_ = 0;
    this.stageIndex_ = 0;
    // A new language: the stages' words again (the same sample, weight and stage).
    onLanguageChange(() => {
      if (this.stages_) this.show_(this.sample_, this.weight_);
    });
  }

  async step() {
    this.button_.disabled = true;
    this.showMessage_('');
    try {
      await this.beforeStep_();
      const options = await this.options_();
      const result = await this.client_.request('step', { options, row: this.row_, ...this.weightChoice_() });
      this.result_ = result;
      this.summary_ = result.summary;
      this.row_ = Math.min(this.row_, result.batch.size - 1);
      this.showBatch_(result.batch);
      this.fillLayers_(result.summary);
      this.show_(result.sample, result.weight);
      this.onStepped_(result);
    } catch (err) {
      this.showMessage_(err.text ?? err.message);
    } finally {
      this.button_.disabled = false;
    }
  }

  // Walks the stages: -1 back, +1 forward.
  move(delta) {
    if (!this.stages_) return;
    this.stageIndex_ = Math.max(0, Math.min(this.stages_.length - 1, this.stageIndex_ + delta));
    this.renderStage_();
  }

  weightChoice_() {
    const layer = this.layerSelect_.value === '' ? null : Number(this.layerSelect_.value);
    const text = this.elementInput_.value.trim();
    return { layer, param: this.paramSelect_.value, element: text === '' ? -1 : Number(text) };
  }

  async view_() {
    if (!this.result_) return;
    this.showMessage_('');
    try {
      const { sample, weight } = await this.client_.request('stepView', { row: this.row_, ...this.weightChoice_() });
      this.show_(sample, weight);
    } catch (err) {
      this.showMessage_(err.text ?? err.message);
    }
  }

  showBatch_(batch) {
    const b = batch;
    const status = { epoch: b.epoch, batch: b.batch, step: b.stepNumber, size: b.size, optimizer: b.optimizer,
      lr: formatNumber(b.learningRate), before: formatNumber(b.lossBefore), after: formatNumber(b.lossAfter) };
    setText(this.status_, 'inside.step.status', status);
    Object.assign(this.status_.dataset, { epoch: b.epoch, batch: b.batch, lossBefore: b.lossBefore, lossAfter: b.lossAfter });
    const features = b.inputs.length / b.size;
    const buttons = [];
    for (let row = 0; row < b.size; row += 1) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sample';
      button.dataset.row = row;
      button.setAttribute('data-testid', 'step-sample');
      button.setAttribute('aria-pressed', String(row === this.row_));
      const image = b.inputs.subarray(row * features, (row + 1) * features);
      if (features === 64) button.append(digitCanvas(image, t('inside.step.sample', { n: row + 1, label: String(b.labels[row]) })));
      const label = document.createElement('span');
      label.textContent = b.labels[row];
      button.append(label);
      button.addEventListener('click', () => {
        this.row_ = row;
        for (const other of buttons) other.setAttribute('aria-pressed', String(other === button));
        this.view_();
      });
      buttons.push(button);
    }
    this.samples_.replaceChildren(...buttons);
  }

  fillLayers_(summary) {
    const keep = this.layerSelect_.value;
    const options = summary.layers.map((layer, index) => ({ layer, index })).filter(({ layer }) => layer.params > 0)
      .map(({ layer, index }) => new Option(`${layer.name} (${layer.outputShape.join('×')})`, String(index)));
    this.layerSelect_.replaceChildren(...options);
    if (options.some((o) => o.value === keep)) this.layerSelect_.value = keep;
    this.weightPicker_.hidden = false;
  }

  // The stages of one sample: input, layer-N..., loss, backward-N (last layer first), update.
  show_(sample, weight) {
    const current = this.stages_?.[this.stageIndex_]?.id;
    const layers = this.summary_.layers.length;  // forward: the input, each layer, maybe the probabilities
    const stages = [{ id: 'input', title: t('inside.step.input'), render: () => this.renderActivation_(sample.forward[0], t('inside.input')) }];
    for (let n = 0; n < layers; n += 1) {
      const a = sample.forward[n + 1];
      const last = n === layers - 1;
      stages.push({ id: `layer-${n}`, title: a.name, render: () => this.renderActivation_(a, t(last ? 'inside.step.logits' : 'inside.step.output', { name: a.name })) });
    }
    stages.push({ id: 'loss', title: t('inside.step.loss'), render: () => this.renderLoss_(sample) });
    sample.backward.forEach((d, k) => {
      const n = layers - 1 - k;
      stages.push({ id: `backward-${n}`, title: `∂ ${d.name.slice(2)}`, render: () => this.renderBackward_(sample, d, n, weight) });
    });
    stages.push({ id: 'update', title: t('inside.step.update'), render: () => this.renderUpdate_(weight) });
    this.stages_ = stages;
    this.sample_ = sample;
    this.weight_ = weight;
    const again = stages.findIndex((s) => s.id === current);
    this.stageIndex_ = again >= 0 ? again : 0;
    this.list_.replaceChildren(...stages.map((s, i) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = s.title;
      button.dataset.stage = s.id;
      button.addEventListener('click', () => {
        this.stageIndex_ = i;
        this.renderStage_();
      });
      item.append(button);
      return item;
    }));
    this.nav_.hidden = false;
    this.stage_.hidden = false;
    this.renderStage_();
  }

  renderStage_() {
    const stage = this.stages_[this.stageIndex_];
    this.stage_.dataset.stage = stage.id;
    for (const button of this.list_.querySelectorAll('button')) {
      button.setAttribute('aria-current', String(button.dataset.stage === stage.id));
    }
    this.stage_.replaceChildren(...stage.render());
  }

  renderActivation_(activation, caption) {
    return [heading(caption), activationView(activation, caption)];
  }

  renderLoss_(sample) {
    const { loss } = sample;
    const probabilities = sample.forward.length > this.summary_.layers.length + 1 ? sample.forward.at(-1) : null;
    const parts = [heading(t('inside.step.lossOf', { label: String(loss.label), predicted: String(loss.predicted) }))];
    if (probabilities) parts.push(activationView(probabilities, t('inside.step.probabilities', { name: probabilities.name })));
    const line = paragraph(loss.formula, 'formula');
    line.dataset.loss = loss.loss;
    line.dataset.probability = loss.probability;
    parts.push(line);
    return parts;
  }

  renderBackward_(sample, d, n, weight) {
    const parts = [heading(t('inside.step.dOutput', { name: d.name.slice(2) })), activationView(d, d.name)];
    const table = document.createElement('table');
    table.className = 'norms';
    table.createCaption().textContent = t('inside.step.norms');
    for (const { name, norm } of sample.gradientNorms) {
      const row = table.insertRow();
      if (name === this.summary_.layers[n].name) row.className = 'current';
      row.insertCell().textContent = name;
      row.insertCell().textContent = formatNumber(norm);
    }
    parts.push(table);
    if (weight && weight.layer === this.summary_.layers[n].name) {
      parts.push(heading(t('inside.step.gradientOf', { layer: weight.layer, param: weight.param, element: String(weight.element) }), 'h5'));
      parts.push(paragraph(weight.gradientFormula, 'formula'));
    }
    return parts;
  }

  renderUpdate_(weight) {
    const b = this.result_.batch;
    const parts = [heading(t('inside.step.updates', { optimizer: b.optimizer, layer: weight.layer, param: weight.param, element: String(weight.element) }))];
    parts.push(paragraph(weight.gradientFormula, 'formula'));
    const update = paragraph(weight.updateFormula, 'formula');
    Object.assign(update.dataset, { before: weight.valueBefore, after: weight.valueAfter, gradient: weight.gradientTotal });
    parts.push(update);
    const table = document.createElement('table');
    table.className = 'terms';
    for (const { name, value } of weight.updateTerms) {
      const row = table.insertRow();
      row.insertCell().textContent = name;
      row.insertCell().textContent = formatNumber(value);
    }
    parts.push(table);
    parts.push(paragraph(t('inside.step.batchLoss', { before: formatNumber(b.lossBefore), after: formatNumber(b.lossAfter) })));
    return parts;
  }

  // text: the engine's message, or a worker refusal {key, params} (it follows the language).
  showMessage_(text) {
    this.message_.hidden = !setMessage(this.message_, text);
  }
}

function heading(text, tag = 'h4') {
  const h = document.createElement(tag);
  h.textContent = text;
  return h;
}

function paragraph(text, className = '') {
  const p = document.createElement('p');
  p.textContent = text;
  if (className) p.className = className;
  return p;
}
