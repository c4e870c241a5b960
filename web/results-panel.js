// The results side of the page: test accuracy, the confusion matrix with the misclassified
// test digits behind each cell, the first layer's weights, and the model file (download
// and upload).
import { formatPercent } from './format.js';
import { msg, setMessage, setText, t } from './i18n.js';
import { ConfusionMatrix } from './views/confusion-matrix.js';
import { digitCanvas } from './views/digit-image.js';
import { WeightsView } from './views/weights-view.js';

export class ResultsPanel {
  // onUpload(bytes, name): called with an uploaded model file; resolves to a report.
  constructor(client, onUpload) {
    this.client_ = client;
    this.accuracy_ = document.getElementById('test-accuracy');
    this.origin_ = document.getElementById('model-origin');
    this.mistakes_ = document.getElementById('mistakes');
    this.mistakesCaption_ = document.getElementById('mistakes-caption');
    this.modelMessage_ = document.getElementById('model-message');
    this.download_ = document.getElementById('model-download');
    this.confusion_ = new ConfusionMatrix(document.getElementById('confusion'), (t, p) => this.showMistakes_(t, p));
    this.weights_ = new WeightsView(document.getElementById('weights'), document.getElementById('weights-caption'));
    this.weights_.show(null);
    this.report_ = null;
    this.download_.addEventListener('click', () => this.downloadModel_());
    const upload = document.getElementById('model-upload');
    upload.addEventListener('change', async () => {
      const file = upload.files[0];
      upload.value = '';
      if (!file) return;
      try {
        await onUpload(new Uint8Array(await file.arrayBuffer()), file.name);
        this.showMessage_(msg('results.loaded', { name: file.name }));
      } catch (err) {
        this.showMessage_(msg('results.loadFailed', { name: file.name, message: err.message }), true);
      }
    });
  }

  // report: { evaluation, misclassifiedImages, weights, summary } from the worker (an
  // ensemble's has no weights: the last ones shown stay).
  // origin: a few words on where the model came from (a msg, see i18n.js).
  show(report, origin) {
    this.report_ = report;
    this.accuracy_.textContent = formatPercent(report.evaluation.accuracy);
    setMessage(this.origin_, origin);
    this.confusion_.show(report.evaluation.confusion);
    this.mistakes_.replaceChildren();
    const count = report.evaluation.misclassified.length;
    if (count) setText(this.mistakesCaption_, 'results.mistakesCount', { count });
    else setText(this.mistakesCaption_, 'results.noMistakes');
    if (report.weights !== undefined) this.weights_.show(report.weights);
    this.download_.disabled = false;
  }

  // Live weights while a network trains (undefined: no change; null: none to show).
  showWeights(weights) {
    if (weights !== undefined) this.weights_.show(weights);
  }

  showMistakes_(trueLabel, predicted) {
    const { misclassified } = this.report_.evaluation;
    const images = this.report_.misclassifiedImages;
    const tiles = [];
    misclassified.forEach((item, i) => {
      if (item.label !== trueLabel || item.predicted !== predicted) return;
      tiles.push(digitCanvas(images.subarray(i * 64, i * 64 + 64), t('results.mistakeTile', { label: trueLabel, predicted })));
    });
    this.mistakes_.replaceChildren(...tiles);
    setText(this.mistakesCaption_, tiles.length === 1 ? 'results.mistakesCellOne' : 'results.mistakesCellMany',
      { count: tiles.length, label: trueLabel, predicted });
  }

  async downloadModel_() {
    try {
      const { bytes } = await this.client_.request('saveModel');
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = 'digitlab-model.dlm';
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      this.showMessage_(err.message, true);
    }
  }

  showMessage_(text, isError = false) {
    this.modelMessage_.hidden = !setMessage(this.modelMessage_, text);
    this.modelMessage_.classList.toggle('error', isError);
  }
}
