// Item "a gradient check in the page": for a chosen weight or bias of any layer, the engine's
// analytic gradient (backward) next to the central finite difference of two forward passes
// and their relative error (engine/gradient_check.h), on the run's first batch of training
// digits. The page only shows what the engine computed.
import { formatNumber } from './activation-view.js';

export class GradientCheckPanel {
  // client: the trainer's WorkerClient; options(), beforeCheck(): as for StepThrough.
  constructor(container, { client, options, beforeCheck = async () => {}, onChecked = () => {} }) {
    this.client_ = client;
    this.options_ = options;
    this.beforeCheck_ = beforeCheck;
    this.onChecked_ = onChecked;
    container.innerHTML = `
      <h3>Gradient check</h3>
      <p class="hint">Is backward right? For one weight, compare its gradient from backpropagation with
        (L(w+ε) − L(w−ε)) / 2ε from two forward passes, on the first batch of training digits.</p>
      <div class="check-controls">
        <label>Layer <select data-role="layer"><option value="0">first layer with weights</option></select></label>
        <select data-role="param" aria-label="Weight or bias"><option value="weight">weight</option><option value="bias">bias</option></select>
        <label>element <input data-role="element" type="number" min="0" step="1" placeholder="largest" aria-label="Element index (empty: the largest gradient)"></label>
        <button type="button" class="secondary" data-testid="grad-check">Check gradient</button>
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
  }

  // summary: the run's layers ({layers: [{name, params, outputShape}]}): the layer choices.
  setLayers(summary) {
    const keep = this.layersKnown_ ? this.layerSelect_.value : null;
    const options = summary.layers.map((layer, index) => ({ layer, index })).filter(({ layer }) => layer.params > 0)
      .map(({ layer, index }) => new Option(`${layer.name} (${layer.params.toLocaleString('en')} parameters)`, String(index)));
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
      this.showMessage_(err.message);
    } finally {
      this.button_.disabled = false;
    }
  }

  show_(c) {
    const where = c.rows > 1 ? ` (row ${Math.floor(c.element / c.cols)}, column ${c.element % c.cols})` : '';
    this.result_.textContent = `${c.layerName} ${c.param}[${c.element}]${where}, w = ${formatNumber(c.value)}: ` +
      `backward says ${formatNumber(c.analytic)}; (${c.lossPlus.toPrecision(8)} − ${c.lossMinus.toPrecision(8)}) / 2·${formatNumber(c.eps)} = ` +
      `${formatNumber(c.numeric)}; relative error ${c.relativeError.toExponential(1)}: ${c.reading}.`;
    Object.assign(this.result_.dataset, {
      layer: c.layerName, param: c.param, element: c.element,
      analytic: c.analytic, numeric: c.numeric, relativeError: c.relativeError,
    });
    this.result_.hidden = false;
  }

  showMessage_(text) {
    this.message_.textContent = text;
    this.message_.hidden = !text;
  }
}
