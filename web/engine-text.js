// The engine's English sentences, made again in the page's language from the numbers the
// engine reports with them: what a diverged run says (engine/trainer.h, Progress: diverged_*)
// and a gradient check's verdict (engine/gradient_check.h, reading). The engine's own words
// are the CLI's; the page builds the same ones, word for word in English, so it can say them
// in Chinese too.
import { msg } from './i18n.js';

// A number as the engine's C++ streams print it: `digits` significant digits in the %g style
// (2.35e+04, 0.000123, 1e-05, inf), so the page's sentence is the engine's, word for word.
export function engineNumber(value, digits = 3) {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const trim = (text) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);
  const [mantissa, exp] = value.toExponential(digits - 1).split('e');
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= digits) {
    return `${trim(mantissa)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return trim(value.toFixed(Math.max(0, digits - 1 - exponent)));
}

// progress: the run's last progress (diverged); learningRate: the run's; kept: the last
// good model was kept (it predicts now).
export function divergenceMessage(progress, learningRate, kept) {
  const cause = progress.divergedCause;
  const why = cause === 'loss_exploded'
    ? msg('diverged.loss_exploded', { loss: engineNumber(progress.divergedLoss), reference: engineNumber(progress.divergedReferenceLoss) })
    : msg(`diverged.${cause}`);
  const layer = progress.divergedLayer;
  const norm = engineNumber(progress.divergedNorm);
  const growth = progress.divergedRatio > 0 ? msg('diverged.ratio', { ratio: engineNumber(progress.divergedRatio) }) : '';
  let culprit = '';
  if (layer && progress.divergedBlewUpEpoch > 0) {
    culprit = msg('diverged.blewUp', { layer, norm, growth, epoch: String(progress.divergedBlewUpEpoch), batch: String(progress.divergedBlewUpBatch) });
  } else if (layer) {
    culprit = msg(growth ? 'diverged.grew' : 'diverged.largest', { layer, norm, growth });
  }
  const restored = progress.epoch > 0 ? msg('diverged.restoredEpoch', { epoch: String(progress.epoch) }) : msg('diverged.restoredInitial');
  return msg('diverged.message', {
    epoch: String(progress.epoch + 1), batch: String(progress.batch + 1), why, culprit, restored,
    rate: engineNumber(learningRate, 6), suggested: engineNumber(progress.suggestedLearningRate, 6),
    kept: kept ? msg('diverged.kept') : '',
  });
}

// A gradient check's verdict ({analytic, numeric, relativeError}).
export function gradientReading(c) {
  if (c.analytic === 0 && c.numeric === 0) return msg('inside.grad.bothZero');
  if (!Number.isFinite(c.relativeError)) return msg('inside.grad.notFinite');
  if (c.relativeError < 1e-2) {
    // printf's %.0e: one digit, a signed exponent of at least two digits (3e-04).
    const [mantissa, exponent] = Math.max(c.relativeError, 1e-9).toExponential(0).split('e');
    return msg('inside.grad.agree', { error: `${mantissa}e${exponent[0]}${exponent.slice(1).padStart(2, '0')}` });
  }
  return msg('inside.grad.disagree', { error: engineNumber(c.relativeError, 2) });
}
