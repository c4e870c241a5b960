// Writes web/generated/build-id.js for the service worker (web/sw.js): the list of files the
// page needs offline and an id made from their contents (SHA-256), so any change to any of
// them is a new version, and the same files always the same id. Run after the wasm build and
// after copying the data into web/generated/ (scripts/start.sh and the e2e tests do).
// Usage: node scripts/write-build-id.mjs [web-dir]
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Paths relative to web/: the page, its modules (web/*.js and web/views/*.js, minus the
// service worker itself), the wasm module and the data files.
export function offlineFiles(web) {
  // Every module of the page, in every folder (views/, inside/, lesson/, i18n/, ...), but the
  // service worker and what the build makes (generated/).
  const modules = readdirSync(web, { recursive: true }).map((name) => name.split(path.sep).join('/'))
    .filter((name) => name.endsWith('.js') && name !== 'sw.js' && !name.startsWith('generated/')).sort();
  const files = ['index.html', 'styles.css', ...modules, 'nn.wasm',
    'generated/digits.bin', 'generated/font-digits.bin', 'generated/stroke-digits.bin'];
  for (const file of files) {
    if (!existsSync(path.join(web, file))) throw new Error(`write-build-id: web/${file} is missing (build the wasm module and copy the data first)`);
  }
  return files;
}

export function writeBuildId(web = path.join(ROOT, 'web')) {
  const files = offlineFiles(web);
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(web, file)));
  }
  const id = hash.digest('hex').slice(0, 16);
  // './' too: the page's address itself (the folder) is what a visitor opens.
  const build = { id, files: ['./', ...files] };
  const text = `// Written by scripts/write-build-id.mjs: this version's id and files, for sw.js.\n`
    + `self.DIGITLAB_BUILD = ${JSON.stringify(build, null, 1)};\n`;
  writeFileSync(path.join(web, 'generated', 'build-id.js'), text);
  return build;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { id, files } = writeBuildId(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
    console.log(`build-id ${id}: ${files.length} files for offline use`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
