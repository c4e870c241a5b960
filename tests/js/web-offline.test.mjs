// The DOM-free parts of issue 15's page work: the keyboard grid's strokes
// (web/keyboard-grid.js), reading a link's fragment (web/share-panel.js), the service
// worker's file list and version id (scripts/write-build-id.mjs) and the one-file build's
// module graph (scripts/build-single.mjs).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { collectModules } from '../../scripts/build-single.mjs';
import { offlineFiles, writeBuildId } from '../../scripts/write-build-id.mjs';
import { GRID_SIZE, gridStrokes } from '../../web/keyboard-grid.js';
import { checksumText, linkText } from '../../web/share-panel.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function grid(cells) {
  const inked = new Array(GRID_SIZE * GRID_SIZE).fill(false);
  for (const [row, col] of cells) inked[row * GRID_SIZE + col] = true;
  return inked;
}

test('keyboard grid: a dot per inked cell at its centre, joined to inked neighbours', () => {
  assert.deepEqual(gridStrokes(grid([])), []);
  assert.deepEqual(gridStrokes(grid([[0, 0]])), [[[0.5 / 16, 0.5 / 16]]]);
  const c = (row, col) => [(col + 0.5) / 16, (row + 0.5) / 16];
  // A diagonal pair: two dots and one segment between them (no gap on a diagonal).
  assert.deepEqual(gridStrokes(grid([[3, 4], [4, 3]])), [[c(3, 4)], [c(3, 4), c(4, 3)], [c(4, 3)]]);
  // Three in a row: three dots and two segments; cells at the edge have no outside neighbour.
  assert.deepEqual(gridStrokes(grid([[15, 13], [15, 14], [15, 15]])).length, 5);
});

test('model link: the text after "#model=", and a checksum in hex', () => {
  assert.equal(linkText('#model=abc_-'), 'abc_-');
  assert.equal(linkText('#model='), '');
  assert.equal(linkText('#other'), null);
  assert.equal(linkText(''), null);
  assert.equal(checksumText(0xcbf43926), 'cbf43926');
  assert.equal(checksumText(0x1f), '0000001f');
});

test('build id: every module, the wasm and the data; the id follows the contents', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'digitlab-build-id-'));
  try {
    for (const file of ['index.html', 'styles.css', 'main.js', 'sw.js', 'views/a.js', 'nn.wasm', 'generated/digits.bin', 'generated/font-digits.bin', 'generated/stroke-digits.bin']) {
      cpSync(path.join(ROOT, 'package.json'), path.join(dir, file), { recursive: true });
    }
    assert.deepEqual(offlineFiles(dir), ['index.html', 'styles.css', 'main.js', 'views/a.js', 'nn.wasm', 'generated/digits.bin', 'generated/font-digits.bin', 'generated/stroke-digits.bin']);
    const first = writeBuildId(dir);
    assert.equal(first.files[0], './');
    assert.match(first.id, /^[0-9a-f]{16}$/);
    assert.equal(writeBuildId(dir).id, first.id);
    writeFileSync(path.join(dir, 'views', 'a.js'), '// changed\n');
    assert.notEqual(writeBuildId(dir).id, first.id);
    assert.match(readFileSync(path.join(dir, 'generated', 'build-id.js'), 'utf8'), /^\/\/ Written by scripts\/write-build-id\.mjs/);
    rmSync(path.join(dir, 'nn.wasm'));
    assert.throws(() => offlineFiles(dir), /web\/nn\.wasm is missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('one-file build: every module the page and the worker reach, no relative import left', () => {
  const modules = collectModules();
  for (const entry of ['main.js', 'worker.js', 'digitlab.js', 'asset-urls.js', 'views/draw-pad.js']) assert.ok(modules[entry], entry);
  for (const [file, { source, deps }] of Object.entries(modules)) {
    assert.doesNotMatch(source, /\bfrom\s*['"]\.{1,2}\//, file);
    for (const dep of deps) {
      assert.ok(modules[dep], `${file} -> ${dep}`);
      assert.ok(existsSync(path.join(ROOT, 'web', dep)), dep);
      assert.ok(source.includes(`__DIGITLAB_MODULE__${dep}__`), `${file}: ${dep}`);
    }
  }
  assert.deepEqual(modules['views/draw-pad.js'].deps, ['views/hidpi.js']);
  assert.ok(modules['views/probability-bars.js']);
});
