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
  const sign = value < 0 ? '-' : '';
  const { figures, exponent } = significant(Math.abs(value), digits);
  const trim = (text) => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);
  if (exponent < -4 || exponent >= digits) {
    return `${sign}${trim(`${figures[0]}.${figures.slice(1)}`)}${exponentText(exponent)}`;
  }
  const fixed = exponent >= 0
    ? `${figures.slice(0, exponent + 1)}.${figures.slice(exponent + 1)}`
    : `0.${'0'.repeat(-exponent - 1)}${figures}`;
  return sign + trim(fixed);
}

// printf's exponent: a sign and at least two digits (e+04, e-05).
function exponentText(exponent) {
  return `e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

// `digits` significant figures of a positive number and the exponent of the first, rounded
// as printf rounds: to nearest, an exact tie to even (JavaScript's own rounds ties up).
function significant(value, digits) {
  const [rounded, exponent] = value.toExponential(digits - 1).split('e');
  const [long, longExponent] = value.toExponential(Math.min(100, digits + 39)).split('e');
  const all = long.replace('.', '');
  const rest = all.slice(digits);
  const tie = rest[0] === '5' && /^0*$/.test(rest.slice(1));
  if (tie && Number(all[digits - 1]) % 2 === 0) return { figures: all.slice(0, digits), exponent: Number(longExponent) };
  return { figures: rounded.replace('.', ''), exponent: Number(exponent) };
}

// The batch a run diverged in (counted from 1): the weights are checked after an epoch's
// last batch, when `batch` already counts them all.
export function divergedBatch(progress) {
  return Math.min(progress.batch + 1, Math.max(1, progress.batchesPerEpoch));
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
    epoch: String(progress.epoch + 1), batch: String(divergedBatch(progress)), why, culprit, restored,
    rate: engineNumber(learningRate, 6), suggested: engineNumber(progress.suggestedLearningRate, 6),
    kept: kept ? msg('diverged.kept') : '',
  });
}

// A gradient check's verdict ({analytic, numeric, relativeError}).
export function gradientReading(c) {
  if (c.analytic === 0 && c.numeric === 0) return msg('inside.grad.bothZero');
  if (!Number.isFinite(c.relativeError)) return msg('inside.grad.notFinite');
  if (c.relativeError < 1e-2) {
    const { figures, exponent } = significant(Math.max(c.relativeError, 1e-9), 1);  // printf's %.0e: 3e-04
    return msg('inside.grad.agree', { error: `${figures}${exponentText(exponent)}` });
  }
  return msg('inside.grad.disagree', { error: engineNumber(c.relativeError, 2) });
}
