// Makes data/font-digits.bin: the digits 0-9 rendered from the installed Debian fonts, as
// extra training data that helps the page read handwriting (tools/handwriting/README.md). Run
// once by a developer; the output is committed. Not part of npm start/test.
// Each font face draws each digit large, black on white, with canvas fillText in headless
// Chromium; the ink goes through the ENGINE's preprocessing (web/nn.wasm, the same function
// drawings use), so the 8x8 features are in the dataset's style. The trainer distorts them
// like the other training digits. Output format: DGTS, as data/digits.bin (engine/digits_file.h).
//
// Fonts it expects (it installs nothing itself; Debian 12 package names):
//   apt-get install --no-install-recommends $(node scripts/make-font-digits.mjs --packages)
// Usage: node scripts/make-font-digits.mjs [output.bin]     (needs web/nn.wasm: bash scripts/build-wasm.sh)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { loadDigitlab } from '../web/digitlab.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// Latin text fonts, handwriting-style ones included. Listed in data/README.md too.
const FONT_PACKAGES = `
fonts-dejavu fonts-dejavu-extra fonts-liberation fonts-liberation2 fonts-freefont-ttf fonts-urw-base35
fonts-noto-core fonts-crosextra-caladea fonts-crosextra-carlito fonts-croscore fonts-comic-neue
fonts-dkg-handwriting fonts-breip fonts-bwht fonts-femkeklaver fonts-humor-sans fonts-dancingscript
fonts-cabinsketch fonts-jetbrains-mono fonts-hack-ttf fonts-open-sans fonts-roboto-unhinted fonts-roboto-slab
fonts-lato fonts-cantarell fonts-linuxlibertine fonts-ebgaramond fonts-texgyre fonts-kaushanscript fonts-kristi
fonts-leckerli-one fonts-lobster fonts-lobstertwo fonts-rufscript fonts-tlwg-purisa-ttf fonts-sjfonts fonts-staypuft
fonts-tomsontalks fonts-ecolier-court fonts-isabella fonts-summersby fonts-cherrybomb fonts-dustin fonts-georgewilliams
fonts-klaudia-berenika fonts-averia-gwf fonts-averia-sans-gwf fonts-averia-serif-gwf fonts-junction fonts-cabin
fonts-comfortaa fonts-dosis fonts-inter fonts-karla fonts-manrope fonts-quicksand fonts-sora fonts-go fonts-firacode
fonts-inconsolata fonts-anonymous-pro fonts-courier-prime fonts-b612 fonts-oxygen fonts-sil-andika fonts-sil-charis
fonts-sil-gentiumplus fonts-stix fonts-vollkorn fonts-yrsa-rasa fonts-quattrocento fonts-oldstandard fonts-cardo
fonts-junicode fonts-lmodern fonts-mononoki fonts-fantasque-sans fonts-league-spartan fonts-bebas-neue fonts-allerta
fonts-arapey fonts-tuffy fonts-play fonts-jura fonts-opendin fonts-clear-sans fonts-paratype fonts-opendyslexic
fonts-adf-accanthis fonts-adf-baskervald fonts-adf-berenis fonts-adf-gillius fonts-adf-irianis fonts-adf-libris
fonts-adf-mekanus fonts-adf-romande fonts-adf-switzera fonts-adf-tribun fonts-adf-universalis fonts-adf-verana
fonts-tlwg-typist-ttf fonts-tlwg-kinnari-ttf fonts-tlwg-laksaman-ttf fonts-tlwg-loma-ttf fonts-tlwg-sawasdee-ttf
fonts-tlwg-umpush-ttf fonts-tlwg-waree-ttf fonts-tlwg-garuda-ttf fonts-tlwg-norasi-ttf fonts-tlwg-typo-ttf
fonts-eurofurence fonts-beteckna fonts-f500 fonts-gamaliel fonts-goudybookletter fonts-lindenhill fonts-prociono
fonts-fanwood fonts-levien-museum fonts-radisnoir fonts-rocknroll fonts-reggae fonts-okolaks fonts-monofur
fonts-karmilla fonts-lemonada fonts-yanone-kaffeesatz fonts-national-park fonts-routed-gothic fonts-osifont
`.trim().split(/\s+/);

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const ORIGIN = 'http://fonts.invalid';
const CANVAS = 400;      // px; a glyph touching the border is cut off: the face is skipped
const FONT_PX = 200;
const FEATURES = 64;
// Faces whose 0-9 are not Western Arabic digits, or are not letters at all.
const SKIP_NAME = /symbol|dingbat|math|icon|emoji|ornament|music|braille|wingding|d050000l|awesome|blank|cursor|barcode|ocr|seg/i;
const FONT_FILE = /\.(ttf|otf|woff2?)$/i;

