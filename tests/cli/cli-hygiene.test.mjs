// The CLI against hostile or unlucky input: saves that must never lose the old model (a
// full disk, a kill during the save, an unwritable path found before training), capped
// reads (/dev/zero, a 50 MB CSV line), quoted and escaped input in messages, and models
// that cannot be used on digits (11 outputs, outputs that overflow, over the memory budget).
// Runs as root: the full-disk case mounts a 64 KiB tmpfs, the kill case uses strace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { denseModelBytes } from '../wasm/helpers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = process.env.DIGITLAB_CLI ?? join(ROOT, 'build', 'native', 'digitlab');
const TMP = mkdtempSync(join(tmpdir(), 'digitlab-cli-hygiene-'));
const TEST_LINE = /^test: loss \d+\.\d{4} {2}accuracy (\d+\.\d\d)% \((\d+)\/359\)$/m;

function run(args, options = {}) {
  const r = spawnSync(options.command ?? CLI, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

const oldModel = join(TMP, 'old.dlm');
test('cli hygiene: a model to overwrite', () => {
  const r = run(['--epochs', '1', '--quiet', '--seed', '5', '--save', oldModel]);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(oldModel).length, 38719);
});

test('cli hygiene: --save with an empty path is refused', () => {
  for (const args of [['--save', ''], ['--save=']]) {
    const r = run(args);
    assert.equal(r.code, 2);
    assert.match(r.err, /^digitlab: --save needs a file name$/m);
  }
});

test('cli hygiene: an unwritable --save path is refused before training', () => {
  const missing = run(['--epochs', '50', '--save', join(TMP, 'no-such-folder', 'm.dlm')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^digitlab: error: cannot write .*no-such-folder\/m\.dlm: No such file or directory$/m);
  assert.doesNotMatch(missing.out, /^epoch /m);
  const folder = run(['--epochs', '50', '--save', TMP]);
  assert.equal(folder.code, 1);
  assert.match(folder.err, /cannot write .*: it is a directory/);
  assert.equal(folder.out, '');
});

test('cli hygiene: a full disk keeps the old model byte for byte', (t) => {
  const disk = join(TMP, 'full');
  mkdirSync(disk);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk], { encoding: 'utf8' });
  assert.equal(mount.status, 0, `mounting a 64 KiB tmpfs needs root: ${mount.stderr}`);
  t.after(() => spawnSync('umount', [disk]));
  const target = join(disk, 'model.dlm');
  copyFileSync(oldModel, target);
  const old = readFileSync(target);
  // deep_mlp's file (234 KB) cannot fit in the 25 KB left.
  const r = run(['--model', 'deep_mlp', '--epochs', '1', '--quiet', '--save', target]);
  assert.equal(r.code, 1);
  assert.match(r.err, /cannot write .*model\.dlm: writing: No space left on device; .*model\.dlm is unchanged/);
  assert.deepEqual(readFileSync(target), old);
  assert.deepEqual(readdirSync(disk), ['model.dlm']);  // no temporary file left behind
});

test('cli hygiene: a kill during the save keeps the old model byte for byte', () => {
  const target = join(TMP, 'killed.dlm');
  copyFileSync(oldModel, target);
  const old = readFileSync(target);
  const save = [CLI, '--model', 'deep_mlp', '--epochs', '1', '--quiet', '--save', target];
  const strace = (filter) => run(['-f', '-o', '/dev/null', ...filter, ...save], { command: 'strace' });
  // Killed at its first write to the target path: the target must still be a whole model
  // (the save writes a temporary file instead, so this one is not killed at all).
  const atWrite = strace(['-P', target, '-e', 'trace=write', '-e', 'inject=write:signal=KILL']);
  assert.equal(atWrite.signal, null, `killed while writing to ${target} itself`);
  assert.match(run(['--load', target]).out, TEST_LINE);
  // Killed just before the finished file is renamed over the target: the old model stays.
  copyFileSync(oldModel, target);
  const atRename = strace(['-e', 'trace=rename,renameat,renameat2', '-e', 'inject=rename,renameat,renameat2:signal=KILL']);
  assert.equal(atRename.signal, 'SIGKILL', `not killed: exit ${atRename.code} ${atRename.err}`);
  assert.deepEqual(readFileSync(target), old);
});

