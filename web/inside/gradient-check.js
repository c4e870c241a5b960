// Item "a gradient check in the page": for a chosen weight or bias of any layer, the engine's
// analytic gradient (backward) next to the central finite difference of two forward passes
// and their relative error (engine/gradient_check.h), on the run's first batch of training
// digits. The page only shows what the engine computed.
import { formatNumber } from './activation-view.js';
import { gradientReading } from '../engine-text.js';
import { onLanguageChange, setMessage, t } from '../i18n.js';

export class GradientCheckPanel {
  // client: the trainer's WorkerClient; options(), beforeCheck(): as for StepThrough.
  constructor(container, { client, options, beforeCheck = async () => {}, onChecked = () => {} }) {
    this.client_ = client;
    this.options_ = options;
    this.beforeCheck_ = beforeCheck;
    this.onChecked_ = onChecked;
    container.innerHTML = `
      <h3 data-i18n="inside.grad.title">${t('inside.grad.title')}</h3>
      <p class="hint" data-i18n="inside.grad.hint">${t('inside.grad.hint')}</p>
      <div class="check-controls">
        <label><span data-i18n="inside.grad.layer">${t('inside.grad.layer')}</span> <select data-role="layer"><option value="0" data-i18n="inside.grad.firstLayer">${t('inside.grad.firstLayer')}</option></select></label>
        <select data-role="param" aria-label="${t('inside.weightOrBias')}" data-i18n-aria-label="inside.weightOrBias"><option value="weight" data-i18n="inside.weight">${t('inside.weight')}</option><option value="bias" data-i18n="inside.bias">${t('inside.bias')}</option></select>
        <label><span data-i18n="inside.element">${t('inside.element')}</span> <input data-role="element" type="number" min="0" step="1" placeholder="${t('inside.largest')}" data-i18n-placeholder="inside.largest" aria-label="${t('inside.elementLabel')}" data-i18n-aria-label="inside.elementLabel"></label>
        <button type="button" class="secondary" data-testid="grad-check" data-i18n="inside.grad.check">${t('inside.grad.check')}</button>
      </div>
      <p class="check-result" data-testid="grad-check-result" aria-live="polite" hidden></p>
      <p class="message" role="alert" hidden></p>`;
    this.layerSelect_ = container.querySelector('[data-role="layer"]');
    this.paramSelect_ = container.querySelector('[data-role="param"]');
    this.elementInput_ = container.querySelector('[data-role="element"]');
    this.button_ = container.querySelector('[data-testid="grad-check"]');
    this.result_ = container.querySelector('[data-testid="grad-check-result"]');
    this.message_ = container.querySelector('.message');
    this.button_.addEventListener('click', () => this.check());
    this.layersKnown_ = false;
    // A new language: the layer choices and the last result again.
    onLanguageChange(() => {
      if (this.summary_) this.setLayers(this.summary_);
      if (this.check_) this.show_(this.check_);
    });
  }

  // summary: the run's layers ({layers: [{name, params, outputShape}]}): the layer choices.
  setLayers(summary) {
    this.summary_ = summary;
    const keep = this.layersKnown_ ? this.layerSelect_.value : null;
    const options = summary.layers.map((layer, index) => ({ layer, index })).filter(({ layer }) => layer.params > 0)
      .map(({ layer, index }) => new Option(t('inside.grad.layerOption', { name: layer.name, params: layer.params }), String(index)));
    if (!options.length) return;
    this.layerSelect_.replaceChildren(...options);
    if (keep !== null && options.some((o) => o.value === keep)) this.layerSelect_.value = keep;
    this.layersKnown_ = true;
  }

  async check() {
    this.button_.disabled = true;
    this.showMessage_('');
    try {
      await this.beforeCheck_();
      const options = await this.options_();
      const text = this.elementInput_.value.trim();
      // Before the layers are known, "first layer with weights" is resolved by the worker's summary.
      let layer = Number(this.layerSelect_.value);
      if (!this.layersKnown_) layer = null;
      const request = { options, layer, param: this.paramSelect_.value, element: text === '' ? -1 : Number(text) };
      const result = await this.client_.request('gradientCheck', request);
      this.setLayers(result.summary);
      this.show_(result.check);
      this.onChecked_(result);
    } catch (err) {
      this.showMessage_(err.text ?? err.message);
    } finally {
      this.button_.disabled = false;
    }
  }

  show_(c) {
    this.check_ = c;
    // Numbers go in as the strings the inside view prints (an index is not grouped "1,234").
    const where = c.rows > 1 ? t('inside.grad.where', { row: String(Math.floor(c.element / c.cols)), column: String(c.element % c.cols) }) : '';
    const params = {
      layer: c.layerName, param: c.param, element: String(c.element), where, value: formatNumber(c.value),
      analytic: formatNumber(c.analytic), plus: c.lossPlus.toPrecision(8), minus: c.lossMinus.toPrecision(8),
      eps: formatNumber(c.eps), numeric: formatNumber(c.numeric), error: c.relativeError.toExponential(1), reading: gradientReading(c),
    };
    this.result_.textContent = t('inside.grad.result', params);
    Object.assign(this.result_.dataset, {
      layer: c.layerName, param: c.param, element: c.element,
      analytic: c.analytic, numeric: c.numeric, relativeError: c.relativeError,
    });
    this.result_.hidden = false;
  }

  // text: the engine's message, or a worker refusal {key, params} (it follows the language).
  showMessage_(text) {
    this.message_.hidden = !setMessage(this.message_, text);
  }
}
