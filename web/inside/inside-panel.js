// The "inside" view's panels for one digit: how the drawing became 8x8, where the model
// looks, and every layer's activations. It follows the drawing (the draw panel's
// 'draw:guess' events) and, when a test digit is chosen elsewhere ('inside:sample' events
// with {features, label}), shows that digit instead until the drawing changes. The worker
// computes everything ('inspect'); this only draws. Work is asked for only while the
// inside view is on show, one request at a time, always for the latest digit.
import { msg, onLanguageChange, setMessage, setText, t } from '../i18n.js';
import { LayerActivationsView } from './layer-activations-view.js';
import { OcclusionView } from './occlusion-view.js';
import { PrepStepsView } from './prep-steps-view.js';

export class InsidePanel {
  // client: the predicting worker; container: where the panels go.
  constructor(client, container) {
    this.client_ = client;
    this.container_ = container;
    const section = (titleKey, className) => {
      const box = document.createElement('section');
      box.className = `inside-part ${className}`;
      const heading = document.createElement('h3');
      setText(heading, titleKey);
      const body = document.createElement('div');
      box.append(heading, body);
      container.append(box);
      return body;
    };
    this.source_ = document.createElement('p');
    this.source_.className = 'inside-source muted small';
    this.source_.dataset.testid = 'inside-source';
    container.append(this.source_);
    this.prep_ = new PrepStepsView(section('inside.prepTitle', 'inside-prep'));
    this.look_ = new OcclusionView(section('inside.lookTitle', 'inside-look'));
    this.member_ = 0;  // the ensemble member whose layers are shown
    this.layers_ = new LayerActivationsView(section('inside.layersTitle', 'inside-layers'), (member) => {
      this.member_ = member;
      this.dirty_ = true;
      this.pump_();
    });
    this.wanted_ = null;      // {kind: 'drawing', pixels()} | {kind: 'sample', features, label}
    this.drawing_ = null;     // the latest drawing's pixel getter, null when the pad is blank
    this.busy_ = false;
    this.dirty_ = false;
    this.visible_ = false;
    // On screen = its view is on show (the view switcher toggles the panel's hidden).
    const panel = container.closest('[data-view-panel]');
    const update = () => {
      this.visible_ = !panel || !panel.hidden;
      if (this.visible_) this.pump_();
    };
    if (panel) new MutationObserver(update).observe(panel, { attributes: true, attributeFilter: ['hidden'] });
    update();
    document.addEventListener('draw:guess', (event) => this.drawingChanged_(event.detail));
    document.addEventListener('inside:sample', (event) => this.showSample(event.detail));
    this.setSource_(msg('inside.sourceNone'));
    // A new language: the views draw their words again.
    this.shown_ = null;
    onLanguageChange(() => {
      if (this.shown_) this.render_(...this.shown_);
    });
  }

  // A test digit to look at (from the confusion matrix): {features: 64 values, label, caption}.
  showSample({ features, label, caption }) {
    this.wanted_ = { kind: 'sample', features: Float32Array.from(features), label, caption };
    this.dirty_ = true;
    this.pump_();
  }

  // detail: {result, pixels()} after each guess; result null when the pad was cleared.
  drawingChanged_({ result, pixels }) {
    this.drawing_ = result ? pixels : null;
    if (this.wanted_?.kind === 'sample' && !result) return;  // clearing the pad keeps a chosen test digit
    this.wanted_ = result ? { kind: 'drawing', pixels } : null;
    this.dirty_ = true;
    this.pump_();
  }

  async pump_() {
    if (this.busy_ || !this.dirty_ || !this.visible_) return;
    this.dirty_ = false;
    const wanted = this.wanted_;
    if (!wanted) {
      this.render_(null, null);
      return;
    }
    this.busy_ = true;
    try {
      let request;
      let transfer = [];
      if (wanted.kind === 'drawing') {
        const { pixels, width, height } = wanted.pixels();
        request = { pixels, width, height, member: this.member_ };
        transfer = [pixels.buffer];
      } else {
        request = { features: wanted.features, member: this.member_ };
      }
      const inspected = await this.client_.request('inspect', request, transfer);
      if (wanted === this.wanted_) this.render_(inspected, wanted);
    } catch (err) {
      this.setSource_(msg('inside.failed', { message: err.text ?? err.message }));
    } finally {
      this.busy_ = false;
      if (this.dirty_) this.pump_();
    }
  }

  render_(inspected, wanted) {
    this.container_.dataset.digit = inspected?.probabilities ? String(indexOfMax(inspected.probabilities)) : '';
    this.shown_ = [inspected, wanted];
    if (!wanted) this.setSource_(msg('inside.sourceNone'));
    else if (wanted.kind === 'sample') {
      this.setSource_(msg('inside.sourceSample', { what: wanted.caption ?? msg('inside.aTestDigit', { label: String(wanted.label) }) }));
    } else if (!inspected.models) this.setSource_(msg('inside.sourceNoModel'));
    else this.setSource_(inspected.models === 1 ? msg('inside.sourceModel') : msg('inside.sourceEnsemble', { count: inspected.models }));
    this.container_.dataset.source = wanted?.kind ?? 'none';
    this.prep_.show(wanted?.kind === 'drawing' ? inspected : null,
      wanted?.kind === 'sample' ? t('inside.sampleNoSteps') : undefined);
    this.look_.show(inspected);
    this.layers_.show(inspected);
  }

  setSource_(message) {
    setMessage(this.source_, message);
  }
}

function indexOfMax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
