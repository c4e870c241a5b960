// The training loop, live: while a run trains (in any view), where it is: the epoch, the
// batch within it, the samples seen, the running training loss and the last epoch's
// validation accuracy, from the engine's progress reports.
import { formatPercent } from '../format.js';
import { setText } from '../i18n.js';
import { el } from './dom.js';

export function loopWidget() {
  const root = el('div', { className: 'lesson-widget', attrs: { 'data-widget': 'loop' } });
  const line = el('p', { className: 'lesson-readout', key: 'lesson.loop.idle', attrs: { 'aria-live': 'polite' } });
  const bar = el('progress', { attrs: { max: '1', value: '0' } });
  root.append(line, bar);
  // progress: the engine's Progress (epoch, epochs, batch, batchesPerEpoch, samplesSeen, runningLoss, history).
  root.update = (progress) => {
    const last = progress.history.at(-1);
    setText(line, 'lesson.loop.live', {
      epoch: Math.min(progress.epochs, progress.epoch + (progress.done ? 0 : 1)), epochs: progress.epochs,
      batch: progress.batch, batches: progress.batchesPerEpoch, samples: progress.samplesSeen,
      loss: Number.isFinite(progress.runningLoss) ? progress.runningLoss.toFixed(3) : '–',
      validation: last ? formatPercent(last.validationAccuracy) : '–',
    });
    bar.value = progress.batchesPerEpoch ? progress.batch / progress.batchesPerEpoch : 0;
    root.dataset.epoch = String(progress.epoch);
    root.dataset.batch = String(progress.batch);
  };
  return root;
}
