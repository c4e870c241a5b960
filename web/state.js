// Training settings of the page: its first-visit settings, field parsing and validation.
// Every default, limit and choice comes from the engine's settings schema (settings-schema.js,
// generated from engine/settings.cpp); only the labels the page shows are written here.
// DOM-free (tested under node): the page shows the messages next to the fields; the engine
// validates again and its errors are shown the same way.
import { t } from './i18n.js';
import { SETTINGS_SCHEMA } from './settings-schema.js';

const FIELDS = Object.fromEntries(SETTINGS_SCHEMA.fields.map((field) => [field.jsName, field]));

// The model a first visit trains by itself: the schema's "page" profile, on the mlp preset.
export const DEFAULT_SETTINGS = Object.freeze({
  preset: 'mlp',          // one of PRESETS, or 'custom'
  architecture: '',       // JSON text, used when preset is 'custom'
  ...SETTINGS_SCHEMA.profiles.page,
});

export const PRESETS = SETTINGS_SCHEMA.presets;
export const OPTIMIZERS = FIELDS.optimizer.choices;
export const LR_SCHEDULES = FIELDS.lrSchedule.choices;

// How the form names its numeric fields to a person (i18n keys; the texts are in web/i18n/).
const LABELS = Object.freeze({
  learningRate: 'field.learningRate', batchSize: 'field.batchSize', epochs: 'field.epochs', l1: 'field.l1', l2: 'field.l2',
  dropout: 'field.dropout', augmentCopies: 'field.augmentCopiesLabel', seed: 'field.seed',
});
export const NUMBER_FIELDS = Object.keys(LABELS);

// Per numeric field of the form: the schema's limits, whether it must be an integer, its label.
export const FIELD_LIMITS = Object.freeze(Object.fromEntries(NUMBER_FIELDS.map((name) => {
  const { min, max, minOpen, maxOpen, type } = FIELDS[name];
  return [name, Object.freeze({ labelKey: LABELS[name], min, max, minOpen, maxOpen, integer: type !== 'float' })];
})));

export function fieldSchema(name) {
  return FIELDS[name];
}

// The limits are shown as the schema writes them (String, not Intl: 1e-6 must not read 0).
function rangeError(label, { min, max, minOpen, maxOpen }) {
  if (!minOpen && !maxOpen) return t('error.between', { label, min: String(min), max: String(max) });
  return t('error.range', {
    label, low: t(minOpen ? 'error.above' : 'error.atLeast'), min: String(min), high: t(maxOpen ? 'error.below' : 'error.atMost'), max: String(max),
  });
}

// Parses a form value ('' or text) into a number, or returns an error message.
export function parseField(name, text) {
  const limits = FIELD_LIMITS[name];
  if (!limits) throw new Error(`unknown field "${name}"`);
  const label = t(limits.labelKey);
  const trimmed = String(text).trim();
  if (trimmed === '') return { error: t('error.required', { label }) };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: t('error.notNumber', { label, text: trimmed }) };
  if (limits.integer && !Number.isInteger(value)) {
    return { error: t('error.notWhole', { label }) };
  }
  const low = limits.minOpen ? value <= limits.min : value < limits.min;
  const high = limits.maxOpen ? value >= limits.max : value > limits.max;
  if (low || high) return { error: rangeError(label, limits) };
  return { value };
}

// Checks a whole settings object; returns { field: message } (empty when all is well).
export function validateSettings(settings) {
  const errors = {};
  for (const name of NUMBER_FIELDS) {
    const parsed = parseField(name, settings[name]);
    if (parsed.error) errors[name] = parsed.error;
  }
  if (!OPTIMIZERS.includes(settings.optimizer)) {
    errors.optimizer = t('error.optimizer', { choices: OPTIMIZERS.join(', ') });
  }
  if (!LR_SCHEDULES.includes(settings.lrSchedule)) {
    errors.lrSchedule = t('error.schedule', { choices: LR_SCHEDULES.join(', ') });
  }
  if (settings.preset !== 'custom' && !PRESETS.includes(settings.preset)) {
    errors.preset = t('error.preset', { preset: String(settings.preset) });
  }
  if (settings.preset === 'custom' && !String(settings.architecture || '').trim()) {
    errors.architecture = t('error.emptyCustom');
  }
  return errors;
}

// Fills missing, mistyped or invalid fields from the defaults, e.g. for settings stored by
// an older version of the page (or edited by hand): stored values pass the same checks as
// typed ones. The names of the stored fields it had to replace go into `replaced`, so the
// page can say so.
export function mergeSettings(stored, replaced = []) {
  const merged = { ...DEFAULT_SETTINGS };
  if (!stored || typeof stored !== 'object') return merged;
  for (const key of Object.keys(DEFAULT_SETTINGS)) {
    if (!(key in stored)) continue;
    if (typeof stored[key] === typeof DEFAULT_SETTINGS[key]) merged[key] = stored[key];
    else replaced.push(key);
  }
  const errors = validateSettings(merged);
  for (const key of Object.keys(errors)) {
    merged[key] = DEFAULT_SETTINGS[key];
    if (!replaced.includes(key)) replaced.push(key);
  }
  if (!PRESETS.includes(merged.preset) && merged.preset !== 'custom') merged.preset = DEFAULT_SETTINGS.preset;
  return merged;
}

// The engine's TrainOptions for these (valid) settings and an architecture text: every
// schema field but dropout, which the architecture already holds.
export function trainOptions(settings, architecture) {
  const options = { architecture };
  for (const field of SETTINGS_SCHEMA.fields) {
    if (field.jsName === 'dropout') continue;
    const value = settings[field.jsName] ?? DEFAULT_SETTINGS[field.jsName];
    if (field.type === 'bool') options[field.jsName] = Boolean(value);
    else if (field.type === 'choice') options[field.jsName] = value;
    else options[field.jsName] = Number(value);
  }
  if (!options.augment) { options.augmentCopies = 0; options.fontDigitCopies = 0; }
  return options;
}