// ---- choosing faces ---------------------------------------------------------------------

function styleKind(style) {
  const names = style.split(',').map((s) => s.trim().toLowerCase());
  if (names.some((s) => /^(regular|book|roman|normal|medium|text|plain)$/.test(s))) return 'regular';
  if (names.some((s) => s === 'bold')) return 'bold';
  if (names.some((s) => s === 'italic' || s === 'oblique')) return 'italic';
  return 'other';
}

// fontconfig knows which faces map all of 0-9, A-Z and a-z (Latin text faces).
// Per family: a regular face (else the first one), a bold one and an italic/oblique one.
function listFaces() {
  const out = execFileSync('fc-list', [':charset=30-39 41-5a 61-7a', 'family', 'style', 'file'], { encoding: 'utf8' });
  const byFamily = new Map();
  for (const line of out.split('\n')) {
    const match = /^(.*?): ([^:]*)(?::style=(.*))?$/.exec(line.trim());
    if (!match) continue;
    const [, file, families, style = 'Regular'] = match;
    const family = families.split(',')[0].trim();
    if (!FONT_FILE.test(file) || SKIP_NAME.test(family) || SKIP_NAME.test(file)) continue;
    if (!byFamily.has(family)) byFamily.set(family, []);
    byFamily.get(family).push({ family, style: style.split(',')[0].trim(), kind: styleKind(style), file });
  }
  const faces = [];
  for (const [, list] of [...byFamily].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort((a, b) => a.file.localeCompare(b.file));
    const picked = new Map();
    for (const kind of ['regular', 'bold', 'italic']) {
      const face = list.find((f) => f.kind === kind);
      if (face) picked.set(face.file, face);
    }
    if (!picked.size) picked.set(list[0].file, list[0]);
    faces.push(...picked.values());
  }
  return faces;
}

// ---- rendering in Chromium ------------------------------------------------------------

// In the page: loads one face, draws 0-9, returns per digit the ink (255 - gray) cropped
// to its bounding box, or a reason to skip the face.
// Chromium's font sanitizer refuses a few files it still draws as installed system fonts:
// those are drawn by family name (a missing one would fall back to a face already seen,
// which the duplicate check drops).
async function renderFace({ url, family, canvasSide, fontPx }) {
  const face = new FontFace('candidate', `url(${url})`);
  let fontName = 'candidate';
  try {
    await face.load();
    document.fonts.add(face);
  } catch {
    fontName = JSON.stringify(family);
  }
  try {
    const canvas = new OffscreenCanvas(canvasSide, canvasSide);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const digits = [];
    for (let d = 0; d < 10; ++d) {
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvasSide, canvasSide);
      ctx.fillStyle = '#000';
      ctx.font = `${fontPx}px ${fontName}`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(String(d), canvasSide / 2, canvasSide / 2);
      const rgba = ctx.getImageData(0, 0, canvasSide, canvasSide).data;
      let x0 = canvasSide, y0 = canvasSide, x1 = -1, y1 = -1;
      for (let y = 0; y < canvasSide; ++y) {
        for (let x = 0; x < canvasSide; ++x) {
          if (rgba[(y * canvasSide + x) * 4] < 250) {
            x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
          }
        }
      }
      if (x1 < 0) return { skip: `digit ${d} is blank` };
      if (x0 === 0 || y0 === 0 || x1 === canvasSide - 1 || y1 === canvasSide - 1) return { skip: `digit ${d} is cut off` };
      const w = x1 - x0 + 1, h = y1 - y0 + 1;
      const ink = new Uint8Array(w * h);
      for (let y = 0; y < h; ++y) {
        for (let x = 0; x < w; ++x) ink[y * w + x] = 255 - rgba[((y + y0) * canvasSide + x + x0) * 4];
      }
      let text = '';
      for (let i = 0; i < ink.length; i += 8192) text += String.fromCharCode(...ink.subarray(i, i + 8192));
      digits.push({ w, h, ink: btoa(text) });
    }
    return { digits };
  } finally {
    document.fonts.delete(face);
  }
}

