// The page's two languages: both dictionaries have the same keys and the same {parameters};
// every key the page uses exists; every user-visible string of index.html is marked for
// translation (data-i18n, data-i18n-aria-label, ...) and the modules write no literal text
// into the page (they go through t() / setText() of web/i18n.js).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { DICTIONARIES, formatNumber, initialLanguage, matchLanguage, t } from '../../web/i18n.js';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const { en, zh } = DICTIONARIES;

function placeholders(text) {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

function modules() {
  const files = [];
  for (const dir of ['', 'views', 'lesson', 'inside']) {
    let names = [];
    try {
      names = readdirSync(path.join(WEB, dir));
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.endsWith('.js') && !['nn.js', 'settings-schema.js'].includes(name)) files.push(path.join(WEB, dir, name));
    }
  }
  return files;
}

test('i18n: English and Chinese have the same keys, none empty, with the same parameters', () => {
  assert.deepEqual(Object.keys(zh).filter((k) => !(k in en)), [], 'keys only in zh');
  assert.deepEqual(Object.keys(en).filter((k) => !(k in zh)), [], 'keys only in en');
  for (const key of Object.keys(en)) {
    assert.ok(en[key].trim() && zh[key].trim(), `empty text for ${key}`);
    assert.deepEqual(placeholders(zh[key]), placeholders(en[key]), `parameters of ${key}`);
  }
});

test('i18n: the Chinese texts are translated (not the English ones copied), apart from names', () => {
  const SAME_OK = /^(\{\w+\}|L1|L2|SGD|Adam|Nesterov|Dropout|ReLU|Leaky ReLU|Sigmoid|Tanh|Alpha|MSE|Softmax|[\d\s.,:;=+\-×·→()%{}\w]*\{\w+\}[\s\d.,:;=+\-×·→()%{}]*)$/;
  for (const key of Object.keys(en)) {
    // Names, and maths notation with no word in it (x, dL/dw, f(x) =), read the same in both.
    if (en[key] === zh[key] && /\p{L}{3,}/u.test(en[key])) assert.match(en[key], SAME_OK, `${key} is not translated`);
  }
});

test('i18n: t() fills parameters, formats numbers per language, translates nested messages', () => {
  assert.equal(t('status.ready', { count: 1797 }, 'en'), 'Engine ready · 1,797 digits');
  assert.equal(t('status.ready', { count: 1797 }, 'zh'), '引擎就绪 · 1,797 个数字');
  assert.equal(t('inUse.predicting', { parts: [{ key: 'inUse.ensembleAll', params: { total: 3 } }, 'x'] }, 'en'),
    'Predicting: default ensemble of 3 · x');
  assert.throws(() => t('no.such.key'), /no text for "no.such.key"/);
});

test('i18n: the first language is the URL\'s, else the stored one, else the browser\'s, else English', () => {
  assert.equal(initialLanguage({ requested: 'zh', stored: 'en', browser: ['en-US'] }), 'zh');
  assert.equal(initialLanguage({ requested: null, stored: 'zh', browser: ['en-US'] }), 'zh');
  assert.equal(initialLanguage({ requested: null, stored: null, browser: ['fr-FR', 'zh-CN'] }), 'zh');
  assert.equal(initialLanguage({ requested: 'xx', stored: 'yy', browser: ['fr'] }), 'en');
  assert.equal(matchLanguage('zh-Hans-CN'), 'zh');
  assert.equal(matchLanguage('<script>'), null);
});

test('i18n: every key the page uses exists', () => {
  const used = new Set();
  const html = readFileSync(path.join(WEB, 'index.html'), 'utf8');
  for (const m of html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)) used.add(m[1]);
  for (const file of modules()) {
    const source = readFileSync(file, 'utf8').split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n');
    for (const m of source.matchAll(/(?:\bt|\bmsg|\bpageError|translateText|setText\([^,()]+,|setMessage\([^,()]+,\s*msg)\(?\s*'([a-zA-Z_]+\.[\w.]+)'/g)) used.add(m[1]);
  }
  for (const file of modules()) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/\bkey:\s*'([a-zA-Z_]+\.[\w.]+)'/g)) used.add(m[1]);
  }
  // Keys the modules build from a name (`lesson.${name}.title`, `choice.${choice}`, ...).
  for (const name of ['neuron', 'layers', 'activations', 'losses', 'backprop', 'loop', 'exercises', 'questions']) {
    used.add(`lesson.${name}.title`).add(`lesson.${name}.intro`);
  }
  for (const name of ['relu', 'leaky_relu', 'sigmoid', 'tanh', 'linear']) used.add(`lesson.act.${name}`);
  for (const name of ['conv2d', 'maxpool2d', 'dense']) used.add(`lesson.layers.${name}`);
  for (const name of ['edges', 'vertical', 'blur', 'identity']) used.add(`lesson.layers.kernel.${name}`);
  for (const name of ['softmax_cross_entropy', 'mse']) used.add(`lesson.losses.${name}`);
  for (const name of ['optimizers', 'regularization', 'architectures', 'losses']) used.add(`lesson.exercises.${name}`).add(`lesson.exercises.${name}Help`);
  for (const key of ['train.divergedDefault', 'train.divergedDefaultKept']) used.add(key);
  for (const cause of ['loss_nan', 'loss_infinite', 'loss_exploded', 'gradients', 'weights']) used.add(`diverged.${cause}`);
  for (const name of ['sgd', 'momentum', 'nesterov', 'adam', 'constant', 'cosine']) used.add(`choice.${name}`);
  for (const name of ['dense', 'conv2d', 'maxpool2d', 'flatten', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'dropout']) used.add(`layer.${name}`);
  assert.ok(used.size > 100, `only ${used.size} keys found: the scan is broken`);
  const missing = [...used].filter((key) => !(key in en));
  assert.deepEqual(missing, []);
});

