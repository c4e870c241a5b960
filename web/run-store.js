// Keeps every run trained on the page in IndexedDB (its own database, next to model-store.js's):
// settings, architecture text, per-epoch curves and test accuracies, the final test
// accuracy, the training time, when it ran, and the model file, so a run can be compared,
// restored as the current model or deleted, also after a reload.
// Storage can be unavailable (private mode, blocked): then the runs live for this visit only.
import { requestRunner } from './idb-store.js';

const DB_NAME = 'digitlab-runs';
const STORE = 'runs';

const run = requestRunner(DB_NAME, STORE, { keyPath: 'id', autoIncrement: true });

export class RunStore {
  constructor() {
    this.memory_ = [];      // used when IndexedDB is not there
    this.nextMemoryId_ = 1;
    this.available_ = typeof indexedDB !== 'undefined';
  }

  // record: { settings, architecture, history, testAccuracies, testAccuracy, trainSeconds,
  // createdAt, bytes }; resolves to the record with its id.
  async add(record) {
    if (this.available_) {
      try {
        const id = await run('readwrite', (store) => store.add(record));
        return { ...record, id };
      } catch {
        this.available_ = false;
      }
    }
    const kept = { ...record, id: this.nextMemoryId_++ };
    this.memory_.push(kept);
    return kept;
  }

  // Every kept run, oldest first.
  async list() {
    if (this.available_) {
      try {
        return await run('readonly', (store) => store.getAll());
      } catch {
        this.available_ = false;
      }
    }
    return [...this.memory_];
  }

  async remove(id) {
    this.memory_ = this.memory_.filter((r) => r.id !== id);
    if (!this.available_) return;
    try {
      await run('readwrite', (store) => store.delete(id));
    } catch {
      // nothing stored under it
    }
  }
}
