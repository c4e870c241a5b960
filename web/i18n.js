// The page's two languages (English, Simplified Chinese): every string a person sees comes
// from the dictionaries web/i18n/en.js and web/i18n/zh.js (same keys; tests/js/web-i18n.test.mjs
// fails when a key is missing in either, or when a string is written straight into the page).
//
// How to add a string (the pattern for every panel):
//   - static HTML: <span data-i18n="section.key">English text</span>; an attribute:
//     data-i18n-aria-label="key", data-i18n-title="key", data-i18n-content="key" (meta),
//     data-i18n-placeholder="key". The English text in the HTML is only what shows before
//     the module runs; translate() replaces it.
//   - from JavaScript: setText(element, 'section.key', { name: value }) instead of
//     element.textContent = '...'. It keeps the key and the parameters on the element
//     (data-i18n, data-i18n-params), so switching the language re-translates it in place.
//     For a string needed elsewhere (a title, a canvas label): t('section.key', params),
//     and re-render on onLanguageChange(callback).
//   - parameters: '{name}' in the dictionary text. A number parameter is formatted with
//     Intl.NumberFormat for the language; a { key, params } parameter is translated itself;
//     an array of those is joined with ' · '. Text from the engine (its error messages) is
//     passed through as it is.
//   - add the key to BOTH en.js and zh.js.
// DOM-free apart from translate()/setText()/setLanguage(): t() runs under node.
import { EN } from './i18n/en.js';
import { ZH } from './i18n/zh.js';

export const DICTIONARIES = Object.freeze({ en: EN, zh: ZH });
export const LANGUAGES = Object.freeze(Object.keys(DICTIONARIES));
const LOCALES = Object.freeze({ en: 'en', zh: 'zh-CN' });
const STORAGE_KEY = 'digitlab.language';

let language = 'en';
const listeners = new Set();

export function currentLanguage() {
  return language;
}

export function locale(lang = language) {
  return LOCALES[lang];
}

// The language a visit starts in: the URL's (if valid), the one chosen last time, else the
// browser's first language we have.
export function initialLanguage({ requested = null, stored = readStored(), browser = browserLanguages() } = {}) {
  for (const candidate of [requested, stored, ...browser]) {
    const lang = matchLanguage(candidate);
    if (lang) return lang;
  }
  return 'en';
}

// 'zh-CN', 'zh-Hans', 'zh' -> 'zh'; 'en-GB' -> 'en'; anything else -> null.
export function matchLanguage(tag) {
  if (typeof tag !== 'string') return null;
  const base = tag.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.includes(base) ? base : null;
}

function browserLanguages() {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? [...navigator.languages] : [navigator.language];
}

function readStored() {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function formatNumber(value, options = {}, lang = language) {
  if (!Number.isFinite(value)) return '–';
  return numberFormat(LOCALES[lang], options).format(value);
}

// Making an Intl.NumberFormat costs far more than using one (300 made for one confusion
// matrix's labels took ~20 ms): one is kept for each locale and options.
const numberFormats = new Map();
function numberFormat(locale, options) {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, format = new Intl.NumberFormat(locale, options));
  return format;
}

export function formatPercentIntl(fraction, digits = 1, lang = language) {
  return formatNumber(fraction, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }, lang);
}

export function formatDate(date, lang = language) {
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

// The text of `key` in `lang`, with its {parameters} filled in. A missing key is an error
// (the dictionary test keeps both complete; a typo must not show a blank).
export function t(key, params = {}, lang = language) {
  const text = DICTIONARIES[lang][key];
  if (typeof text !== 'string') throw new Error(`i18n: no text for "${key}" in ${lang}`);
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? paramText(params[name], lang) : whole));
}

function paramText(value, lang) {
  if (typeof value === 'number') return formatNumber(value, {}, lang);
  if (Array.isArray(value)) return value.map((v) => paramText(v, lang)).join(' · ');
  if (value && typeof value === 'object' && typeof value.key === 'string') return t(value.key, value.params ?? {}, lang);
  return String(value ?? '');
}

// A message to pass around: msg('key', params) is what setText and params understand.
export function msg(key, params = {}) {
  return { key, params };
}

// Sets an element's text from a key (and keeps it there for a later language switch).
// key may be '' to clear the element.
export function setText(element, key, params = {}) {
  if (!key) {
    delete element.dataset.i18n;
    delete element.dataset.i18nParams;
    element.textContent = '';
    return;
  }
  element.dataset.i18n = key;
  if (Object.keys(params).length) element.dataset.i18nParams = JSON.stringify(params);
  else delete element.dataset.i18nParams;
  element.textContent = t(key, params);
}

const ATTRIBUTES = [['i18nAriaLabel', 'aria-label'], ['i18nTitle', 'title'], ['i18nContent', 'content'],
  ['i18nPlaceholder', 'placeholder']];

// Re-translates every marked element under root.
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    if (!el.dataset.i18n) continue;
    const params = el.dataset.i18nParams ? JSON.parse(el.dataset.i18nParams) : {};
    el.textContent = t(el.dataset.i18n, params);
  }
  for (const [data, attribute] of ATTRIBUTES) {
    const selector = `[data-${data.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`;
    for (const el of root.querySelectorAll(selector)) el.setAttribute(attribute, t(el.dataset[data]));
  }
}

export function setLanguage(lang, { remember = true } = {}) {
  if (!LANGUAGES.includes(lang)) throw new Error(`i18n: unknown language "${lang}"`);
  language = lang;
  if (typeof document !== 'undefined') {
    document.documentElement.lang = LOCALES[lang];
    translate(document);
  }
  if (remember) {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
      // storage blocked: the choice lasts for this visit
    }
  }
  for (const listener of listeners) listener(lang);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Shows a message that may be a msg('key', params), a plain text from the engine (shown as
// it is) or '' / null (clears it). Returns whether there is something to show.
export function setMessage(element, message) {
  if (!message) setText(element, '');
  else if (typeof message === 'string') setText(element, 'text.plain', { text: message });
  else setText(element, message.key, message.params ?? {});
  return Boolean(message);
}

export function hasText(key, lang = language) {
  return typeof DICTIONARIES[lang][key] === 'string';
}
