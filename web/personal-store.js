// The personal set kept in the browser (IndexedDB, its own database beside model-store's):
// one record per taught drawing, {label, features: Float32Array(64), strokes, addedAt},
// keyed by an increasing id. Adding several (an import) is one transaction: all of them
// are kept or none. When storage is unavailable (private mode, blocked) the set lives in
// memory for this visit, and `persistent` says so.

import { openDatabase } from './idb-store.js';

const DB_NAME = 'digitlab-personal';
const STORE = 'drawings';

let memory = null;   // Map id -> record, when IndexedDB cannot be used
let nextMemoryId = 1;

export let persistent = true;

// Runs action(store) in one transaction; resolves with its result once the transaction commits.
async function run(mode, action) {
  if (!memory) {
    let db;
    try {
      db = await openDatabase(DB_NAME, STORE, { keyPath: 'id', autoIncrement: true });
    } catch {
      memory = new Map();
      persistent = false;
    }
    if (db) {
      try {
        return await new Promise((resolve, reject) => {
          const tx = db.transaction(STORE, mode);
          let result;
          Promise.resolve(action(tx.objectStore(STORE))).then((r) => { result = r; }, reject);
          tx.oncomplete = () => resolve(result);
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error ?? new Error('the change was not saved'));
        });
      } finally {
        db.close();
      }
    }
  }
  return null;
}

function requestResult(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Every drawing, oldest first.
export async function listDrawings() {
  const stored = await run('readonly', (store) => requestResult(store.getAll()));
  if (memory) return [...memory.values()];
  return stored ?? [];
}

// records: [{label, features, strokes}]; all are kept or none (then it throws).
export async function addDrawings(records) {
  const stamped = records.map((r) => ({ label: r.label, features: Float32Array.from(r.features), strokes: r.strokes ?? [], addedAt: Date.now() }));
  await run('readwrite', (store) => { for (const record of stamped) store.add(record); });
  if (memory) for (const record of stamped) memory.set(nextMemoryId, { ...record, id: nextMemoryId++ });
  return stamped.length;
}

export async function deleteDrawing(id) {
  await run('readwrite', (store) => { store.delete(id); });
  memory?.delete(id);
}

export async function clearDrawings() {
  await run('readwrite', (store) => { store.clear(); });
  memory?.clear();
}
