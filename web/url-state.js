// The page's state in its URL (?preset=cnn&optimizer=sgd&learningRate=0.05&...&lang=zh&view=lesson),
// so a copied link opens the same settings, language and view, and Train reproduces the run.
// Reading is strict: every value goes through the same checks as a typed one (state.js
// mergeSettings, the engine's schema limits); an unknown name, a malformed or hostile value,
// or an over-long query falls back to the defaults and is named, so the page can say so.
// DOM-free (tested under node).
import { DEFAULT_SETTINGS, mergeSettings } from './state.js';

// The settings a link carries: what the form shows (the rest are the page's fixed defaults).
export const URL_SETTINGS = Object.freeze(['preset', 'architecture', 'optimizer', 'learningRate', 'lrSchedule', 'batchSize',
  'epochs', 'l1', 'l2', 'dropout', 'seed', 'augment', 'augmentCopies', 'fontDigits', 'strokeDigits']);
const OTHER_KEYS = Object.freeze(['lang', 'view']);
export const MAX_QUERY_LENGTH = 8192;
const MAX_VALUE_LENGTH = 4096;   // a custom architecture's JSON text fits easily
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

// settings (state.js) + { lang, view } -> the query string, without '?'.
export function stateToQuery(settings, { lang = null, view = null } = {}) {
  const query = new URLSearchParams();
  for (const key of URL_SETTINGS) {
    if (key === 'architecture' && settings.preset !== 'custom') continue;
    const value = settings[key] ?? DEFAULT_SETTINGS[key];
    query.set(key, String(value));
  }
  if (lang) query.set('lang', lang);
  if (view) query.set('view', view);
  return query.toString();
}

// search: location.search (with or without '?'); languages, views: the allowed values.
// Returns { settings | null (no setting in the URL), lang | null, view | null, rejected: [names] }.
export function parseQuery(search, { languages = [], views = [] } = {}) {
  const result = { settings: null, lang: null, view: null, rejected: [] };
  const text = String(search ?? '').replace(/^\?/, '');
  if (!text) return result;
  if (text.length > MAX_QUERY_LENGTH) {
    result.rejected.push('the whole link (too long)');
    return result;
  }
  let query;
  try {
    query = new URLSearchParams(text);
  } catch {
    result.rejected.push('the whole link');
    return result;
  }
  const raw = {};
  const seen = new Set();
  for (const [key, value] of query) {
    if (seen.has(key)) {
      reject(result, key);  // a name given twice: neither is trusted
      delete raw[key];
      continue;
    }
    seen.add(key);
    if (!URL_SETTINGS.includes(key) && !OTHER_KEYS.includes(key)) {
      reject(result, key.slice(0, 40));
      continue;
    }
    if (value.length > MAX_VALUE_LENGTH) {
      reject(result, key);
      continue;
    }
    if (key === 'lang') {
      if (languages.includes(value)) result.lang = value;
      else reject(result, key);
    } else if (key === 'view') {
      if (views.includes(value)) result.view = value;
      else reject(result, key);
    } else {
      const typed = typedValue(key, value);
      if (typed === undefined) reject(result, key);
      else raw[key] = typed;
    }
  }
  if (Object.keys(raw).length) {
    const replaced = [];
    result.settings = mergeSettings(raw, replaced);
    for (const key of replaced) reject(result, key);
    if (result.settings.preset === 'custom' && !result.settings.architecture.trim()) {
      result.settings.preset = DEFAULT_SETTINGS.preset;  // no layers to build: the default model
    }
  }
  return result;
}

function reject(result, key) {
  if (!result.rejected.includes(key)) result.rejected.push(key);
}

// The value of `key` as the type its default has, or undefined if it is not one.
function typedValue(key, text) {
  const type = typeof DEFAULT_SETTINGS[key];
  if (type === 'number') {
    if (!NUMBER_TEXT.test(text)) return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  if (type === 'boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
    return undefined;
  }
  return text;
}
