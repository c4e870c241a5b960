// Tests of the native `digitlab` CLI: flag validation (exit 2), runtime errors (exit 1), a
// short training run, save/load reproducing the test accuracy, --predict output, and a model
// from a JSON architecture file. Run: node --test tests/cli/
// The binary is $DIGITLAB_CLI, or build/native/digitlab of the source tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = process.env.DIGITLAB_CLI ?? join(ROOT, 'build', 'native', 'digitlab');
const TMP = mkdtempSync(join(tmpdir(), 'digitlab-cli-'));
const TEST_LINE = /^test: loss \d+\.\d{4} {2}accuracy (\d+\.\d\d)% \((\d+)\/359\)$/m;

function run(...args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('cli: the binary exists', () => {
  assert.ok(existsSync(CLI), `${CLI} not found: build it (scripts/build-native.sh) or set DIGITLAB_CLI`);
});

test('cli: --help exits 0 and explains every flag', () => {
  const r = run('--help');
  assert.equal(r.code, 0);
  for (const flag of ['--model', '--epochs', '--batch-size', '--optimizer', '--learning-rate', '--lr-schedule', '--momentum',
    '--l1', '--l2', '--dropout', '--augment', '--augment-copies', '--seed', '--validation-share', '--test-share', '--data',
    '--font-digits', '--save', '--load', '--predict', '--summary', '--quiet', '--help']) {
    assert.match(r.out, new RegExp(`^  ${flag}\\b|, ${flag}\\b`, 'm'), `--help does not explain ${flag}`);
  }
});

test('cli: bad flags and values exit 2 with a message naming them', () => {
  const cases = [
    [['--bogus'], 'unknown flag "--bogus"'],
    [['--epochs'], '--epochs needs a value'],
    [['--epochs', '0'], '--epochs 0 is invalid: it must be at least 1'],
    [['--epochs', '3x'], '--epochs "3x" is invalid: it must be a whole number'],
    [['--batch-size', '-1'], '--batch-size'],
    [['--optimizer', 'rmsprop'], '--optimizer "rmsprop" is unknown: expected sgd, momentum, nesterov or adam'],
    [['--learning-rate', '0'], '--learning-rate 0 is invalid: it must be above 0 (it is 0 below; allowed: (0, 10])'],
    [['--learning-rate', 'nan'], '--learning-rate'],
    [['--lr-schedule', 'step'], '--lr-schedule "step" is unknown: expected constant or cosine'],
    [['--momentum', '1'], '--momentum'],
    [['--l2', '-0.1'], '--l2'],
    [['--dropout', '1'], '--dropout'],
    [['--augment-copies', '0'], '--augment-copies'],
    [['--seed', '-3'], '--seed'],
    [['--validation-share', '1.5'], '--validation-share'],
    [['--test-share', 'inf'], '--test-share'],
    [['--model', 'resnet'], '--model expects'],
    [['--quiet=1'], '--quiet takes no value'],
    [['--predict', 'x.csv'], '--predict needs a trained model'],
    [['--load', 'm.dlm', '--model', 'cnn'], '--load takes the architecture'],
    [['--model', 'a.json', '--dropout', '0.2'], '--dropout applies to preset models'],
    [['--font-digits'], '--font-digits needs a value'],
    [['--font-digits='], '--font-digits needs a file name'],
    [['--load', 'm.dlm', '--font-digits', 'f.bin'], '--font-digits adds training digits'],
  ];
  for (const [args, message] of cases) {
    const r = run(...args);
    assert.equal(r.code, 2, `${args.join(' ')} exited ${r.code}`);
    assert.ok(r.err.includes(message), `${args.join(' ')}: stderr ${JSON.stringify(r.err)} lacks ${message}`);
    assert.equal(r.out, '');
  }
});

test('cli: --help lists every field of the settings schema with its default and limits', () => {
  const schema = run('--settings-schema');
  assert.equal(schema.code, 0, schema.err);
  const { fields } = JSON.parse(schema.out);
  assert.ok(fields.length >= 15, `only ${fields.length} fields`);
  const help = run('--help').out;
  const text = (f, v) => (f.type === 'bool' ? (v ? 'true' : 'false') : String(v));
  for (const f of fields) {
    assert.equal(f.flag, `--${f.name.replaceAll('_', '-')}`);
    const entry = help.slice(help.search(new RegExp(`^  ${f.flag}\\b`, 'm')));
    assert.ok(entry.length < help.length, `--help does not list ${f.flag}`);
    const block = entry.slice(0, entry.indexOf(')', entry.indexOf('(default')) + 1);
    const shown = f.name === 'font_digits' || f.name === 'stroke_digits' ? 'off' : text(f, f.default);
    assert.ok(block.replace(/\s+/g, ' ').includes(`(default ${shown}`), `${f.flag}: ${block}`);
    if (f.min !== undefined) {
      assert.ok(block.includes(`${f.minOpen ? '(' : '['}${f.min},${f.max}${f.maxOpen ? ')' : ']'}`), `${f.flag}: ${block}`);
    }
  }
});

test('cli: a value past a schema limit exits 2 naming the flag, the limit and the value', () => {
  const { fields } = JSON.parse(run('--settings-schema').out);
  for (const f of fields.filter((x) => x.max !== undefined)) {
    // Seeds go to 2^53, where a JS number cannot hold max + 1: count in BigInt.
    const value = f.maxOpen ? String(f.max) : f.type === 'seed' ? String(BigInt(f.max) + 1n) : String(f.max + 1);
    const r = run(f.flag, String(value));
    assert.equal(r.code, 2, `${f.flag} ${value} exited ${r.code}`);
    const expected = `${f.flag} ${value} is invalid: it must be ${f.maxOpen ? 'below' : 'at most'} ${f.max} (it is ${f.maxOpen ? 0 : 1} above`;
    assert.ok(r.err.includes(expected), `${f.flag}: ${r.err} lacks ${expected}`);
  }
});

test('cli: --summary prints the mlp preset (64*128+128 + 128*10+10 = 9,610 params)', () => {
  const r = run('--summary');
  assert.equal(r.code, 0);
  assert.match(r.out, /9,610/);
  assert.match(r.out, /dense/);
});

test('cli: a short run prints epochs, a test accuracy and the confusion matrix', () => {
  const r = run('--epochs', '2', '--seed', '7');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /data: 1797 digits -> train 1293, validation 145, test 359 \(seed 7\)/);
  assert.match(r.out, /^epoch 1\/2 {2}train loss \d+\.\d{4} acc +\d+\.\d\d% {2}val loss/m);
  assert.match(r.out, /^epoch 2\/2 /m);
  const m = r.out.match(TEST_LINE);
  assert.ok(m, r.out);
  assert.ok(Number(m[1]) > 30, `accuracy ${m[1]}% after 2 epochs`);
  // Confusion rows: one per digit, their totals are the stratified test counts.
  const totals = [...r.out.matchAll(/^ {4}(\d) .* (\d+)$/gm)].map((row) => Number(row[2]));
  assert.deepEqual(totals, [36, 36, 35, 37, 36, 36, 36, 36, 35, 36]);
});

