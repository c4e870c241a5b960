// The page's side of the worker protocol (see worker.js): promise-returning requests keyed
// by id, and a listener for the worker's events (progress, trained, diverged, failed). When
// the worker reports that the wasm module itself failed ('broken'), the worker is replaced
// by a fresh one, every pending request is rejected, and the listener gets
// {type: 'restarted', message}.
import { t } from './i18n.js';

// The Error of a refused request: the engine's own text as it is, or the worker's refusal
// (text: {key, params}) in the page's language, with .text kept so a message can follow a
// later switch of language (setMessage / msg parameters take it).
export function workerError({ message, text }) {
  if (!text) return new Error(message);
  const error = new Error(t(text.key, text.params ?? {}));
  error.text = text;
  return error;
}

// A worker engine-start.js started early (it has been loading its engine since), once each;
// null when there is none left (or the page has no engine-start.js).
function takeStartedWorker() {
  return globalThis.digitlabStartedWorkers?.shift() ?? null;
}

export class WorkerClient {
  // url: the worker module; onEvent(message): called for every event the worker posts;
  // type: the Worker's type ('classic' for the one-file build's loader).
  constructor(url, onEvent, type = 'module') {
    this.url_ = url;
    this.type_ = type;
    this.pending_ = new Map();
    this.nextId_ = 1;
    this.onEvent_ = onEvent;
    this.startWorker_();
  }

  startWorker_() {
    const started = takeStartedWorker();
    this.worker_ = started ?? new Worker(this.url_, { type: this.type_ });
    this.startFailure_ = null;
    this.heard_ = false;
    this.worker_.onmessage = (event) => { this.heard_ = true; this.receive_(event.data); };
    this.worker_.onerror = (event) => this.failedToStart_(event.message);
    // It failed before it was ours: said once a request can be waiting for it.
    if (started?.startError) queueMicrotask(() => this.failedToStart_(started.startError));
  }

  failedToStart_(reason) {
    const message = `The engine worker failed to start: ${reason || 'unknown error'}`;
    // Nothing will ever answer: later requests are refused at once instead of waiting.
    if (!this.heard_) this.startFailure_ = message;
    for (const { reject } of this.pending_.values()) reject(new Error(message));
    this.pending_.clear();
    this.onEvent_({ type: 'failed', message });
  }

  // Sends {type, id, payload}; resolves with the result or rejects with the engine's Error.
  request(type, payload = {}, transfer = []) {
    if (this.startFailure_) return Promise.reject(new Error(this.startFailure_));
    const id = this.nextId_++;
    return new Promise((resolve, reject) => {
      this.pending_.set(id, { resolve, reject });
      this.worker_.postMessage({ type, id, payload }, transfer);
    });
  }

  receive_(message) {
    if (message.type === 'broken') {
      this.worker_.terminate();
      const error = new Error(`The engine failed (${message.message}) and was restarted.`);
      for (const { reject } of this.pending_.values()) reject(error);
      this.pending_.clear();
      this.startWorker_();
      this.onEvent_({ type: 'restarted', message: message.message });
      return;
    }
    if (message.type === 'result' || message.type === 'error') {
      const pending = this.pending_.get(message.id);
      if (!pending) return;
      this.pending_.delete(message.id);
      if (message.type === 'result') pending.resolve(message.result);
      else pending.reject(workerError(message));
      return;
    }
    this.onEvent_(message);
  }

  terminate() {
    this.worker_.terminate();
    for (const { reject } of this.pending_.values()) reject(new Error('The engine worker was stopped.'));
    this.pending_.clear();
  }
}
