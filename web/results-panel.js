// The results side of the page: test accuracy, the confusion matrix with the test digits
// behind each cell (and their probabilities; live after every epoch while a network
// trains), the first layer's weights, and the model file (download and upload). Choosing a
// listed digit opens it inside the network ('inside:sample' event with {features, label}).
import { formatPercent } from './format.js';
import { msg, onLanguageChange, setMessage, setText, t } from './i18n.js';
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
    this.confusionBox_ = document.getElementById('confusion');
    this.confusionBox_.dataset.testid = 'confusion-matrix';
    this.confusion_ = new ConfusionMatrix(this.confusionBox_, (t, p) => this.showMistakes_(t, p), { diagonal: true });
    this.confusionNote_ = document.getElementById('confusion-note');
    this.samples_ = null;    // {labels, predicted, probabilities, features} behind the matrix on show
    this.selected_ = null;   // [true, predicted] of the chosen cell
    this.weights_ = new WeightsView(document.getElementById('weights'), document.getElementById('weights-caption'));
    this.weights_.show(null);
    this.report_ = null;
    this.confusionShown_ = undefined;  // the matrix on show, drawn again in a new language
    onLanguageChange(() => {
      if (this.confusionShown_ !== undefined) this.confusion_.show(this.confusionShown_);
      if (this.selected_) this.showMistakes_(...this.selected_);
    });
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
    this.accuracy_.classList.toggle('poor', report.evaluation.accuracy < 0.5);
    setMessage(this.origin_, origin);
    this.confusion_.show(this.confusionShown_ = report.evaluation.confusion);
    this.confusionBox_.querySelector('.cell.selected')?.classList.remove('selected');  // a new matrix: nothing chosen yet
    this.confusionBox_.dataset.epoch = 'final';
    if (this.confusionNote_) this.confusionNote_.textContent = '';
    const { labels, predicted, probabilities } = report.evaluation;
    this.samples_ = labels && report.testFeatures ? { labels, predicted, probabilities, features: report.testFeatures } : null;
    this.selected_ = null;
    this.mistakes_.replaceChildren();
    const count = report.evaluation.misclassified.length;
    if (count) setText(this.mistakesCaption_, 'results.mistakesCount', { count });
    else setText(this.mistakesCaption_, 'results.noMistakes');
    if (report.weights !== undefined) this.weights_.show(report.weights);
  }

  // Only a single model is one file: the button is off (its tooltip says why) while an
  // ensemble of `models` predicts (0: a single model does).
  setEnsemble(models) {
    this.download_.disabled = models > 0;
    if (models > 0) {
      this.download_.dataset.i18nTitle = 'results.downloadEnsemble';
      this.download_.title = t('results.downloadEnsemble');
    } else {
      delete this.download_.dataset.i18nTitle;
      this.download_.removeAttribute('title');
    }
  }

  // Live weights while a network trains (undefined: no change; null: none to show).
  showWeights(weights) {
    if (weights !== undefined) this.weights_.show(weights);
  }

  // The test split's evaluation after an epoch of the run in progress (the worker's
  // 'progress' event: {epoch, confusion, labels, predicted, probabilities, features}).
  showLive(errors, epochs) {
    this.confusion_.show(this.confusionShown_ = errors.confusion);
    this.confusionBox_.dataset.epoch = String(errors.epoch);
    if (this.confusionNote_) {
      setText(this.confusionNote_, epochs ? 'results.liveOf' : 'results.live',
        { epoch: errors.epoch, epochs: epochs ?? 0, accuracy: formatPercent(errors.accuracy) });
    }
    this.samples_ = { labels: errors.labels, predicted: errors.predicted, probabilities: errors.probabilities, features: errors.features };
    if (this.selected_) this.showMistakes_(...this.selected_);
  }

  showMistakes_(trueLabel, predicted) {
    this.selected_ = [trueLabel, predicted];
    if (this.samples_) return this.showCell_(trueLabel, predicted);
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

  // Every test digit the cell counts, with the probability the model gave its guess (and
  // the true digit, when they differ); choosing one opens it inside the network.
  showCell_(trueLabel, predicted) {
    const { labels, predicted: guesses, probabilities, features } = this.samples_;
    const tiles = [];
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== trueLabel || guesses[i] !== predicted) continue;
      const image = features.subarray(i * 64, i * 64 + 64);
      const name = trueLabel === predicted ? t('results.sampleRight', { label: trueLabel })
        : t('results.mistakeTile', { label: trueLabel, predicted });
      const tile = document.createElement('button');
      tile.type = 'button';
      tile.className = 'sample-tile';
      tile.dataset.sample = String(i);
      const canvas = digitCanvas(image, name);
      const text = document.createElement('span');
      const p = probabilities ? probabilities.subarray(i * 10, i * 10 + 10) : null;
      text.textContent = p ? (trueLabel === predicted ? formatPercent(p[predicted], 0)
        : `${predicted}: ${formatPercent(p[predicted], 0)} · ${trueLabel}: ${formatPercent(p[trueLabel], 0)}`) : '';
      if (p) tile.dataset.probability = p[predicted].toFixed(4);
      tile.append(canvas, text);
      tile.title = t('results.sampleOpen', { name });
      tile.addEventListener('click', () => {
        document.dispatchEvent(new CustomEvent('inside:sample', {
          detail: { features: Float32Array.from(image), label: trueLabel, caption: t('results.sampleCaption', { n: i + 1, name }) },
        }));
      });
      tiles.push(tile);
    }
    this.mistakes_.replaceChildren(...tiles);
    const one = tiles.length === 1;
    const key = trueLabel === predicted ? (one ? 'results.cellRightOne' : 'results.cellRightMany')
      : (one ? 'results.mistakesCellOne' : 'results.mistakesCellMany');
    setText(this.mistakesCaption_, key, { count: tiles.length, label: trueLabel, predicted });
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
      this.showMessage_(err.text ?? err.message, true);
    }
  }

  showMessage_(text, isError = false) {
    this.modelMessage_.hidden = !setMessage(this.modelMessage_, text);
    this.modelMessage_.classList.toggle('error', isError);
  }
}