// index.html: text nodes with letters must sit inside an element with data-i18n; attributes
// a person reads need their data-i18n-* twin.
test('i18n: index.html has no untranslated text or attribute', () => {
  const html = readFileSync(path.join(WEB, 'index.html'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const VOID = new Set(['meta', 'link', 'input', 'br', 'img', 'hr', 'source']);
  const NOT_TEXT = new Set(['script', 'style']);
  const KEEP = new Set(['digitlab', '8', 'English', '中文']);  // the name, the logo, each language in itself
  const stack = [];
  const problems = [];
  for (const [token] of html.matchAll(/<[^>]+>|[^<]+/g)) {
    if (token.startsWith('</')) {
      stack.pop();
      continue;
    }
    if (token.startsWith('<!')) continue;
    if (token.startsWith('<')) {
      const name = token.match(/^<([a-z0-9-]+)/i)[1].toLowerCase();
      const marked = /\sdata-i18n="/.test(token);
      for (const attribute of ['aria-label', 'title', 'placeholder', 'content', 'alt']) {
        const value = token.match(new RegExp(`\\s${attribute}="([^"]*)"`))?.[1];
        if (value && /\p{L}/u.test(value) && !(name === 'meta' && !/name="description"/.test(token))
          && !new RegExp(`data-i18n-${attribute}="`).test(token)) {
          problems.push(`${attribute}="${value}"`);
        }
      }
      if (!VOID.has(name) && !token.endsWith('/>')) stack.push({ name, marked });
      continue;
    }
    const text = token.trim();
    if (!text || !/\p{L}/u.test(text) || KEEP.has(text)) continue;
    if (stack.some((el) => NOT_TEXT.has(el.name))) continue;
    if (!stack.length || !stack.at(-1).marked) problems.push(text.slice(0, 60));
  }
  assert.deepEqual(problems, []);
});

// The modules: no literal words written into the page (textContent, title, aria-label,
// innerHTML, new Option, append of a literal).
test('i18n: the page\'s modules write no literal text into the page', () => {
  const LITERAL = String.raw`([\x27\x22\x60])(?:(?!\1).)*\p{L}{2,}`;
  const patterns = [
    new RegExp(String.raw`\.textContent\s*=\s*[^;]*?${LITERAL}`, 'u'),
    new RegExp(String.raw`\.(?:title|placeholder)\s*=\s*${LITERAL}`, 'u'),
    new RegExp(String.raw`setAttribute\(\s*'(?:aria-label|title|alt)'\s*,\s*${LITERAL}`, 'u'),
    new RegExp(String.raw`\.innerHTML\s*=\s*[^;]*?${LITERAL}`, 'u'),
    new RegExp(String.raw`new Option\(\s*${LITERAL}`, 'u'),
  ];
  const problems = [];
  for (const file of modules()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*\/\//.test(line)) return;
      // Code inside a template (\${...}), markup and t(...) calls are not text a person reads.
      const code = line.replace(/\bt\([^)]*\)/g, 't()').replace(/\$\{[^}]*\}/g, '').replace(/<[^>]*>/g, '');
      for (const pattern of patterns) {
        if (pattern.test(code)) problems.push(`${path.relative(WEB, file)}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  assert.deepEqual(problems, []);
});

test('i18n: numbers keep their own options and locale when the formats are reused', () => {
  // Kept formats are found by locale and options: each call still gets exactly its own.
  for (let round = 0; round < 2; ++round) {
    assert.equal(formatNumber(1234.5, {}, 'en'), '1,234.5');
    assert.equal(formatNumber(0.256, { style: 'percent', maximumFractionDigits: 1 }, 'en'), '25.6%');
    assert.equal(formatNumber(0.256, { style: 'percent', maximumFractionDigits: 0 }, 'en'), '26%');
    assert.equal(formatNumber(1234.5, { maximumFractionDigits: 0 }, 'en'), '1,235');
    assert.equal(formatNumber(NaN, {}, 'en'), '–');
  }
  assert.equal(formatNumber(1234.5, {}, 'en'), new Intl.NumberFormat('en').format(1234.5));
});
