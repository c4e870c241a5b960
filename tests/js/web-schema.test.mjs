// The page agrees with the engine's settings schema (web/settings-schema.js, itself checked
// against the wasm module by tests/wasm/settings-schema.test.mjs): its first-visit settings
// are the "page" profile, its limits and choices are the schema's, and index.html writes none
// of them itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { SETTINGS_SCHEMA } from '../../web/settings-schema.js';
import { DEFAULT_SETTINGS, FIELD_LIMITS, LR_SCHEDULES, NUMBER_FIELDS, OPTIMIZERS, parseField, PRESETS, trainOptions,
  validateSettings } from '../../web/state.js';

const FIELDS = Object.fromEntries(SETTINGS_SCHEMA.fields.map((f) => [f.jsName, f]));
const HTML = readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8');

test('schema: the page first-visit settings are the schema\'s "page" profile', () => {
  const { preset, architecture, ...rest } = DEFAULT_SETTINGS;
  assert.equal(preset, 'mlp');
  assert.equal(architecture, '');
  assert.deepEqual(rest, SETTINGS_SCHEMA.profiles.page);
  assert.equal(DEFAULT_SETTINGS.learningRate, 0.008);
  assert.equal(DEFAULT_SETTINGS.augmentCopies, 6);
  assert.equal(SETTINGS_SCHEMA.profiles.defaults.learningRate, 0.001);
});

test('schema: the form\'s limits and choices are the schema\'s, and parseField enforces them', () => {
  assert.deepEqual(OPTIMIZERS, FIELDS.optimizer.choices);
  assert.ok(OPTIMIZERS.includes('nesterov'));
  assert.deepEqual(LR_SCHEDULES, FIELDS.lrSchedule.choices);
  assert.deepEqual(PRESETS, SETTINGS_SCHEMA.presets);
  for (const name of NUMBER_FIELDS) {
    const f = FIELDS[name];
    assert.equal(FIELD_LIMITS[name].min, f.min, name);
    assert.equal(FIELD_LIMITS[name].max, f.max, name);
    assert.equal(FIELD_LIMITS[name].integer, f.type !== 'float', name);
    assert.ok(parseField(name, String(f.max + (f.maxOpen ? 0 : 1))).error, `${name} above the max`);
    assert.ok(parseField(name, String(f.min - (f.minOpen ? 0 : 1))).error, `${name} below the min`);
    if (!f.maxOpen) assert.deepEqual(parseField(name, String(f.max)), { value: f.max }, name);
    if (!f.minOpen) assert.deepEqual(parseField(name, String(f.min)), { value: f.min }, name);
  }
});

test('schema: trainOptions passes every schema field but dropout (the architecture holds it)', () => {
  const options = trainOptions(DEFAULT_SETTINGS, '{}');
  const expected = ['architecture', ...SETTINGS_SCHEMA.fields.map((f) => f.jsName).filter((n) => n !== 'dropout')];
  assert.deepEqual(Object.keys(options).sort(), expected.sort());
  assert.deepEqual(validateSettings(DEFAULT_SETTINGS), {});
});

test('schema: index.html writes no limit or choice of its own', () => {
  for (const name of NUMBER_FIELDS) {
    const input = HTML.match(new RegExp(`<input id="${name}"[^>]*>`));
    assert.ok(input, `index.html has no input ${name}`);
    assert.doesNotMatch(input[0], /\b(min|max|step)=/, `${name} sets its own limits: ${input[0]}`);
  }
  for (const name of ['optimizer', 'lrSchedule']) {
    assert.match(HTML, new RegExp(`<select id="${name}" name="${name}"></select>`), `${name} lists its own choices`);
  }
  // The presets' options carry display names; their values must be the engine's presets.
  const presetSelect = HTML.match(/<select id="preset"[\s\S]*?<\/select>/)[0];
  const values = [...presetSelect.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(values, [...SETTINGS_SCHEMA.presets, 'custom']);
});
