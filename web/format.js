// Small number formatters shared by the views. DOM-free.

export function formatPercent(fraction, digits = 1) {
  if (!Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)}%`;
}

// Seconds -> "0.27 s", "4.4 s", "42 s", "3 min 05 s"; '–' when unknown. Short runs keep
// two significant digits: a default model trains in a quarter of a second.
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 1) return `${seconds.toFixed(2)} s`;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return `${minutes} min ${String(rest).padStart(2, '0')} s`;
}

// 123456 -> "123k", 1234 -> "1.2k", 12 -> "12".
export function formatCount(value) {
  if (!Number.isFinite(value)) return '–';
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e4) return `${Math.round(value / 1e3)}k`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}

// Seconds left in a run, from the samples/s so far and the samples still to go.
export function estimateSecondsLeft(progress) {
  const { epoch, epochs, batch, batchesPerEpoch, trainSeconds } = progress;
  const doneFraction = (epoch + (batchesPerEpoch ? batch / batchesPerEpoch : 0)) / epochs;
  if (!(doneFraction > 0) || !(trainSeconds > 0)) return NaN;
  return trainSeconds * (1 / doneFraction - 1);
}

// The same duration as a message for the page (i18n.js): the number part as formatDuration
// makes it, the unit in the page's language; '–' when unknown.
export function durationMessage(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) {
    return { key: 'duration.seconds', params: { value: formatDuration(seconds).replace(/ s$/, '') } };
  }
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return { key: 'duration.minutes', params: { minutes: String(minutes), seconds: String(rest).padStart(2, '0') } };
}
