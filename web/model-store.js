// Keeps the last trained model (its model-file bytes, the settings that made it and its
// test accuracy) in IndexedDB, so a reload predicts at once without retraining.
// Storage can be unavailable (private mode, blocked): then every call quietly does nothing.
import { requestRunner } from './idb-store.js';

const DB_NAME = 'digitlab';
const STORE = 'models';
const KEY = 'last';

const run = requestRunner(DB_NAME, STORE);

// record: { bytes: Uint8Array, settings, testAccuracy, savedAt }
export async function saveLastModel(record) {
  try {
    await run('readwrite', (store) => store.put(record, KEY));
    return true;
  } catch {
    return false;
  }
}

export async function loadLastModel() {
  try {
    return (await run('readonly', (store) => store.get(KEY))) ?? null;
  } catch {
    return null;
  }
}

export async function forgetLastModel() {
  try {
    await run('readwrite', (store) => store.delete(KEY));
  } catch {
    // nothing stored, nothing to forget
  }
}
