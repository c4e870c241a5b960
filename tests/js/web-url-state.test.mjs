// The page's URL state: a round trip keeps every setting, and malformed or hostile links
// fall back to the defaults with the offending names listed.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEFAULT_SETTINGS } from '../../web/state.js';
import { MAX_QUERY_LENGTH, parseQuery, stateToQuery, URL_SETTINGS } from '../../web/url-state.js';

const ALLOWED = { languages: ['en', 'zh'], views: ['train', 'lesson'] };

test('url state: a round trip keeps the settings, language and view', () => {
  const settings = { ...DEFAULT_SETTINGS, preset: 'cnn', optimizer: 'sgd', learningRate: 0.05, epochs: 3, seed: 7,
    augment: false, l2: 0.0001 };
  const query = stateToQuery(settings, { lang: 'zh', view: 'lesson' });
  const parsed = parseQuery(`?${query}`, ALLOWED);
  assert.deepEqual(parsed.rejected, []);
  assert.equal(parsed.lang, 'zh');
  assert.equal(parsed.view, 'lesson');
  for (const key of URL_SETTINGS) {
    if (key === 'architecture') continue;
    assert.equal(parsed.settings[key], settings[key], key);
  }
});

test('url state: a custom architecture travels as its JSON text', () => {
  const architecture = '{"input":64,"layers":[{"type":"dense","units":10}]}';
  const parsed = parseQuery(stateToQuery({ ...DEFAULT_SETTINGS, preset: 'custom', architecture }), ALLOWED);
  assert.equal(parsed.settings.preset, 'custom');
  assert.equal(parsed.settings.architecture, architecture);
});

test('url state: no query means no settings and nothing rejected', () => {
  assert.deepEqual(parseQuery('', ALLOWED), { settings: null, lang: null, view: null, rejected: [] });
});

test('url state: hostile and malformed values fall back to the defaults, named', () => {
  const cases = [
    ['epochs=1e400', 'epochs'],
    ['epochs=NaN', 'epochs'],
    ['epochs=-3', 'epochs'],
    ['epochs=2.5', 'epochs'],
    ['epochs=0x10', 'epochs'],
    ['learningRate=Infinity', 'learningRate'],
    ['learningRate=', 'learningRate'],
    ['batchSize=99999999', 'batchSize'],
    ['optimizer=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'optimizer'],
    ['preset=constructor', 'preset'],
    ['augment=yes', 'augment'],
    ['lang=fr', 'lang'],
    ['view=%22%3E%3Cimg', 'view'],
    ['__proto__=1', '__proto__'],
    ['constructor=1', 'constructor'],
    ['seed=1&seed=2', 'seed'],
  ];
  for (const [query, name] of cases) {
    const parsed = parseQuery(query, ALLOWED);
    assert.ok(parsed.rejected.includes(name), `${query}: ${JSON.stringify(parsed.rejected)}`);
    if (parsed.settings) {
      for (const key of Object.keys(DEFAULT_SETTINGS)) {
        if (key === name) assert.equal(parsed.settings[key], DEFAULT_SETTINGS[key], `${query}: ${key}`);
      }
    }
    assert.equal(Object.prototype.polluted, undefined);
    assert.equal({}.constructor, Object);
  }
});

test('url state: good values next to a bad one are kept', () => {
  const parsed = parseQuery('optimizer=sgd&epochs=oops&seed=9', ALLOWED);
  assert.deepEqual(parsed.rejected, ['epochs']);
  assert.equal(parsed.settings.optimizer, 'sgd');
  assert.equal(parsed.settings.seed, 9);
  assert.equal(parsed.settings.epochs, DEFAULT_SETTINGS.epochs);
});

test('url state: an over-long link is refused whole, and a custom preset without layers is repaired', () => {
  const long = parseQuery(`seed=1&architecture=${'x'.repeat(MAX_QUERY_LENGTH)}`, ALLOWED);
  assert.equal(long.settings, null);
  assert.equal(long.rejected.length, 1);
  const empty = parseQuery('preset=custom', ALLOWED);
  assert.ok(empty.rejected.includes('architecture'), JSON.stringify(empty.rejected));
});
