// The results side of the page: test accuracy, the confusion matrix with the misclassified
// test digits behind each cell, the first layer's weights, and the model file (download
// and upload).
import { formatPercent } from './format.js';
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
        this.showMessage_(`Loaded “${file.name}”. Draw a digit to try it.`);
      } catch (err) {
        this.showMessage_(`Could not load “${file.name}”: ${err.message}`, true);
      }
    });
  }

  // report: { evaluation, misclassifiedImages, weights, summary } from the worker (an
  // ensemble's has no weights: the last ones shown stay).
  // origin: a few words on where the model came from.
  show(report, origin) {
    this.report_ = report;
    this.accuracy_.textContent = formatPercent(report.evaluation.accuracy);
    this.origin_.textContent = origin;
    this.confusion_.show(report.evaluation.confusion);
    this.mistakes_.replaceChildren();
    const count = report.evaluation.misclassified.length;
    this.mistakesCaption_.textContent = count
      ? `${count} test digits are misread. Choose a highlighted cell to see them.`
      : 'No test digit is misread.';
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
      tiles.push(digitCanvas(images.subarray(i * 64, i * 64 + 64), `a ${trueLabel} read as ${predicted}`));
    });
    this.mistakes_.replaceChildren(...tiles);
    this.mistakesCaption_.textContent = `${tiles.length} test ${tiles.length === 1 ? 'digit' : 'digits'} `
      + `${trueLabel} read as ${predicted}:`;
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
    this.modelMessage_.textContent = text;
    this.modelMessage_.hidden = !text;
    this.modelMessage_.classList.toggle('error', isError);
  }
}
