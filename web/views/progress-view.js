// The training progress bar and its line of text (epoch, samples/s, time left, and the
// test accuracy: when it first reached the target, or its latest value). The bar
// element carries data-epoch and data-epochs (a page test hook).
import { durationMessage, estimateSecondsLeft, formatCount, formatPercent } from '../format.js';
import { divergedBatch } from '../engine-text.js';
import { msg, setMessage, setText } from '../i18n.js';

export class ProgressView {
  constructor(bar, text) {
    this.bar_ = bar;
    this.text_ = text;
    this.reset(0, msg('progress.notTrained'));
  }

  // message: msg('key', params) (see i18n.js).
  reset(epochs, message) {
    this.bar_.dataset.epoch = '0';
    this.bar_.dataset.epochs = String(epochs);
    this.bar_.value = 0;
    setMessage(this.text_, message);
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
      const key = state === 'paused' ? 'progress.makingPaused' : 'progress.making';
      setText(this.text_, key, { count: formatCount(progress.toPrepare), percent });
      return;
    }
    const fraction = (epoch + (batchesPerEpoch ? batch / batchesPerEpoch : 0)) / Math.max(1, epochs);
    this.bar_.dataset.epoch = String(epoch);
    this.bar_.dataset.epochs = String(epochs);
    // A run that diverged stopped where it was: the bar and the line say where, not "done".
    const finished = progress.done && !progress.diverged;
    this.bar_.value = finished ? 1 : Math.min(1, fraction);
    const rate = trainSeconds > 0 ? samplesSeen / trainSeconds : NaN;
    const shown = finished ? epoch : Math.min(epochs, epoch + 1);
    const parts = [msg('progress.epoch', { shown, epochs }), msg('progress.rate', { rate: formatCount(rate) })];
    if (progress.diverged) parts.push(msg('progress.diverged', { batch: divergedBatch(progress) }));
    else if (progress.done) parts.push(msg('progress.done', { time: durationMessage(trainSeconds) }));
    else if (state === 'paused') parts.push(msg('progress.paused'));
    else parts.push(msg('progress.left', { time: durationMessage(estimateSecondsLeft(progress)) }));
    if (test?.reached) {
      parts.push(msg('progress.reached', {
        target: Math.round(test.target * 100), time: durationMessage(test.reached.seconds), epoch: test.reached.epoch,
      }));
    } else if (test?.accuracies.length) {
      parts.push(msg('progress.testAccuracy', { accuracy: formatPercent(test.accuracies.at(-1)) }));
    }
    setText(this.text_, 'text.joined', { items: parts });
  }
}