test('cli hygiene: --load /dev/zero stops at the model file size limit', () => {
  const r = run(['--load', '/dev/zero']);
  assert.equal(r.code, 1);
  assert.match(r.err, /^digitlab: error: cannot read \/dev\/zero: more than 100663296 bytes, more than the limit of 100663296 bytes for this file$/m);
});

test('cli hygiene: --predict quotes bad fields short and escaped, and checks lines as it reads', () => {
  const csv = join(TMP, 'bad.csv');
  writeFileSync(csv, '\x1b[2J' + 'x'.repeat(100) + ',' + '0,'.repeat(62) + '0\n');
  const escaped = run(['--load', oldModel, '--predict', csv]);
  assert.equal(escaped.code, 1);
  assert.ok(!escaped.err.includes('\x1b'), 'a raw escape byte reached stderr');
  assert.match(escaped.err, /line 1, field 1: "\\x1b\[2Jxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\.\.\." \(104 bytes\) is not a number/);

  writeFileSync(csv, 'y'.repeat(50 * 1024 * 1024) + '\n');
  const long = run(['--load', oldModel, '--predict', csv]);
  assert.equal(long.code, 1);
  assert.equal(long.err, 'digitlab: error: predict CSV line 1: 52428800 bytes, more than the limit of 65536 per line\n');

  writeFileSync(csv, '5\0junk,' + '0,'.repeat(62) + '0\n');
  const nul = run(['--load', oldModel, '--predict', csv]);
  assert.equal(nul.code, 1);
  assert.match(nul.err, /line 1, field 1: "5\\x00junk" is not a number/);
});

test('cli hygiene: a model without 10 outputs is not used on digits', () => {
  const eleven = join(TMP, 'eleven.dlm');
  writeFileSync(eleven, denseModelBytes(11, 0.01));
  for (const args of [['--load', eleven], ['--load', eleven, '--predict', join(TMP, 'never-read.csv')]]) {
    const r = run(args);
    assert.equal(r.code, 1);
    assert.match(r.err, /eleven\.dlm: the model gives 11 outputs; a digits model needs 10, one per digit/);
    assert.equal(r.out, '');
  }
  const arch = join(TMP, 'eleven.json');
  writeFileSync(arch, JSON.stringify({ input: 64, layers: [{ type: 'dense', units: 11 }] }));
  const r = run(['--model', arch, '--epochs', '1']);
  assert.equal(r.code, 1);
  assert.match(r.err, /the model gives 11 outputs; a digits model needs 10/);
});

test('cli hygiene: outputs that overflow float are refused, never printed as NaN', () => {
  const huge = join(TMP, 'huge.dlm');
  writeFileSync(huge, denseModelBytes(10, 3e38));
  const evaluated = run(['--load', huge]);
  assert.equal(evaluated.code, 1);
  assert.match(evaluated.err, /test: the model's loss on the test split is not a finite number/);
  assert.doesNotMatch(evaluated.out, /nan/i);
  const csv = join(TMP, 'one.csv');
  writeFileSync(csv, '16,'.repeat(63) + '16\n');  // 64 x 16/16 x 3e38 overflows
  const predicted = run(['--load', huge, '--predict', csv]);
  assert.equal(predicted.code, 1);
  assert.equal(predicted.out, '');
  assert.match(predicted.err, /predict: the model's output for row 1 is not a finite number/);
});

test('cli hygiene: a model over the memory budget is refused before training', () => {
  const arch = join(TMP, 'wide.json');
  writeFileSync(arch, JSON.stringify({ input: [1, 8, 8], layers: [{ type: 'conv2d', filters: 65536, kernel: 1 },
    { type: 'maxpool2d', size: 8 }, { type: 'flatten' }, { type: 'dense', units: 10 }] }));
  const r = run(['--model', arch, '--batch-size', '1024', '--epochs', '1']);
  assert.equal(r.code, 1);
  assert.match(r.err, /^digitlab: error: trainer: the model \(input \(1, 8, 8\), 4 layers, 10 outputs\) needs \d+\.\d GiB for training with a batch of 1024 rows; the limit is 1 GiB/m);
  assert.doesNotMatch(r.out, /^epoch /m);
});
