// The training progress bar and its line of text (epoch, samples/s, time left, and the
// test accuracy: when it first reached the target, or its latest value). The bar
// element carries data-epoch and data-epochs (a page test hook).
import { estimateSecondsLeft, formatCount, formatDuration, formatPercent } from '../format.js';

export class ProgressView {
  constructor(bar, text) {
    this.bar_ = bar;
    this.text_ = text;
    this.reset(0, 'Not trained yet.');
  }

  reset(epochs, message) {
    this.bar_.dataset.epoch = '0';
    this.bar_.dataset.epochs = String(epochs);
    this.bar_.value = 0;
    this.text_.textContent = message;
  }

  // test (optional): { target, accuracies, reached: {seconds, epoch} | null } from the worker.
  update(progress, state, test = null) {
    const { epoch, epochs, batch, batchesPerEpoch, samplesSeen, trainSeconds } = progress;
    if (progress.prepared < progress.toPrepare && !progress.done) {
      // Augmentation: the distorted copies are made before the first epoch.
      this.bar_.dataset.epoch = '0';
      this.bar_.dataset.epochs = String(epochs);
      this.bar_.value = 0;
      const percent = Math.floor((100 * progress.prepared) / progress.toPrepare);
      const paused = state === 'paused' ? ' · paused' : '';
      this.text_.textContent = `Making ${formatCount(progress.toPrepare)} distorted copies of the training digits: ${percent}%${paused}`;
      return;
    }
    const fraction = (epoch + (batchesPerEpoch ? batch / batchesPerEpoch : 0)) / Math.max(1, epochs);
    this.bar_.dataset.epoch = String(epoch);
    this.bar_.dataset.epochs = String(epochs);
    this.bar_.value = progress.done ? 1 : Math.min(1, fraction);
    const rate = trainSeconds > 0 ? samplesSeen / trainSeconds : NaN;
    const shown = progress.done ? epoch : Math.min(epochs, epoch + 1);
    const parts = [`Epoch ${shown} of ${epochs}`, `${formatCount(rate)} samples/s`];
    if (progress.done) parts.push(`done in ${formatDuration(trainSeconds)}`);
    else if (state === 'paused') parts.push('paused');
    else parts.push(`${formatDuration(estimateSecondsLeft(progress))} left`);
    if (test?.reached) {
      parts.push(`${Math.round(test.target * 100)}% test accuracy after ${formatDuration(test.reached.seconds)} (epoch ${test.reached.epoch})`);
    } else if (test?.accuracies.length) {
      parts.push(`test accuracy ${formatPercent(test.accuracies.at(-1))}`);
    }
    this.text_.textContent = parts.join(' · ');
  }
}