// ---- main -----------------------------------------------------------------------------

function encodeDigits(rows, labels) {
  const header = Buffer.alloc(16);
  header.write('DGTS', 0, 'ascii');
  header.writeUInt32LE(1, 4);
  header.writeUInt32LE(labels.length, 8);
  header.writeUInt32LE(FEATURES, 12);
  return Buffer.concat([header, Buffer.from(rows), Buffer.from(labels)]);
}

async function main() {
  if (process.argv[2] === '--packages') {
    console.log(FONT_PACKAGES.join(' '));
    return;
  }
  const output = process.argv[2] ?? join(ROOT, 'data', 'font-digits.bin');
  const dl = await loadDigitlab({ wasmBinary: readFileSync(join(ROOT, 'web', 'nn.wasm')) });
  const faces = listFaces();
  console.log(`${faces.length} candidate faces`);

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage();
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>fonts</title>' });
    const face = faces[Number(url.pathname.slice('/font/'.length))];
    return face ? route.fulfill({ body: readFileSync(face.file), contentType: 'font/ttf' }) : route.fulfill({ status: 404 });
  });
  await page.goto(`${ORIGIN}/`);

  const rows = [], labels = [], seen = new Set(), used = [], skipped = [];
  for (let i = 0; i < faces.length; ++i) {
    const face = faces[i];
    const result = await page.evaluate(renderFace,
      { url: `${ORIGIN}/font/${i}`, family: face.family, canvasSide: CANVAS, fontPx: FONT_PX });
    if (result.skip) { skipped.push(`${face.family} ${face.style}: ${result.skip}`); continue; }
    // The same drawings under another name (metric clones, one face in several formats).
    const hash = createHash('sha256');
    for (const d of result.digits) hash.update(`${d.w}x${d.h}:${d.ink}`);
    const key = hash.digest('hex');
    if (seen.has(key)) { skipped.push(`${face.family} ${face.style}: duplicate drawings`); continue; }
    const features = [];
    for (const d of result.digits) {
      const pre = dl.preprocess(new Uint8Array(Buffer.from(d.ink, 'base64')), d.w, d.h);
      if (pre.blank) break;
      features.push(Array.from(pre.features, (v) => Math.round(v * 16)));
    }
    if (features.length !== 10) { skipped.push(`${face.family} ${face.style}: blank after preprocessing`); continue; }
    // A font drawing all digits alike (placeholder boxes) teaches nothing.
    if (new Set(features.map((f) => f.join(','))).size < 10) { skipped.push(`${face.family} ${face.style}: digits alike`); continue; }
    seen.add(key);
    used.push(face);
    features.forEach((f, digit) => { rows.push(...f); labels.push(digit); });
  }
  await browser.close();

  writeFileSync(output, encodeDigits(rows, labels));
  const families = new Set(used.map((f) => f.family));
  console.log(`wrote ${output}: ${labels.length} digits from ${used.length} faces of ${families.size} families`);
  console.log(`skipped ${skipped.length} faces`);
  if (process.env.VERBOSE) {
    for (const s of skipped) console.log(`  skip ${s}`);
    for (const f of used) console.log(`  use ${f.family} ${f.style} (${f.file})`);
  }
}

await main();