test('cli: the same seed gives the same run; --quiet prints only the test line', () => {
  const a = run('--epochs', '2', '--quiet', '--seed', '3');
  const b = run('--epochs', '2', '--quiet', '--seed', '3');
  assert.equal(a.code, 0, a.err);
  assert.equal(a.out, b.out);
  assert.equal(a.out.trim().split('\n').length, 1);
  assert.match(a.out, TEST_LINE);
});

test('cli: --save then --load reproduces the test accuracy; --predict prints 10 probabilities per row', () => {
  const model = join(TMP, 'mlp.dlm');
  const trained = run('--epochs', '3', '--seed', '11', '--save', model);
  assert.equal(trained.code, 0, trained.err);
  assert.match(trained.out, new RegExp(`saved ${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const loaded = run('--load', model, '--seed', '11');
  assert.equal(loaded.code, 0, loaded.err);
  assert.equal(loaded.out.match(TEST_LINE)[0], trained.out.match(TEST_LINE)[0]);
  assert.doesNotMatch(loaded.out, /^epoch /m);  // evaluated, not trained

  const more = run('--load', model, '--seed', '11', '--epochs', '1', '--quiet');
  assert.equal(more.code, 0, more.err);
  assert.match(more.out, TEST_LINE);

  const rows = gunzipSync(readFileSync(join(ROOT, 'data', 'digits.csv.gz'))).toString().split('\n').slice(0, 5)
    .map((line) => line.split(',').slice(0, 64).join(','));
  const csv = join(TMP, 'rows.csv');
  writeFileSync(csv, rows.join('\n') + '\n');
  const p = run('--load', model, '--predict', csv);
  assert.equal(p.code, 0, p.err);
  const lines = p.out.trim().split('\n');
  assert.equal(lines.length, 5);
  for (const line of lines) {
    const probs = line.split(',').map(Number);
    assert.equal(probs.length, 10);
    assert.ok(probs.every((v) => v >= 0 && v <= 1));
    assert.ok(Math.abs(probs.reduce((s, v) => s + v, 0) - 1) < 1e-5);
  }

  writeFileSync(csv, rows[0] + '\n1,2,3\n');
  const bad = run('--load', model, '--predict', csv);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /line 2: 3 values, expected 64/);
});

test('cli: unreadable or corrupt files exit 1 with the reason', () => {
  const missing = run('--load', join(TMP, 'nope.dlm'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read .*nope\.dlm/);

  const corrupt = join(TMP, 'corrupt.bin');
  writeFileSync(corrupt, Buffer.from('NOPE0000000000000000'));
  const r = run('--data', corrupt, '--epochs', '1');
  assert.equal(r.code, 1);
  assert.match(r.err, /digits file: bad magic/);
});

test('cli: --model FILE.json trains the architecture it describes', () => {
  const arch = join(TMP, 'tiny.json');
  writeFileSync(arch, JSON.stringify({ input: 64, layers: [{ type: 'dense', units: 16 }, { type: 'relu' },
    { type: 'dense', units: 10 }] }));
  const r = run('--model', arch, '--epochs', '1', '--optimizer', 'sgd', '--learning-rate', '0.1');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /1,210/);  // 64*16+16 + 16*10+10
  assert.match(r.out, TEST_LINE);

  writeFileSync(arch, '{"input": 64, "layers": [{"type": "dense"}]}');
  const bad = run('--model', arch);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /dense/);
});

test('cli: --stroke-digits adds the stroke digits after the font digits, to the training split only', () => {
  const fonts = join(ROOT, 'data', 'font-digits.bin'), strokes = join(ROOT, 'data', 'stroke-digits.bin');
  const fontCount = (readFileSync(fonts).length - 16) / 65;
  const r = run('--epochs', '1', '--seed', '7', '--font-digits', fonts, '--stroke-digits', strokes);
  assert.equal(r.code, 0, r.err);
  const data = r.out.match(/^data: 1797 digits -> train 1293 \+ (\d+) font digits \(.*\) \+ 2000 stroke digits \(.*stroke-digits\.bin\), validation 145, test 359 \(seed 7\)$/m);
  assert.ok(data, r.out);
  assert.equal(Number(data[1]), fontCount);
  assert.match(r.out, TEST_LINE);
  const missing = run('--epochs', '1', '--stroke-digits', join(TMP, 'no-strokes.bin'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no-strokes\.bin/);
  const noTraining = run('--load', join(TMP, 'any.model'), '--stroke-digits', strokes);
  assert.equal(noTraining.code, 2);
  assert.match(noTraining.err, /--stroke-digits adds training digits, but --load without --epochs does not train/);
});

test('cli: --font-digits adds the font digits to the training split only; a corrupt file exits 1', () => {
  const fonts = join(ROOT, 'data', 'font-digits.bin');
  const count = (readFileSync(fonts).length - 16) / 65;
  const r = run('--epochs', '1', '--seed', '7', '--font-digits', fonts);
  assert.equal(r.code, 0, r.err);
  const data = r.out.match(/^data: 1797 digits -> train 1293 \+ (\d+) font digits \(.*\), validation 145, test 359 \(seed 7\)$/m);
  assert.ok(data, r.out);
  assert.equal(Number(data[1]), count);
  assert.match(r.out, TEST_LINE);
  const totals = [...r.out.matchAll(/^ {4}(\d) .* (\d+)$/gm)].map((row) => Number(row[2]));
  assert.deepEqual(totals, [36, 36, 35, 37, 36, 36, 36, 36, 35, 36]);

  const corrupt = join(TMP, 'fonts-corrupt.bin');
  writeFileSync(corrupt, Buffer.from('NOPE0000000000000000'));
  const bad = run('--epochs', '1', '--font-digits', corrupt);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /digits file: bad magic/);
  const missing = run('--epochs', '1', '--font-digits', join(TMP, 'no-fonts.bin'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read .*no-fonts\.bin/);
});
