// Keeps the last trained model (its model-file bytes, the settings that made it and its
// test accuracy) in IndexedDB, so a reload predicts at once without retraining.
// Storage can be unavailable (private mode, blocked): then every call quietly does nothing.
import { requestRunner } from './idb-store.js';

const DB_NAME = 'digitlab';
const STORE = 'models';
const KEY = 'last';

const run = requestRunner(DB_NAME, STORE);
// A mark in localStorage that a model may be stored: read synchronously, so a first visit
// need not wait for IndexedDB (which takes a few hundred ms to make its database) to learn
// that nothing is. The store itself stays the truth: the mark only says whether to wait.
const MARK = 'digitlab.lastModel';

// Whether a model may be stored: true with the mark, or when localStorage cannot be read.
// A model stored by a version before the mark is there without it: this only says whether
// the page waits for the store, loadLastModel is the answer.
export function mayHaveLastModel() {
  try {
    return localStorage.getItem(MARK) !== null;
  } catch {
    return true;
  }
}

function mark(stored) {
  try {
    if (stored) localStorage.setItem(MARK, '1');
    else localStorage.removeItem(MARK);
  } catch {
    // no localStorage: mayHaveLastModel says true, and the page waits for the store
  }
}

// record: { bytes: Uint8Array, settings, testAccuracy, savedAt }
export async function saveLastModel(record) {
  try {
    mark(true);  // before the write: a mark without a model costs a wait, a model without one a retrain
    await run('readwrite', (store) => store.put(record, KEY));
    return true;
  } catch {
    return false;
  }
}

export async function loadLastModel() {
  try {
    const record = (await run('readonly', (store) => store.get(KEY))) ?? null;
    if (record) mark(true);  // stored by a version without the mark: the next visit waits for it
    return record;
  } catch {
    return null;
  }
}

export async function forgetLastModel() {
  try {
    await run('readwrite', (store) => store.delete(KEY));
    mark(false);
  } catch {
    // nothing stored, nothing to forget
  }
}
