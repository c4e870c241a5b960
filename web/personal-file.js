// The personal-set file (export / import of the drawings a person taught): JSON text,
// {format, version, count, drawings: [{label, features: [64 numbers], strokes}], crc32},
// where crc32 is the CRC-32 (hex) of JSON.stringify(drawings), so a file cut short or
// edited by accident is refused rather than half read. DOM-free; every refusal is an Error
// whose message says what is wrong, and nothing is returned from a bad file.
// Messages come from the dictionaries (web/i18n.js); values go in as strings, as written.
import { t } from './i18n.js';

export const FORMAT = 'digitlab-personal-set';
export const VERSION = 1;
export const MAX_FILE_BYTES = 4 * 1024 * 1024;   // ~5000 drawings with their strokes
export const MAX_DRAWINGS = 5000;                // the engine's kMaxPersonalDrawings
const MAX_STROKES = 64;                          // per drawing
const MAX_POINTS = 4096;                         // per drawing, over all its strokes

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

// CRC-32 (zlib's) of a string's UTF-8 bytes, as 8 hex digits.
export function crc32Hex(text) {
  let crc = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}

// Refuses a file by its size before a byte of it is read.
export function checkFileSize(size) {
  if (!(size > 0)) throw new Error(t('personalFile.empty'));
  if (size > MAX_FILE_BYTES) {
    throw new Error(t('personalFile.tooBig', { size: (size / 1048576).toFixed(1), max: String(MAX_FILE_BYTES / 1048576) }));
  }
}

// drawings: [{label, features (64 numbers), strokes: [[[x, y], ...], ...]}] -> the file's text.
export function encodePersonalFile(drawings) {
  const list = drawings.map((d) => ({
    label: d.label,
    features: Array.from(d.features),
    strokes: (d.strokes ?? []).map((stroke) => stroke.map(([x, y]) => [round4(x), round4(y)])),
  }));
  list.forEach((d, i) => checkDrawing(d, i));
  const body = JSON.stringify(list);
  return `{"format":"${FORMAT}","version":${VERSION},"count":${list.length},"drawings":${body},"crc32":"${crc32Hex(body)}"}`;
}

// The file's text -> [{label, features: Float32Array(64), strokes}]; throws on anything wrong.
export function decodePersonalFile(text) {
  if (typeof text !== 'string') throw new Error(t('personalFile.notText'));
  if (text.length > MAX_FILE_BYTES) checkFileSize(text.length);
  let file;
  try {
    file = JSON.parse(text);
  } catch (err) {
    throw new Error(t('personalFile.notJson', { message: err.message }));
  }
  if (!file || typeof file !== 'object' || file.format !== FORMAT) {
    throw new Error(t('personalFile.format', { format: FORMAT }));
  }
  if (file.version !== VERSION) {
    throw new Error(t('personalFile.version', { version: JSON.stringify(file.version), reads: String(VERSION) }));
  }
  if (!Array.isArray(file.drawings)) throw new Error(t('personalFile.noList'));
  if (file.drawings.length > MAX_DRAWINGS) {
    throw new Error(t('personalFile.tooMany', { count: String(file.drawings.length), max: String(MAX_DRAWINGS) }));
  }
  if (file.count !== file.drawings.length) {
    throw new Error(t('personalFile.count', { says: String(file.count), count: String(file.drawings.length) }));
  }
  if (file.crc32 !== crc32Hex(JSON.stringify(file.drawings))) {
    throw new Error(t('personalFile.checksum'));
  }
  file.drawings.forEach((d, i) => checkDrawing(d, i));
  return file.drawings.map((d) => ({ label: d.label, features: Float32Array.from(d.features), strokes: d.strokes }));
}

function checkDrawing(d, i) {
  const bad = (why) => new Error(t('personalFile.drawing', { n: String(i + 1), why }));
  if (!d || typeof d !== 'object') throw bad(t('personalFile.notDrawing'));
  if (!Number.isInteger(d.label) || d.label < 0 || d.label > 9) throw bad(t('personalFile.label', { label: JSON.stringify(d.label) }));
  if (!Array.isArray(d.features) || d.features.length !== 64) throw bad(t('personalFile.features'));
  if (!d.features.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) throw bad(t('personalFile.featureRange'));
  if (!Array.isArray(d.strokes) || d.strokes.length > MAX_STROKES) throw bad(t('personalFile.strokes', { max: String(MAX_STROKES) }));
  let points = 0;
  for (const stroke of d.strokes) {
    if (!Array.isArray(stroke)) throw bad(t('personalFile.stroke'));
    points += stroke.length;
    const ok = stroke.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number' && Number.isFinite(v)));
    if (!ok) throw bad(t('personalFile.point'));
  }
  if (points > MAX_POINTS) throw bad(t('personalFile.points', { count: String(points), max: String(MAX_POINTS) }));
}

function round4(v) {
  return Math.round(v * 10000) / 10000;
}
